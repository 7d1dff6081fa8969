// One builder for the nested page tables of both backends. Intel's EPT (SDM Vol. 3C 29.3) and
// AMD's NPT (APM Vol. 2, 15.25) are both 4-level radix trees of 512 8-byte entries per 4 KiB
// table, indexed by guest-physical address bits 47:12 exactly like x86-64 paging; they differ
// only in the bits of an entry (EPT: R/W/X and a memory type, SDM 29.3.2; NPT: the ordinary
// long-mode P/RW/US format, APM 5.3.3), which each backend hands in as a NestedFormat. The tree
// maps exactly the domain's RAM frames at guest-physical 0..; everything else is absent.
#pragma once

#include <stdint.h>

#include "arch/x86/hvm/guest_memory.hpp"

namespace rthv::x86::hvm {

struct NestedFormat {
    uint64_t present; // an entry maps something if any of these bits is set
    uint64_t table;   // bits of an entry pointing at a lower-level table
    uint64_t leaf;    // bits of a level-0 entry mapping one guest RAM frame
};

// Builds the tree; returns the PML4's physical address, or 0 when out of memory (nothing is
// left allocated then).
uint64_t nested_build(const GuestMemory& memory, const NestedFormat& format);

// Frees every table of the tree (not the guest's frames); 0 is no tree.
void nested_destroy(uint64_t pml4, const NestedFormat& format);

// Host-physical frame mapped at `gpa`, or ~0 if none.
uint64_t nested_translate(uint64_t pml4, uint64_t gpa, const NestedFormat& format);

} // namespace rthv::x86::hvm
