#include "arch/x86/hvm/guest_memory.hpp"

#include "arch/x86/paging.hpp"
#include "hv/lib/spinlock.hpp"

namespace rthv::x86::hvm {
namespace {
Spinlock alloc_lock;
} // namespace

uint64_t alloc_frame() {
    LockGuard g(alloc_lock);
    return frame_allocator().alloc();
}

void free_frame(uint64_t phys) {
    LockGuard g(alloc_lock);
    frame_allocator().free(phys);
}

bool GuestMemory::allocate() {
    for (count_ = 0; count_ < kFrames; ++count_) {
        uint64_t f = alloc_frame();
        if (f == 0) {
            release();
            return false;
        }
        frames_[count_] = f;
    }
    return true;
}

void GuestMemory::release() {
    while (count_ > 0) free_frame(frames_[--count_]);
}

bool GuestMemory::write(uint64_t gpa, const void* src, size_t len) {
    if (gpa + len < gpa || gpa + len > bytes()) return false;
    const auto* s = static_cast<const uint8_t*>(src);
    for (size_t i = 0; i < len; ++i, ++gpa)
        phys_to_virt<uint8_t>(frames_[gpa / kFrameBytes])[gpa % kFrameBytes] = s[i];
    return true;
}

bool GuestMemory::read(uint64_t gpa, void* dst, size_t len) const {
    if (gpa + len < gpa || gpa + len > bytes()) return false;
    auto* d = static_cast<uint8_t*>(dst);
    for (size_t i = 0; i < len; ++i, ++gpa)
        d[i] = phys_to_virt<const uint8_t>(frames_[gpa / kFrameBytes])[gpa % kFrameBytes];
    return true;
}

} // namespace rthv::x86::hvm
