#include "hv/config/lexer.hpp"

namespace rthv::config::detail {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_ident(char c) { return is_ident_start(c) || is_digit(c); }
bool is_word(char c) { return is_ident(c) || c == '-' || c == '.'; }

int hex_value(char c) {
    if (is_digit(c)) return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

} // namespace

bool Text::equals(const char* s) const {
    uint32_t i = 0;
    for (; i < len; ++i)
        if (s[i] == '\0' || s[i] != ptr[i]) return false;
    return s[i] == '\0';
}

void Lexer::skip_blanks() {
    while (!at_end() && is_blank(text_[pos_])) ++pos_;
}

// After a statement: only blanks, then a comment, ';', a newline or the end of the input.
bool Lexer::at_statement_end() {
    skip_blanks();
    char c = peek();
    return at_end() || c == '#' || c == ';' || c == '\n';
}

Lexer::Result Lexer::fail(const char* message) {
    error_ = message;
    error_line_ = line_;
    while (!at_end() && text_[pos_] != '\n') ++pos_;
    return Result::Error;
}

bool Lexer::reject(const char* message) {
    fail(message);
    return false;
}

Lexer::Result Lexer::next(Statement& st) {
    error_key_ = Text{};
    error_in_header_ = false;
    for (;;) {
        skip_blanks();
        if (at_end()) return Result::End;
        char c = text_[pos_];
        if (c == '\n') {
            ++line_;
            ++pos_;
        } else if (c == ';') {
            ++pos_;
        } else if (c == '#') {
            while (!at_end() && text_[pos_] != '\n') ++pos_;
        } else if (c == '[') {
            return section(st);
        } else if (is_ident_start(c)) {
            return assignment(st);
        } else {
            ++pos_; // so that the error can never stall, even at a lone byte before the end
            return fail("expected a key or a [section]");
        }
    }
}

Lexer::Result Lexer::section(Statement& st) {
    st.reset(StatementKind::Section, line_);
    error_in_header_ = true;
    ++pos_; // '['
    skip_blanks();
    size_t start = pos_;
    while (!at_end() && is_ident(text_[pos_])) ++pos_;
    st.name = Text{text_ + start, static_cast<uint32_t>(pos_ - start)};
    error_key_ = st.name;
    skip_blanks();
    if (st.name.len == 0 || peek() != ']') return fail("malformed section header");
    ++pos_;
    if (!at_statement_end()) return fail("unexpected text after the section header");
    return Result::Statement;
}

Lexer::Result Lexer::assignment(Statement& st) {
    st.reset(StatementKind::Assignment, line_);
    size_t start = pos_;
    while (!at_end() && is_ident(text_[pos_])) ++pos_;
    st.name = Text{text_ + start, static_cast<uint32_t>(pos_ - start)};
    error_key_ = st.name;
    skip_blanks();
    if (peek() != '=') return fail("expected '=' after the key");
    ++pos_;
    skip_blanks();
    if (!value(st)) return Result::Error;
    if (!at_statement_end()) return fail("unexpected text after the value");
    return Result::Statement;
}

bool Lexer::value(Statement& st) {
    if (peek() != '[') return atom(st.atom);
    st.is_list = true;
    ++pos_;
    for (;;) {
        skip_blanks();
        if (peek() == ']') break; // empty list, or a trailing comma as xl allows
        if (st.item_count == kMaxListItems) return reject("list has more than 64 items");
        if (!atom(st.items[st.item_count++])) return false;
        skip_blanks();
        if (peek() == ',') {
            ++pos_;
        } else if (peek() != ']') {
            return reject(at_end() || peek() == '\n' ? "unterminated list" : "expected ',' or ']'");
        }
    }
    ++pos_; // ']'
    return true;
}

bool Lexer::atom(Atom& a) {
    char c = peek();
    if (c == '"' || c == '\'') return string(a);
    if (is_digit(c)) return number(a);
    if (c == '-') return reject("must not be negative");
    if (c == '[') return reject("lists cannot be nested");
    if (is_word(c)) return reject("strings must be quoted");
    if (at_end() || c == '\n' || c == '#' || c == ';') return reject("missing value");
    return reject("expected a number, a quoted string or a list");
}

bool Lexer::string(Atom& a) {
    char quote = text_[pos_++];
    size_t start = pos_;
    while (!at_end() && text_[pos_] != quote) {
        auto c = static_cast<unsigned char>(text_[pos_]);
        if (c == '\n') break;
        if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f)
            return reject("control character in string");
        ++pos_;
    }
    if (at_end() || text_[pos_] != quote) return reject("unterminated string");
    a.is_string = true;
    a.text = Text{text_ + start, static_cast<uint32_t>(pos_ - start)};
    ++pos_;
    return true;
}

// Decimal or 0x-hexadecimal. A leading zero is refused rather than read as octal as xl does:
// "period = 0100" meaning 64 µs is a trap nobody sets on purpose.
bool Lexer::number(Atom& a) {
    size_t start = pos_;
    uint64_t base = 10;
    if (text_[pos_] == '0' && pos_ + 1 < len_ &&
        (text_[pos_ + 1] == 'x' || text_[pos_ + 1] == 'X')) {
        base = 16;
        pos_ += 2;
    } else if (text_[pos_] == '0' && pos_ + 1 < len_ && is_digit(text_[pos_ + 1])) {
        return reject("leading zeros are not allowed (xl would read octal)");
    }
    size_t digits_start = pos_;
    uint64_t n = 0;
    int d;
    while (!at_end() && (d = base == 16 ? hex_value(text_[pos_])
                                        : (is_digit(text_[pos_]) ? text_[pos_] - '0' : -1)) >= 0) {
        auto digit = static_cast<uint64_t>(d);
        if (n > (~uint64_t{0} - digit) / base) return reject("number does not fit in 64 bits");
        n = n * base + digit;
        ++pos_;
    }
    if (pos_ == digits_start || (!at_end() && is_word(text_[pos_])))
        return reject("malformed number");
    a.is_string = false;
    a.number = n;
    a.text = Text{text_ + start, static_cast<uint32_t>(pos_ - start)};
    return true;
}

} // namespace rthv::config::detail
