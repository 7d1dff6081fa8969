// The hypervisor's own 4-level page tables (SDM Vol. 3A 4.5). Layout:
//   KERNEL_VMA + phys : the image, 4 KiB pages per linker section: .text R+X, .rodata R,
//                       .data/.bss R+W (all NX but .text): no mapping is ever W+X.
//   PHYS_MAP_BASE + p : all RAM and the low 4 GiB (2 MiB pages, R+W, NX); 0xfe000000-4 GiB
//                       (LAPIC, IOAPIC) uncached.
// map_page() refuses W+X, so the rule holds for every later mapping too.
#pragma once

#include <stdint.h>

#include "arch/x86/asm_defs.hpp"
#include "arch/x86/frame_alloc.hpp"

namespace rthv::x86 {

enum PageFlag : uint64_t {
    kPagePresent = 1ull << 0,
    kPageWrite = 1ull << 1,
    kPageWriteThrough = 1ull << 3,
    kPageCacheDisable = 1ull << 4,
    kPageLarge = 1ull << 7,
    kPageGlobal = 1ull << 8,
    kPageNoExecute = 1ull << 63,
};

inline uint64_t phys_to_virt_addr(uint64_t pa) { return PHYS_MAP_BASE + pa; }
template <typename T>
T* phys_to_virt(uint64_t pa) {
    return reinterpret_cast<T*>(phys_to_virt_addr(pa));
}
inline uint64_t image_virt_to_phys(const void* p) {
    return reinterpret_cast<uint64_t>(p) - KERNEL_VMA;
}

// True when a leaf with these flags would be writable and executable at once.
constexpr bool violates_wx(uint64_t flags) {
    return (flags & kPageWrite) != 0 && (flags & kPageNoExecute) == 0;
}

// Builds the final tables with frames from `frames`, switches the BSP to them. `phys_limit`:
// the physmap covers [0, max(4 GiB, phys_limit)).
void paging_init(FrameAllocator& frames, uint64_t phys_limit);
uint64_t kernel_cr3(); // for APs (must be below 4 GiB: the trampoline loads it in 32-bit mode)

// 4 KiB mapping in the kernel tables; false on W+X or when a table frame cannot be allocated.
bool map_page(uint64_t va, uint64_t pa, uint64_t flags);
void unmap_page(uint64_t va); // local TLB only

// Frame allocator usable after paging_init (stacks, guest memory later).
FrameAllocator& frame_allocator();

} // namespace rthv::x86
