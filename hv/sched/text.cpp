// Text formatting without libc (see text.hpp).
#include "hv/sched/text.hpp"

namespace rthv {

void BufferSink::write(const char* text, size_t len) {
    if (cap_ == 0) {
        truncated_ = truncated_ || len > 0;
        return;
    }
    for (size_t i = 0; i < len; ++i) {
        if (len_ + 1 >= cap_) {
            truncated_ = true;
            break;
        }
        buf_[len_++] = text[i];
    }
    buf_[len_] = '\0';
}

void TextWriter::put(const char* s, size_t n) {
    sink_.write(s, n);
    written_ += n;
}

TextWriter& TextWriter::str(const char* s) {
    size_t n = 0;
    while (s[n] != '\0') ++n;
    put(s, n);
    return *this;
}

TextWriter& TextWriter::chr(char c) {
    put(&c, 1);
    return *this;
}

TextWriter& TextWriter::u64(uint64_t v) {
    char digits[20];
    size_t n = 0;
    do {
        digits[sizeof digits - 1 - n] = static_cast<char>('0' + v % 10);
        v /= 10;
        ++n;
    } while (v != 0);
    put(digits + sizeof digits - n, n);
    return *this;
}

TextWriter& TextWriter::i64(int64_t v) {
    if (v < 0) {
        chr('-');
        // -(v + 1) + 1 avoids overflowing on INT64_MIN.
        return u64(static_cast<uint64_t>(-(v + 1)) + 1);
    }
    return u64(static_cast<uint64_t>(v));
}

TextWriter& TextWriter::fixed(uint64_t v, uint64_t scale, unsigned decimals) {
    u64(v / scale);
    if (decimals == 0) return *this;
    chr('.');
    uint64_t frac = v % scale;
    uint64_t unit = scale;
    for (unsigned i = 0; i < decimals; ++i) {
        // Next digit of frac/scale without overflow: scale <= 1e9 in all callers.
        frac *= 10;
        chr(static_cast<char>('0' + frac / unit));
        frac %= unit;
    }
    return *this;
}

TextWriter& TextWriter::ns_as_us(uint64_t ns) { return fixed(ns, 1000, 3).str("us"); }

TextWriter& TextWriter::cpus(const CpuSet& set) {
    if (set.empty()) return chr('-');
    bool first = true;
    for (CpuId c = set.first(); c != CpuSet::kNone;) {
        CpuId end = c;
        while (end + 1 < kMaxCpus && set.test(end + 1)) ++end;
        if (!first) chr(',');
        first = false;
        u64(c);
        if (end != c) chr('-').u64(end);
        c = end + 1 < kMaxCpus ? set.next(end + 1) : CpuSet::kNone;
    }
    return *this;
}

TextWriter& TextWriter::pad_to(size_t width) {
    while (written_ - column_start_ < width) chr(' ');
    return *this;
}

} // namespace rthv
