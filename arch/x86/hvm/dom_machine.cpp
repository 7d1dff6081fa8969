// X86Machine: the run loop's machine services (hv/dom/machine.hpp) on x86. The loop runs with
// interrupts off; they are taken in the STI window before each decision, in the idle HLT and,
// while a guest runs, on its exit (acknowledge-on-exit, vmx/exit_interrupt.cpp).
#include "arch/x86/hvm/dom.hpp"
#include "arch/x86/hvm/dom_ctl.hpp"
#include "arch/x86/timer.hpp"

namespace rthv::x86::hvm {

uint64_t X86Machine::interrupts_taken(CpuId) {
    const PerCpu& pc = this_cpu();
    return pc.timer_irqs + pc.rearm_irqs + pc.reschedule_irqs;
}

// SDM Vol. 2B STI: interrupts are recognised after the instruction following STI, so the NOP
// is the window; pending timer and IPI vectors are taken through the IDT here.
void X86Machine::interrupt_window(CpuId) { asm volatile("sti; nop; cli" ::: "memory"); }

// sti; hlt; cli: the HLT sits in STI's shadow, so no wake-up is lost between check and halt.
void X86Machine::idle(CpuId) { idle_wait(); }

// The deadlines armed since the last flush are programmed before the guest runs.
void X86Machine::before_entry(CpuId) { timer_flush(); }

bool X86Machine::serve_control(CpuId) { return ctl_poll(dom_state()); }

} // namespace rthv::x86::hvm
