#include "hv/lib/format.hpp"

#include <stdint.h>

namespace rthv {
namespace {

// Bounded output cursor: counts every character, stores only those that fit.
class Out {
public:
    Out(char* buf, size_t size) : buf_(buf), size_(size) {}
    void put(char c) {
        if (len_ + 1 < size_) buf_[len_] = c;
        ++len_;
    }
    void repeat(char c, size_t n) {
        for (size_t i = 0; i < n; ++i) put(c);
    }
    size_t finish() {
        if (size_ > 0) buf_[len_ < size_ ? len_ : size_ - 1] = '\0';
        return len_;
    }

private:
    char* buf_;
    size_t size_;
    size_t len_ = 0;
};

struct Spec {
    bool left = false;
    bool zero = false;
    size_t width = 0;
    size_t precision = ~size_t{0};
    int longs = 0; // 0: int, 1: long, 2: long long, 3: size_t
};

// Pads `body` (already converted, `sign` printed before zero padding) to the spec's width.
void emit(Out& out, const Spec& spec, const char* sign, const char* body, size_t body_len) {
    size_t sign_len = 0;
    while (sign[sign_len] != '\0') ++sign_len;
    size_t total = sign_len + body_len;
    size_t pad = spec.width > total ? spec.width - total : 0;
    if (!spec.left && !spec.zero) out.repeat(' ', pad);
    for (size_t i = 0; i < sign_len; ++i) out.put(sign[i]);
    if (!spec.left && spec.zero) out.repeat('0', pad);
    for (size_t i = 0; i < body_len; ++i) out.put(body[i]);
    if (spec.left) out.repeat(' ', pad);
}

void emit_unsigned(Out& out, const Spec& spec, const char* sign, uint64_t v, unsigned base,
                   bool upper) {
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    size_t n = sizeof(tmp);
    do {
        tmp[--n] = digits[v % base];
        v /= base;
    } while (v != 0);
    emit(out, spec, sign, tmp + n, sizeof(tmp) - n);
}

uint64_t take_unsigned(const Spec& spec, FormatArgs& args) {
    switch (spec.longs) {
    case 0:
        return __builtin_va_arg(args, unsigned int);
    case 1:
        return __builtin_va_arg(args, unsigned long);
    case 2:
        return __builtin_va_arg(args, unsigned long long);
    default:
        return __builtin_va_arg(args, size_t);
    }
}

int64_t take_signed(const Spec& spec, FormatArgs& args) {
    switch (spec.longs) {
    case 0:
        return __builtin_va_arg(args, int);
    case 1:
        return __builtin_va_arg(args, long);
    case 2:
        return __builtin_va_arg(args, long long);
    default:
        return static_cast<int64_t>(__builtin_va_arg(args, size_t));
    }
}

// Parses flags, width, precision and length after '%'; returns the conversion character.
char parse_spec(const char*& p, Spec& spec, FormatArgs& args) {
    for (;; ++p) {
        if (*p == '-')
            spec.left = true;
        else if (*p == '0')
            spec.zero = true;
        else
            break;
    }
    if (*p == '*') {
        int w = __builtin_va_arg(args, int);
        if (w < 0) spec.left = true;
        spec.width = static_cast<size_t>(w < 0 ? -static_cast<int64_t>(w) : w);
        ++p;
    }
    while (*p >= '0' && *p <= '9') spec.width = spec.width * 10 + static_cast<size_t>(*p++ - '0');
    if (*p == '.') {
        ++p;
        spec.precision = 0;
        if (*p == '*') {
            int prec = __builtin_va_arg(args, int);
            spec.precision = prec < 0 ? ~size_t{0} : static_cast<size_t>(prec);
            ++p;
        }
        while (*p >= '0' && *p <= '9')
            spec.precision = spec.precision * 10 + static_cast<size_t>(*p++ - '0');
    }
    if (*p == 'z') {
        spec.longs = 3;
        ++p;
    }
    while (*p == 'l' && spec.longs < 2) {
        ++spec.longs;
        ++p;
    }
    return *p;
}

} // namespace

size_t vformat(char* buf, size_t size, const char* fmt, FormatArgs caller_args) {
    // A va_list parameter decays to a pointer on x86-64; a local copy can be passed by reference.
    FormatArgs args;
    __builtin_va_copy(args, caller_args);
    Out out(buf, size);
    for (const char* p = fmt; *p != '\0'; ++p) {
        if (*p != '%') {
            out.put(*p);
            continue;
        }
        const char* start = p++;
        Spec spec;
        char conv = parse_spec(p, spec, args);
        switch (conv) {
        case 'd':
        case 'i': {
            int64_t v = take_signed(spec, args);
            // Negate in unsigned arithmetic so INT64_MIN does not overflow.
            uint64_t mag = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
            emit_unsigned(out, spec, v < 0 ? "-" : "", mag, 10, false);
            break;
        }
        case 'u':
            emit_unsigned(out, spec, "", take_unsigned(spec, args), 10, false);
            break;
        case 'x':
        case 'X':
            emit_unsigned(out, spec, "", take_unsigned(spec, args), 16, conv == 'X');
            break;
        case 'p': {
            // Always 16 hex digits: addresses line up in fault dumps.
            Spec ptr = spec;
            ptr.zero = !spec.left && spec.width == 0;
            if (ptr.zero) ptr.width = 18;
            uintptr_t v = reinterpret_cast<uintptr_t>(__builtin_va_arg(args, void*));
            emit_unsigned(out, ptr, "0x", v, 16, false);
            break;
        }
        case 'c': {
            char c = static_cast<char>(__builtin_va_arg(args, int));
            emit(out, spec, "", &c, 1);
            break;
        }
        case 's': {
            const char* s = __builtin_va_arg(args, const char*);
            if (s == nullptr) s = "(null)";
            size_t n = 0;
            while (n < spec.precision && s[n] != '\0') ++n;
            spec.zero = false;
            emit(out, spec, "", s, n);
            break;
        }
        case '%':
            out.put('%');
            break;
        default:
            // Unknown or truncated conversion: copy it verbatim (minus a trailing NUL).
            for (const char* q = start; q <= p && *q != '\0'; ++q) out.put(*q);
            if (*p == '\0') --p;
            break;
        }
    }
    __builtin_va_end(args);
    return out.finish();
}

size_t format(char* buf, size_t size, const char* fmt, ...) {
    FormatArgs args;
    __builtin_va_start(args, fmt);
    size_t n = vformat(buf, size, fmt, args);
    __builtin_va_end(args);
    return n;
}

} // namespace rthv
