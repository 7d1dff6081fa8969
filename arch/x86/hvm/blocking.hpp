// Guest blocking and its one-shot timer, vendor-neutral: HLT and the block hypercall both end
// here. A VCPU blocks until its timer deadline; a deadline already passed makes block return
// at once (no lost wake-up between set_timer and block), and a VCPU with no timer armed
// blocks for good.
#pragma once

#include "arch/x86/hvm/vcpu.hpp"

namespace rthv::x86::hvm {

RunResult block(HvmVcpu& v);
void set_timer(HvmVcpu& v, Time deadline); // kTimeNever cancels

// Guest time is the TSC; the hypervisor's is ns since boot (arch/x86/tsc.hpp).
Time guest_tsc_to_ns(uint64_t tsc);
uint64_t ns_to_guest_tsc(Time t);
uint64_t guest_ticks_to_us(uint64_t ticks);

} // namespace rthv::x86::hvm
