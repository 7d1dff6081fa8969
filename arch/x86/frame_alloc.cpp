#include "arch/x86/frame_alloc.hpp"

namespace rthv::x86 {

// Splits [base, end) around every reserved range that overlaps it (recursively, since a
// region may contain several reserved ranges) and keeps what is left.
void FrameAllocator::add_free(uint64_t base, uint64_t end, const PhysRange* reserved,
                              size_t reserved_count) {
    for (size_t i = 0; i < reserved_count; ++i) {
        const PhysRange& r = reserved[i];
        if (r.base >= end || r.end <= base) continue;
        if (r.base > base) add_free(base, r.base, reserved + i + 1, reserved_count - i - 1);
        if (r.end < end) add_free(r.end, end, reserved + i + 1, reserved_count - i - 1);
        return;
    }
    if (base < end && range_count_ < kMaxRanges) {
        ranges_[range_count_] = {base, end};
        next_[range_count_] = base;
        ++range_count_;
    }
}

void FrameAllocator::init(const MemRegion* regions, size_t count, const PhysRange* reserved,
                          size_t reserved_count, uint64_t limit, ToVirt to_virt) {
    *this = FrameAllocator{};
    to_virt_ = to_virt;
    PhysRange aligned[kMaxReserved];
    size_t n = reserved_count < kMaxReserved ? reserved_count : kMaxReserved;
    for (size_t i = 0; i < n; ++i)
        aligned[i] = {reserved[i].base & ~(kFrameSize - 1),
                      (reserved[i].end + kFrameSize - 1) & ~(kFrameSize - 1)};
    for (size_t i = 0; i < count; ++i) {
        if (regions[i].type != MemType::kAvailable) continue;
        uint64_t base = (regions[i].base + kFrameSize - 1) & ~(kFrameSize - 1);
        uint64_t end = regions[i].base + regions[i].length;
        if (end < regions[i].base || end > limit) end = limit; // overflow or beyond the physmap
        end &= ~(kFrameSize - 1);
        if (base < end) add_free(base, end, aligned, n);
    }
}

uint64_t FrameAllocator::alloc() {
    uint64_t frame = 0;
    if (free_list_ != 0) {
        frame = free_list_;
        free_list_ = *static_cast<uint64_t*>(to_virt_(frame));
        --free_listed_;
    } else {
        for (size_t i = 0; i < range_count_ && frame == 0; ++i) {
            if (next_[i] < ranges_[i].end) {
                frame = next_[i];
                next_[i] += kFrameSize;
            }
        }
        if (frame == 0) return 0;
    }
    auto* words = static_cast<uint64_t*>(to_virt_(frame));
    for (size_t i = 0; i < kFrameSize / sizeof(uint64_t); ++i) words[i] = 0;
    return frame;
}

uint64_t FrameAllocator::alloc_contiguous(size_t count) {
    if (count == 0) return 0;
    const uint64_t bytes = count * kFrameSize;
    for (size_t i = 0; i < range_count_; ++i) {
        if (ranges_[i].end - next_[i] < bytes) continue;
        const uint64_t first = next_[i];
        next_[i] += bytes;
        auto* words = static_cast<uint64_t*>(to_virt_(first));
        for (uint64_t w = 0; w < bytes / sizeof(uint64_t); ++w) words[w] = 0;
        return first;
    }
    return 0;
}

void FrameAllocator::free(uint64_t phys) {
    *static_cast<uint64_t*>(to_virt_(phys)) = free_list_;
    free_list_ = phys;
    ++free_listed_;
}

uint64_t FrameAllocator::free_frames() const {
    uint64_t n = free_listed_;
    for (size_t i = 0; i < range_count_; ++i) n += (ranges_[i].end - next_[i]) / kFrameSize;
    return n;
}

} // namespace rthv::x86
