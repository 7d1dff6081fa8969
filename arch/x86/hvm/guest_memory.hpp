// A domain's RAM: `bytes` at guest-physical 0, backed by 4 KiB frames from the frame allocator
// (zero-filled, so no other domain's or the hypervisor's data can leak in). The frames need not
// be contiguous: the nested page tables map each one. A toy guest has 256 KiB of its own per
// VCPU; a Linux domain has up to 1 GiB shared by its VCPUs (one object, one nested tree).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <new>

#include "arch/x86/paging.hpp"
#include "guests/abi.hpp"

namespace rthv::x86::hvm {

// One zeroed frame (guest RAM, control blocks, nested page tables). The frame allocator is not
// thread-safe and CPUs create their VCPUs concurrently, so every hvm/backend frame comes from
// here. 0 when out of memory.
uint64_t alloc_frame();
void free_frame(uint64_t phys);
// `count` zeroed frames in a row, for a table sized at run time (never freed). 0 when none.
uint64_t alloc_frames(size_t count);

// An array of `count` default-constructed T in frames of its own (never freed): per-CPU tables
// sized by the CPUs found. nullptr when out of memory.
template <typename T>
T* alloc_array(size_t count) {
    const size_t bytes = count * sizeof(T);
    const uint64_t pa = alloc_frames((bytes + kFrameSize - 1) / kFrameSize);
    if (pa == 0) return nullptr;
    T* array = phys_to_virt<T>(pa);
    for (size_t i = 0; i < count; ++i) new (array + i) T();
    return array;
}

class GuestMemory {
public:
    static constexpr size_t kFrameBytes = 4096;
    static constexpr size_t kFramesPerDir = kFrameBytes / sizeof(uint64_t); // 512
    static constexpr size_t kMaxDirs = 512;                                 // 1 GiB
    static constexpr uint64_t kMaxBytes = uint64_t{kMaxDirs} * kFramesPerDir * kFrameBytes;

    // `bytes` (rounded up to frames, at most kMaxBytes); false when the allocator runs dry or
    // the size is out of range (what was taken is given back).
    bool allocate(uint64_t bytes = guest_abi::kGuestMemory);
    void release();

    size_t frames() const { return count_; }
    uint64_t frame(size_t i) const; // host-physical, for the EPT/NPT
    uint64_t bytes() const { return count_ * kFrameBytes; }

    // Copies between the hypervisor and guest-physical memory, a frame at a time; false if any
    // byte of [gpa, gpa + len) lies outside the domain's RAM (nothing is copied then).
    bool write(uint64_t gpa, const void* src, size_t len);
    bool read(uint64_t gpa, void* dst, size_t len) const;
    bool zero(uint64_t gpa, size_t len);

    // The nested page tables over this memory, built by the backend for the first VCPU that
    // uses it and freed with the last (VCPUs of one Linux domain share them).
    uint64_t nested_root = 0;
    uint32_t nested_users = 0;

private:
    bool inside(uint64_t gpa, size_t len) const { return gpa + len >= gpa && gpa + len <= bytes(); }
    // Frame addresses in directory frames of 512 entries each: 4 KiB here for up to 1 GiB.
    uint64_t dirs_[kMaxDirs] = {};
    size_t count_ = 0;
};

} // namespace rthv::x86::hvm
