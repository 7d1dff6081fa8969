#include "arch/x86/paging.hpp"

#include "arch/x86/cr.hpp"

extern "C" char __text_start[], __text_end[], __rodata_start[], __rodata_end[], __data_start[],
    __data_end[];

namespace rthv::x86 {
namespace {

constexpr uint64_t kAddrMask = 0x000ffffffffff000ull;
constexpr uint64_t kTableFlags = kPagePresent | kPageWrite; // leaves decide the permissions
constexpr uint64_t k2M = 2ull << 20;
constexpr uint64_t k4G = 4ull << 30;
constexpr uint64_t kPhysMapMax = 512ull << 30; // one PML4 slot
constexpr uint64_t kUncachedFrom = 0xfe000000; // LAPIC/IOAPIC MMIO must be UC (SDM 10.4.1)

FrameAllocator* allocator = nullptr;
uint64_t pml4_phys = 0;

unsigned index(uint64_t va, unsigned level) { return (va >> (12 + 9 * level)) & 511; }

// The table entry at `level` (3 = PML4 .. 0 = PT) for `va`, creating tables above it.
uint64_t* entry_for(uint64_t va, unsigned level, bool create) {
    uint64_t table = pml4_phys;
    for (unsigned l = 3; l > level; --l) {
        uint64_t& e = phys_to_virt<uint64_t>(table)[index(va, l)];
        if ((e & kPagePresent) == 0) {
            if (!create) return nullptr;
            uint64_t frame = allocator->alloc();
            if (frame == 0) return nullptr;
            e = frame | kTableFlags;
        }
        table = e & kAddrMask;
    }
    return &phys_to_virt<uint64_t>(table)[index(va, level)];
}

bool map_2m(uint64_t va, uint64_t pa, uint64_t flags) {
    if (violates_wx(flags)) return false;
    uint64_t* e = entry_for(va, 1, true);
    if (e == nullptr) return false;
    *e = pa | flags | kPageLarge | kPagePresent;
    return true;
}

bool map_section(const char* start, const char* end, uint64_t flags) {
    for (auto va = reinterpret_cast<uint64_t>(start); va < reinterpret_cast<uint64_t>(end);
         va += kFrameSize)
        if (!map_page(va, va - KERNEL_VMA, flags)) return false;
    return true;
}

[[noreturn]] void paging_failed() { halt_forever(); } // before the console: nothing to say

} // namespace

bool map_page(uint64_t va, uint64_t pa, uint64_t flags) {
    if (violates_wx(flags)) return false;
    uint64_t* e = entry_for(va, 0, true);
    if (e == nullptr) return false;
    *e = (pa & kAddrMask) | flags | kPagePresent;
    return true;
}

void unmap_page(uint64_t va) {
    if (uint64_t* e = entry_for(va, 0, false); e != nullptr) *e = 0;
    invlpg(va);
}

void paging_init(FrameAllocator& frames, uint64_t phys_limit) {
    allocator = &frames;
    pml4_phys = frames.alloc();
    if (pml4_phys == 0) paging_failed();
    uint64_t limit = phys_limit > k4G ? phys_limit : k4G;
    if (limit > kPhysMapMax) limit = kPhysMapMax;
    for (uint64_t pa = 0; pa < limit; pa += k2M) {
        uint64_t flags = kPageWrite | kPageNoExecute | kPageGlobal;
        if (pa >= kUncachedFrom && pa < k4G) flags |= kPageCacheDisable | kPageWriteThrough;
        if (!map_2m(PHYS_MAP_BASE + pa, pa, flags)) paging_failed();
    }
    bool ok = map_section(__text_start, __text_end, kPageGlobal) &&
              map_section(__rodata_start, __rodata_end, kPageGlobal | kPageNoExecute) &&
              map_section(__data_start, __data_end, kPageGlobal | kPageWrite | kPageNoExecute);
    if (!ok) paging_failed();
    write_cr3(pml4_phys);
}

uint64_t kernel_cr3() { return pml4_phys; }
FrameAllocator& frame_allocator() { return *allocator; }

} // namespace rthv::x86
