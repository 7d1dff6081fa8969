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

uint64_t alloc_frames(size_t count) {
    LockGuard g(alloc_lock);
    return frame_allocator().alloc_contiguous(count);
}

void free_frame(uint64_t phys) {
    LockGuard g(alloc_lock);
    frame_allocator().free(phys);
}

uint64_t GuestMemory::frame(size_t i) const {
    return phys_to_virt<const uint64_t>(dirs_[i / kFramesPerDir])[i % kFramesPerDir];
}

bool GuestMemory::allocate(uint64_t want) {
    release();
    if (want == 0 || want > kMaxBytes) return false;
    const size_t n = static_cast<size_t>((want + kFrameBytes - 1) / kFrameBytes);
    for (count_ = 0; count_ < n; ++count_) {
        const size_t d = count_ / kFramesPerDir;
        if (count_ % kFramesPerDir == 0 && (dirs_[d] = alloc_frame()) == 0) break;
        uint64_t f = alloc_frame();
        if (f == 0) break;
        phys_to_virt<uint64_t>(dirs_[d])[count_ % kFramesPerDir] = f;
    }
    if (count_ == n) return true;
    release();
    return false;
}

void GuestMemory::release() {
    while (count_ > 0) {
        --count_;
        free_frame(frame(count_));
        if (count_ % kFramesPerDir == 0) {
            free_frame(dirs_[count_ / kFramesPerDir]);
            dirs_[count_ / kFramesPerDir] = 0;
        }
    }
    // A directory allocated for a frame that then could not be: give it back too.
    for (uint64_t& d : dirs_)
        if (d != 0) free_frame(d), d = 0;
}

bool GuestMemory::write(uint64_t gpa, const void* src, size_t len) {
    if (!inside(gpa, len)) return false;
    const auto* s = static_cast<const uint8_t*>(src);
    while (len > 0) {
        size_t off = gpa % kFrameBytes, n = kFrameBytes - off < len ? kFrameBytes - off : len;
        __builtin_memcpy(phys_to_virt<uint8_t>(frame(gpa / kFrameBytes)) + off, s, n);
        gpa += n, s += n, len -= n;
    }
    return true;
}

bool GuestMemory::zero(uint64_t gpa, size_t len) {
    if (!inside(gpa, len)) return false;
    while (len > 0) {
        size_t off = gpa % kFrameBytes, n = kFrameBytes - off < len ? kFrameBytes - off : len;
        __builtin_memset(phys_to_virt<uint8_t>(frame(gpa / kFrameBytes)) + off, 0, n);
        gpa += n, len -= n;
    }
    return true;
}

bool GuestMemory::read(uint64_t gpa, void* dst, size_t len) const {
    if (!inside(gpa, len)) return false;
    auto* d = static_cast<uint8_t*>(dst);
    while (len > 0) {
        size_t off = gpa % kFrameBytes, n = kFrameBytes - off < len ? kFrameBytes - off : len;
        __builtin_memcpy(d, phys_to_virt<const uint8_t>(frame(gpa / kFrameBytes)) + off, n);
        gpa += n, d += n, len -= n;
    }
    return true;
}

} // namespace rthv::x86::hvm
