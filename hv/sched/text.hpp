// Text output without libc: a sink interface (the platform's console, a test buffer, the
// simulator's stdout) and a small formatter for the scheduler's dump and reports.
#pragma once

#include "hv/lib/cpu_set.hpp"
#include "hv/lib/types.hpp"

namespace rthv {

class TextSink {
public:
    virtual void write(const char* text, size_t len) = 0;

protected:
    ~TextSink() = default;
};

// Writes into a caller's buffer, always NUL-terminated, silently truncating.
class BufferSink final : public TextSink {
public:
    BufferSink(char* buf, size_t cap) : buf_(buf), cap_(cap) {
        if (cap_) buf_[0] = '\0';
    }
    void write(const char* text, size_t len) override;
    const char* str() const { return buf_; }
    size_t size() const { return len_; }
    bool truncated() const { return truncated_; }

private:
    char* buf_;
    size_t cap_;
    size_t len_ = 0;
    bool truncated_ = false;
};

class TextWriter {
public:
    explicit TextWriter(TextSink& sink) : sink_(sink) {}
    TextWriter& str(const char* s);
    TextWriter& chr(char c);
    TextWriter& u64(uint64_t v);
    TextWriter& i64(int64_t v);
    // v/scale with `decimals` digits after the point, truncated: ppm(1500000) -> "1.500000".
    TextWriter& fixed(uint64_t v, uint64_t scale, unsigned decimals);
    TextWriter& ppm(uint64_t v) { return fixed(v, 1000000, 6); }
    // A duration in ns shown as µs with three decimals: "1234.567us".
    TextWriter& ns_as_us(uint64_t ns);
    // Members as ranges: "0-3,6" ("-" when empty).
    TextWriter& cpus(const CpuSet& set);
    // Pad with spaces to `width` characters counted from the last pad_start().
    TextWriter& pad_start() {
        column_start_ = written_;
        return *this;
    }
    TextWriter& pad_to(size_t width);

private:
    void put(const char* s, size_t n);
    TextSink& sink_;
    size_t written_ = 0;
    size_t column_start_ = 0;
};

} // namespace rthv
