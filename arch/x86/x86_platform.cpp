#include "arch/x86/x86_platform.hpp"

#include "arch/x86/timer.hpp"
#include "arch/x86/tsc.hpp"

namespace rthv::x86 {

Time X86Platform::now() const { return x86::now(); }
// Called under the timer core's queue lock: deferred to timer_flush() (timer.hpp says why).
void X86Platform::arm(CpuId cpu, Time deadline) { timer_defer(cpu, deadline); }
// A self-kick is an IPI too: with interrupts disabled it stays pending until the CPU next
// enables them (idle HLT, or guest entry, where it forces an immediate exit).
void X86Platform::kick(CpuId cpu) { send_reschedule(cpu); }

X86Platform& platform() {
    static X86Platform instance;
    return instance;
}

} // namespace rthv::x86
