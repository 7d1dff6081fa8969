#include "arch/x86/cmdline.hpp"

namespace rthv::x86 {
namespace {

struct Token {
    const char* key;
    size_t key_len;
    const char* value; // nullptr when the token has no '='
    size_t value_len;
};

bool key_is(const Token& t, const char* name) {
    size_t i = 0;
    for (; i < t.key_len; ++i)
        if (name[i] != t.key[i]) return false;
    return name[i] == '\0';
}

bool value_is(const Token& t, const char* s) {
    size_t i = 0;
    for (; i < t.value_len; ++i)
        if (s[i] != t.value[i]) return false;
    return s[i] == '\0';
}

// Decimal only; rejects empty strings, stray characters and overflow.
bool parse_u64(const Token& t, uint64_t max, uint64_t& out) {
    if (t.value == nullptr || t.value_len == 0) return false;
    uint64_t v = 0;
    for (size_t i = 0; i < t.value_len; ++i) {
        char c = t.value[i];
        if (c < '0' || c > '9') return false;
        uint64_t d = static_cast<uint64_t>(c - '0');
        if (d > max || v > (max - d) / 10) return false;
        v = v * 10 + d;
    }
    out = v;
    return true;
}

void copy_bounded(char* dst, size_t cap, const char* src, size_t len) {
    size_t n = len < cap - 1 ? len : cap - 1;
    for (size_t i = 0; i < n; ++i) dst[i] = src[i];
    dst[n] = '\0';
}

bool apply(const Token& t, Options& o) {
    uint64_t v = 0;
    if (key_is(t, "console")) {
        if (value_is(t, "serial"))
            o.console = Console::kSerial;
        else if (value_is(t, "none"))
            o.console = Console::kNone;
        else
            return false;
        return true;
    }
    if (key_is(t, "cpus") && parse_u64(t, 4096, v)) {
        o.cpus = static_cast<uint32_t>(v);
        return true;
    }
    if (key_is(t, "loglevel") && parse_u64(t, 4, v)) {
        o.loglevel = static_cast<uint32_t>(v);
        return true;
    }
    if (key_is(t, "trace") && parse_u64(t, 1, v)) {
        o.trace = v != 0;
        return true;
    }
    if (key_is(t, "trace_ring") && parse_u64(t, uint64_t{1} << 32, v)) {
        o.trace_ring = v;
        return true;
    }
    if (key_is(t, "runtime_ms") && parse_u64(t, uint64_t{1} << 40, v)) {
        o.runtime_ms = v;
        return true;
    }
    if (key_is(t, "test") && t.value != nullptr && t.value_len > 0 &&
        t.value_len < Options::kTestNameMax) {
        copy_bounded(o.test, sizeof(o.test), t.value, t.value_len);
        return true;
    }
    return false;
}

} // namespace

Options parse_cmdline(const char* line) {
    Options o;
    if (line == nullptr) return o;
    const char* p = line;
    while (*p != '\0') {
        while (*p == ' ' || *p == '\t') ++p;
        if (*p == '\0') break;
        const char* start = p;
        while (*p != '\0' && *p != ' ' && *p != '\t') ++p;
        Token t{start, static_cast<size_t>(p - start), nullptr, 0};
        for (const char* q = start; q < p; ++q) {
            if (*q == '=') {
                t.key_len = static_cast<size_t>(q - start);
                t.value = q + 1;
                t.value_len = static_cast<size_t>(p - t.value);
                break;
            }
        }
        if (!apply(t, o)) {
            if (o.bad_options++ == 0)
                copy_bounded(o.first_bad, sizeof(o.first_bad), start,
                             static_cast<size_t>(p - start));
        }
    }
    return o;
}

} // namespace rthv::x86
