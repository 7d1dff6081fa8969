// A domain's RAM: kGuestMemory bytes at guest-physical 0, backed by frames from the frame
// allocator (zero-filled, so no other domain's or the hypervisor's data can leak in). The
// frames need not be contiguous: the nested page tables map each one.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "guests/abi.hpp"

namespace rthv::x86::hvm {

// One zeroed frame (guest RAM, control blocks, nested page tables). The frame allocator is not
// thread-safe and CPUs create their VCPUs concurrently, so every hvm/backend frame comes from
// here. 0 when out of memory.
uint64_t alloc_frame();
void free_frame(uint64_t phys);

class GuestMemory {
public:
    static constexpr size_t kFrameBytes = 4096;
    static constexpr size_t kFrames = guest_abi::kGuestMemory / kFrameBytes;

    bool allocate(); // false when the allocator runs dry (what was taken is given back)
    void release();

    size_t frames() const { return count_; }
    uint64_t frame(size_t i) const { return frames_[i]; } // host-physical, for the EPT/NPT
    uint64_t bytes() const { return count_ * kFrameBytes; }

    // Copies between the hypervisor and guest-physical memory; false if any byte of
    // [gpa, gpa + len) lies outside the domain's RAM.
    bool write(uint64_t gpa, const void* src, size_t len);
    bool read(uint64_t gpa, void* dst, size_t len) const;

private:
    uint64_t frames_[kFrames] = {};
    size_t count_ = 0;
};

} // namespace rthv::x86::hvm
