// Address space identifiers (AMD APM Vol. 2, 15.16): guest TLB entries are tagged with the
// VMCB's ASID, so switching guests needs no flush as long as no stale entry can be hit. rthv
// gives each domain one ASID; a CPU must flush that ASID before a VCPU runs on it if the ASID
// was last used on that CPU by anything else (another VCPU of the domain, a destroyed domain
// whose id maps to the same ASID), or if the VCPU ran elsewhere since it last ran here (its own
// invalidations happened on the other CPU, 15.16.2).
#pragma once

#include <stdint.h>

#include "arch/x86/hvm/vcpu.hpp"
#include "arch/x86/svm/vmcb.hpp"

namespace rthv::x86::svm {

// The ASID of a domain (1..; 0 is the host's, illegal in a VMCB).
uint32_t asid_for_domain(uint32_t domain_id);

// Before VMRUN on the calling CPU: sets the VMCB's TLB_CONTROL to the flush the rules above ask
// for (or to none) and records `v` as the ASID's last user on this CPU.
void asid_prepare_entry(const hvm::HvmVcpu& v, VmcbControl& control);

// `v` leaves this CPU (unload) or is destroyed (on any CPU): forget it as a last user, so its
// next entry anywhere flushes, and no later VMCB at the same address inherits its entries.
void asid_forget_here(const hvm::HvmVcpu& v);
void asid_forget_everywhere(const hvm::HvmVcpu& v);

} // namespace rthv::x86::svm
