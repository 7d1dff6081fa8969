// A fixed-capacity text builder for error messages: the server is freestanding (no snprintf),
// so it appends strings and decimal integers and truncates silently at the capacity.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace rthv::ctl {

class Text {
public:
    Text(char* buf, size_t cap) : buf_(buf), cap_(cap) { buf_[0] = '\0'; }
    Text& s(const char* str) {
        while (*str != '\0') ch(*str++);
        return *this;
    }
    Text& u(uint64_t v) {
        char digits[20];
        int n = 0;
        do {
            digits[n++] = static_cast<char>('0' + v % 10);
            v /= 10;
        } while (v != 0);
        while (n > 0) ch(digits[--n]);
        return *this;
    }
    // Parts per million of one CPU as a percentage with two decimals ("195.00%").
    Text& ppm_percent(uint32_t ppm) {
        u(ppm / 10000);
        ch('.');
        const uint32_t frac = (ppm % 10000) / 100;
        ch(static_cast<char>('0' + frac / 10));
        ch(static_cast<char>('0' + frac % 10));
        return ch('%');
    }
    Text& ch(char c) {
        if (len_ + 1 < cap_) {
            buf_[len_++] = c;
            buf_[len_] = '\0';
        }
        return *this;
    }

private:
    char* buf_;
    size_t cap_;
    size_t len_ = 0;
};

} // namespace rthv::ctl
