// Filling a fresh VMCS (SDM Vol. 3C 25.4 guest state, 25.5 host state, 25.6-25.8 controls) for
// a guest that starts in 32-bit protected mode with paging off, which "unrestricted guest"
// allows (SDM 26.3.1.1), on top of the domain's EPT.
#pragma once

#include <stdint.h>

namespace rthv::x86::vmx {

// Writes every field into the current VMCS. Host state is the calling CPU's.
bool vmcs_write_all(uint64_t ept_root, uint32_t entry, uint32_t stack);

// Rewrites the host-state fields of the current VMCS for the calling CPU (its TSS, GS base and
// GDT differ per CPU): needed when a VCPU moves to another CPU (SDM 26.2.3, 28.5).
bool vmcs_write_host_state();

} // namespace rthv::x86::vmx
