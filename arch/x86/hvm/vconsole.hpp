// The guest's virtual COM1: bytes written to its data port (or passed by the console
// hypercall) are collected into whole lines, each printed on the hypervisor console prefixed
// with the domain name, so output of guests on different CPUs never interleaves mid-line.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace rthv::x86::hvm {

class VirtualConsole {
public:
    static constexpr size_t kLineMax = 120; // longer lines are split

    void put(const char* domain, char c);
    void flush(const char* domain); // prints a partial line, if any
    uint64_t lines() const { return lines_; }
    uint64_t bytes() const { return bytes_; }

private:
    char line_[kLineMax + 1] = {};
    size_t len_ = 0;
    uint64_t lines_ = 0;
    uint64_t bytes_ = 0;
};

} // namespace rthv::x86::hvm
