// Splits configuration bytes into statements: `[section]` headers and `key = value` pairs, where
// a value is a number, a quoted string or a one-line list of those. Internal to hv/config.
//
// Line-oriented on purpose: a statement never spans lines, so after any error the lexer skips to
// the next line and the rest of the file is still read (every error reported in one boot).
#pragma once

#include "hv/config/config.hpp"

namespace rthv::config::detail {

inline constexpr uint32_t kMaxListItems = kMaxVcpusPerDomain; // `cpus` lists are per VCPU

// A slice of the input (never NUL-terminated).
struct Text {
    const char* ptr = nullptr;
    uint32_t len = 0;
    bool equals(const char* s) const;
};

struct Atom {
    bool is_string = false;
    uint64_t number = 0; // when !is_string
    Text text;           // the string without quotes, or the number as written
};

enum class StatementKind : uint8_t { Section, Assignment };

struct Statement {
    StatementKind kind = StatementKind::Assignment;
    uint32_t line = 0;
    Text name; // the key, or the section name between the brackets
    bool is_list = false;
    Atom atom; // when !is_list
    Atom items[kMaxListItems];
    uint32_t item_count = 0;

    // In place: `st = Statement{}` would build a 2 KiB temporary on a 16 KiB hypervisor stack.
    void reset(StatementKind k, uint32_t at) {
        kind = k;
        line = at;
        name = Text{};
        is_list = false;
        atom = Atom{};
        item_count = 0; // items[] beyond item_count are never read
    }
};

class Lexer {
public:
    enum class Result : uint8_t { Statement, Error, End };

    Lexer(const char* text, size_t len) : text_(text), len_(len) {}

    // The next statement, or an Error (see error(), error_line(), error_key(); the rest of that
    // line has been skipped), or End. Always makes progress, whatever the bytes.
    Result next(Statement& st);

    const char* error() const { return error_; }
    uint32_t error_line() const { return error_line_; }
    Text error_key() const { return error_key_; }             // empty when no key was read yet
    bool error_in_header() const { return error_in_header_; } // error_key() is the section

private:
    bool at_end() const { return pos_ >= len_; }
    char peek() const { return at_end() ? '\0' : text_[pos_]; }
    void skip_blanks();
    bool at_statement_end();
    Result fail(const char* message); // records the error and skips the rest of the line
    bool reject(const char* message); // the same, for helpers that answer true/false
    Result section(Statement& st);
    Result assignment(Statement& st);
    bool value(Statement& st);
    bool atom(Atom& a);
    bool string(Atom& a);
    bool number(Atom& a);

    const char* text_;
    size_t len_;
    size_t pos_ = 0;
    uint32_t line_ = 1;
    const char* error_ = nullptr;
    uint32_t error_line_ = 0;
    Text error_key_;
    bool error_in_header_ = false;
};

} // namespace rthv::config::detail
