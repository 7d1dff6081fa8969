#include "arch/x86/json_writer.hpp"

#include "hv/lib/format.hpp"

namespace rthv::x86 {

void JsonWriter::put(char c) {
    if (len_ + 1 >= size_) {
        truncated_ = true;
        return;
    }
    buf_[len_++] = c;
    buf_[len_] = '\0';
}

void JsonWriter::raw(const char* s) {
    while (*s != '\0') put(*s++);
}

void JsonWriter::string(const char* s) {
    put('"');
    for (; *s != '\0'; ++s) {
        auto c = static_cast<unsigned char>(*s);
        if (c == '"' || c == '\\') {
            put('\\');
            put(*s);
        } else if (c < 0x20) {
            char esc[8];
            format(esc, sizeof(esc), "\\u%04x", c);
            raw(esc);
        } else {
            put(*s);
        }
    }
    put('"');
}

void JsonWriter::separator(const char* key) {
    if (depth_ > 0) {
        if (has_items_[depth_]) put(',');
        has_items_[depth_] = true;
        // One line per top-level field and per array element keeps serial logs readable.
        if (depth_ <= 2) {
            put('\n');
            for (int i = 0; i < depth_; ++i) raw("  ");
        }
    }
    if (key != nullptr) {
        string(key);
        put(':');
    }
}

void JsonWriter::begin_object(const char* key) {
    separator(key);
    put('{');
    if (depth_ + 1 < kMaxDepth) has_items_[++depth_] = false;
}

void JsonWriter::end_object() {
    if (depth_ > 0) --depth_;
    if (depth_ == 0) put('\n');
    put('}');
}

void JsonWriter::begin_array(const char* key) {
    separator(key);
    put('[');
    if (depth_ + 1 < kMaxDepth) has_items_[++depth_] = false;
}

void JsonWriter::end_array() {
    if (depth_ > 0) --depth_;
    put(']');
}

void JsonWriter::field_signed(const char* key, int64_t value) {
    separator(key);
    char num[24];
    format(num, sizeof(num), "%lld", static_cast<long long>(value));
    raw(num);
}

void JsonWriter::field(const char* key, uint64_t value) {
    separator(key);
    char num[24];
    format(num, sizeof(num), "%llu", static_cast<unsigned long long>(value));
    raw(num);
}

void JsonWriter::field(const char* key, const char* value) {
    separator(key);
    string(value);
}

void JsonWriter::field_fixed(const char* key, uint64_t value, unsigned decimals) {
    separator(key);
    uint64_t scale = 1;
    for (unsigned i = 0; i < decimals; ++i) scale *= 10;
    char num[48];
    format(num, sizeof(num), "%llu", static_cast<unsigned long long>(value / scale));
    raw(num);
    if (decimals == 0) return;
    char frac[24];
    uint64_t rest = value % scale;
    for (unsigned i = decimals; i-- > 0;) {
        frac[i] = static_cast<char>('0' + rest % 10);
        rest /= 10;
    }
    frac[decimals < sizeof(frac) ? decimals : sizeof(frac) - 1] = '\0';
    put('.');
    raw(frac);
}

void JsonWriter::field_bool(const char* key, bool value) {
    separator(key);
    raw(value ? "true" : "false");
}

} // namespace rthv::x86
