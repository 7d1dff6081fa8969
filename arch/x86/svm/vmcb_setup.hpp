// Filling a fresh VMCB (AMD APM Vol. 2, appendix B; 15.5.1 VMRUN consistency checks) for a
// guest that starts in 32-bit protected mode with paging off on top of its nested page tables,
// the same start state the VT-x backend gives (vmx/vmcs_setup.hpp).
#pragma once

#include <stdint.h>

#include "arch/x86/svm/vmcb.hpp"

namespace rthv::x86::svm {

// Writes the intercepts, the permission maps, ASID, nested paging and the guest state.
void vmcb_init(Vmcb& vmcb, uint64_t npt_root, uint32_t asid, uint32_t entry, uint32_t stack);

} // namespace rthv::x86::svm
