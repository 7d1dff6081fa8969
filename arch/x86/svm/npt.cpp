#include "arch/x86/svm/npt.hpp"

#include "arch/x86/paging.hpp"

namespace rthv::x86::svm {
namespace {

// Long-mode paging entry bits (APM Vol. 2, 5.3.3). Nested walks are user-level accesses
// (15.25.5), so U/S must be set at every level or the guest faults on its own RAM.
constexpr uint64_t kPresent = 1u << 0;
constexpr uint64_t kWrite = 1u << 1;
constexpr uint64_t kUser = 1u << 2;
constexpr uint64_t kAddrMask = 0x000ffffffffff000ull;
constexpr uint64_t kTable = kPresent | kWrite | kUser;
// Leaves: PAT/PCD/PWT = 0 selects host PAT entry 0 (write-back), combined with G_PAT.
constexpr uint64_t kLeaf = kPresent | kWrite | kUser;

unsigned index(uint64_t gpa, unsigned level) { return (gpa >> (12 + 9 * level)) & 511; }

uint64_t* table(uint64_t phys) { return phys_to_virt<uint64_t>(phys); }

// The level-0 entry for `gpa`, creating the tables above it.
uint64_t* leaf_for(uint64_t pml4, uint64_t gpa) {
    uint64_t t = pml4;
    for (unsigned level = 3; level > 0; --level) {
        uint64_t& e = table(t)[index(gpa, level)];
        if ((e & kPresent) == 0) {
            uint64_t frame = hvm::alloc_frame();
            if (frame == 0) return nullptr;
            e = frame | kTable;
        }
        t = e & kAddrMask;
    }
    return &table(t)[index(gpa, 0)];
}

void free_level(uint64_t t, unsigned level) {
    if (level > 0)
        for (unsigned i = 0; i < 512; ++i)
            if (uint64_t e = table(t)[i]; (e & kPresent) != 0) free_level(e & kAddrMask, level - 1);
    hvm::free_frame(t);
}

} // namespace

uint64_t npt_build(const hvm::GuestMemory& memory) {
    uint64_t pml4 = hvm::alloc_frame();
    if (pml4 == 0) return 0;
    for (size_t i = 0; i < memory.frames(); ++i) {
        uint64_t* leaf = leaf_for(pml4, i * hvm::GuestMemory::kFrameBytes);
        if (leaf == nullptr) {
            npt_destroy(pml4);
            return 0;
        }
        *leaf = memory.frame(i) | kLeaf;
    }
    return pml4;
}

void npt_destroy(uint64_t pml4) {
    if (pml4 != 0) free_level(pml4, 3);
}

uint64_t npt_translate(uint64_t pml4, uint64_t gpa) {
    uint64_t t = pml4;
    for (unsigned level = 3;; --level) {
        uint64_t e = table(t)[index(gpa, level)];
        if ((e & kPresent) == 0) return ~0ull;
        if (level == 0) return e & kAddrMask;
        t = e & kAddrMask;
    }
}

} // namespace rthv::x86::svm
