#include "arch/x86/vmx/ept.hpp"

#include "arch/x86/paging.hpp"

namespace rthv::x86::vmx {
namespace {

// EPT entry bits (SDM 29.3.2, tables 29-1..29-6).
constexpr uint64_t kRead = 1u << 0;
constexpr uint64_t kWrite = 1u << 1;
constexpr uint64_t kExecute = 1u << 2;
constexpr uint64_t kMemTypeWb = 6u << 3; // leaf: memory type in bits 5:3
constexpr uint64_t kIgnorePat = 1u << 6;
constexpr uint64_t kAddrMask = 0x000ffffffffff000ull;
constexpr uint64_t kTable = kRead | kWrite | kExecute; // leaves decide the permissions

unsigned index(uint64_t gpa, unsigned level) { return (gpa >> (12 + 9 * level)) & 511; }

uint64_t* table(uint64_t phys) { return phys_to_virt<uint64_t>(phys); }

// The leaf entry for `gpa` (level 0), creating the tables above it.
uint64_t* leaf_for(uint64_t pml4, uint64_t gpa) {
    uint64_t t = pml4;
    for (unsigned level = 3; level > 0; --level) {
        uint64_t& e = table(t)[index(gpa, level)];
        if ((e & kTable) == 0) {
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
            if (uint64_t e = table(t)[i]; (e & kTable) != 0) free_level(e & kAddrMask, level - 1);
    hvm::free_frame(t);
}

} // namespace

uint64_t ept_build(const hvm::GuestMemory& memory) {
    uint64_t pml4 = hvm::alloc_frame();
    if (pml4 == 0) return 0;
    for (size_t i = 0; i < memory.frames(); ++i) {
        uint64_t* leaf = leaf_for(pml4, i * hvm::GuestMemory::kFrameBytes);
        if (leaf == nullptr) {
            ept_destroy(pml4);
            return 0;
        }
        *leaf = memory.frame(i) | kRead | kWrite | kExecute | kMemTypeWb | kIgnorePat;
    }
    return pml4;
}

void ept_destroy(uint64_t pml4) {
    if (pml4 != 0) free_level(pml4, 3);
}

uint64_t ept_translate(uint64_t pml4, uint64_t gpa) {
    uint64_t t = pml4;
    for (unsigned level = 3;; --level) {
        uint64_t e = table(t)[index(gpa, level)];
        if ((e & kTable) == 0) return ~0ull;
        if (level == 0) return e & kAddrMask;
        t = e & kAddrMask;
    }
}

} // namespace rthv::x86::vmx
