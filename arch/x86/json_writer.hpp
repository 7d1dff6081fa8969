// A minimal JSON writer into a caller-provided buffer (no heap). Commas and nesting are tracked
// so sections written by different subsystems compose into one valid document. If the buffer
// fills up, the output is marked truncated and later writes are dropped.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace rthv::x86 {

class JsonWriter {
public:
    JsonWriter(char* buf, size_t size) : buf_(buf), size_(size) {}

    // `key` is nullptr for values inside arrays (and for the outermost object).
    void begin_object(const char* key = nullptr);
    void end_object();
    void begin_array(const char* key);
    void end_array();
    void field(const char* key, uint64_t value);
    void field_signed(const char* key, int64_t value);
    void field(const char* key, const char* value);
    void field_bool(const char* key, bool value);
    // `value` / 10^decimals as a JSON number with exactly `decimals` digits after the point
    // (no floating point in the hypervisor): field_fixed("share", 200300, 6) -> 0.200300.
    void field_fixed(const char* key, uint64_t value, unsigned decimals);

    const char* data() const { return buf_; }
    size_t length() const { return len_; }
    bool truncated() const { return truncated_; }

private:
    static constexpr int kMaxDepth = 16;
    void separator(const char* key); // comma (if needed), newline, indentation, "key": part
    void raw(const char* s);
    void put(char c);
    void string(const char* s);

    char* buf_;
    size_t size_;
    size_t len_ = 0;
    int depth_ = 0;
    bool has_items_[kMaxDepth] = {};
    bool truncated_ = false;
};

} // namespace rthv::x86
