// Nested page tables (AMD APM Vol. 2, 15.25): one tree per domain in the ordinary x86-64
// 4-level long-mode format, rooted at the VMCB's N_CR3, mapping exactly the domain's RAM frames
// at guest-physical 0.. (writable, executable, write-back through the host PAT). Nothing else
// (the hypervisor, other domains, MMIO) is present, so any guest access to it is a nested page
// fault (#VMEXIT code 0x400) and crashes the domain: the same isolation as the EPT (vmx/ept.hpp).
#pragma once

#include <stdint.h>

#include "arch/x86/hvm/guest_memory.hpp"

namespace rthv::x86::svm {

// Builds the tree; returns the PML4's physical address, or 0 when out of memory (nothing is
// left allocated then).
uint64_t npt_build(const hvm::GuestMemory& memory);

// Frees every table of the tree (not the guest's frames).
void npt_destroy(uint64_t pml4);

// Host-physical frame mapped at `gpa`, or ~0 if none.
uint64_t npt_translate(uint64_t pml4, uint64_t gpa);

} // namespace rthv::x86::svm
