// The hypercalls of guests/abi.hpp, vendor-neutral: the backend completes the instruction
// (VMCALL on VT-x) and calls hypercall(); arguments and result are in the guest registers.
#pragma once

#include "arch/x86/hvm/vcpu.hpp"

namespace rthv::x86::hvm {

RunResult hypercall(HvmVcpu& v);

} // namespace rthv::x86::hvm
