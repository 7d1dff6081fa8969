#include "arch/x86/hvm/nested_paging.hpp"

#include "arch/x86/paging.hpp"

namespace rthv::x86::hvm {
namespace {

// Bits 51:12 of any entry: the next table or the mapped frame (SDM 29.3.2, APM 5.3.3).
constexpr uint64_t kAddrMask = 0x000ffffffffff000ull;

unsigned index(uint64_t gpa, unsigned level) { return (gpa >> (12 + 9 * level)) & 511; }

uint64_t* table(uint64_t phys) { return phys_to_virt<uint64_t>(phys); }

// The level-0 entry for `gpa`, creating the tables above it.
uint64_t* leaf_for(uint64_t pml4, uint64_t gpa, const NestedFormat& f) {
    uint64_t t = pml4;
    for (unsigned level = 3; level > 0; --level) {
        uint64_t& e = table(t)[index(gpa, level)];
        if ((e & f.present) == 0) {
            uint64_t frame = alloc_frame();
            if (frame == 0) return nullptr;
            e = frame | f.table;
        }
        t = e & kAddrMask;
    }
    return &table(t)[index(gpa, 0)];
}

void free_level(uint64_t t, unsigned level, const NestedFormat& f) {
    if (level > 0)
        for (unsigned i = 0; i < 512; ++i)
            if (uint64_t e = table(t)[i]; (e & f.present) != 0)
                free_level(e & kAddrMask, level - 1, f);
    free_frame(t);
}

} // namespace

uint64_t nested_build(const GuestMemory& memory, const NestedFormat& format) {
    uint64_t pml4 = alloc_frame();
    if (pml4 == 0) return 0;
    for (size_t i = 0; i < memory.frames(); ++i) {
        uint64_t* leaf = leaf_for(pml4, i * GuestMemory::kFrameBytes, format);
        if (leaf == nullptr) {
            nested_destroy(pml4, format);
            return 0;
        }
        *leaf = memory.frame(i) | format.leaf;
    }
    return pml4;
}

void nested_destroy(uint64_t pml4, const NestedFormat& format) {
    if (pml4 != 0) free_level(pml4, 3, format);
}

uint64_t nested_translate(uint64_t pml4, uint64_t gpa, const NestedFormat& format) {
    uint64_t t = pml4;
    for (unsigned level = 3;; --level) {
        uint64_t e = table(t)[index(gpa, level)];
        if ((e & format.present) == 0) return ~0ull;
        if (level == 0) return e & kAddrMask;
        t = e & kAddrMask;
    }
}

} // namespace rthv::x86::hvm
