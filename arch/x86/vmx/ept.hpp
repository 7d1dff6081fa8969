// Extended page tables (SDM Vol. 3C 29.3): one 4-level tree per domain mapping exactly the
// domain's RAM frames at guest-physical 0.. with read/write/execute and write-back memory
// type. Everything else (the hypervisor, other domains, MMIO) is simply absent, so any access
// to it is an EPT violation (exit reason 48) and crashes the domain.
#pragma once

#include <stdint.h>

#include "arch/x86/hvm/guest_memory.hpp"

namespace rthv::x86::vmx {

// Builds the tree; returns the PML4's physical address, or 0 when out of memory (nothing is
// left allocated then).
uint64_t ept_build(const hvm::GuestMemory& memory);

// Frees every table of the tree (not the guest's frames).
void ept_destroy(uint64_t pml4);

// The EPT pointer for the VMCS (SDM 25.6.11): write-back structures, 4-level walk.
constexpr uint64_t ept_pointer(uint64_t pml4) { return pml4 | 6u | (3u << 3); }

// Host-physical frame mapped at `gpa`, or ~0 if none (for tests of the isolation).
uint64_t ept_translate(uint64_t pml4, uint64_t gpa);

} // namespace rthv::x86::vmx
