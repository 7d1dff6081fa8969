// Physical 4 KiB frame allocator. Free RAM = multiboot2 "available" regions minus reserved
// ranges (low 1 MiB, the image, the boot info, modules). Frames are handed out by a bump pointer
// per range; freed frames go on a LIFO list threaded through the frames themselves (reached via
// a phys->virt function), so the allocator needs no storage of its own. Host-tested.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "arch/x86/multiboot2.hpp"

namespace rthv::x86 {

inline constexpr uint64_t kFrameSize = 4096;

struct PhysRange {
    uint64_t base; // [base, end), frame aligned
    uint64_t end;
};

class FrameAllocator {
public:
    static constexpr size_t kMaxRanges = 64;
    static constexpr size_t kMaxReserved = 24;
    using ToVirt = void* (*)(uint64_t phys);

    // Builds the free ranges; `limit` caps physical addresses (e.g. what the physmap covers).
    void init(const MemRegion* regions, size_t count, const PhysRange* reserved,
              size_t reserved_count, uint64_t limit, ToVirt to_virt);

    uint64_t alloc(); // a zero-filled frame, or 0 when out of memory
    // `count` physically contiguous zero-filled frames (the first's address), or 0 when no
    // range has that many left. Taken from the bump pointers only: freed frames are single.
    uint64_t alloc_contiguous(size_t count);
    void free(uint64_t phys);

    uint64_t free_frames() const;
    size_t range_count() const { return range_count_; }
    const PhysRange& range(size_t i) const { return ranges_[i]; }

private:
    void add_free(uint64_t base, uint64_t end, const PhysRange* reserved, size_t reserved_count);

    PhysRange ranges_[kMaxRanges] = {};
    uint64_t next_[kMaxRanges] = {}; // bump pointer per range
    size_t range_count_ = 0;
    uint64_t free_list_ = 0;
    uint64_t free_listed_ = 0;
    ToVirt to_virt_ = nullptr;
};

} // namespace rthv::x86
