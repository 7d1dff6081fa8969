#include "arch/x86/hvm/blocking.hpp"

#include "arch/x86/tsc.hpp"
#include "arch/x86/tsc_math.hpp"

namespace rthv::x86::hvm {

RunResult block(HvmVcpu& v) {
    if (v.timer_deadline != kTimeNever && now() >= v.timer_deadline) {
        v.timer_deadline = kTimeNever; // the timer fired already: consume it, keep running
        return RunResult::kResume;
    }
    v.blocked = true;
    return RunResult::kBlock;
}

void set_timer(HvmVcpu& v, Time deadline) { v.timer_deadline = deadline; }

Time guest_tsc_to_ns(uint64_t tsc) {
    uint64_t origin = tsc_at(0);
    return tsc <= origin ? 0 : tsc_ticks_to_ns(tsc - origin);
}

uint64_t ns_to_guest_tsc(Time t) { return tsc_at(t); }

uint64_t guest_ticks_to_us(uint64_t ticks) { return tsc_ticks_to_ns(ticks) / 1000; }

} // namespace rthv::x86::hvm
