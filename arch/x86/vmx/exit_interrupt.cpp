// External interrupt (exit reason 1). With "acknowledge interrupt on exit" the CPU has already
// taken the vector from the local APIC and put it in the VM-exit interruption information
// (SDM 27.2.2, 28.2.2), so the hypervisor's own handler runs here, exactly as if the interrupt
// had arrived through the IDT: this is how timer and reschedule interrupts reach the host even
// while a guest spins with interrupts disabled.
#include "arch/x86/console.hpp"
#include "arch/x86/interrupt_frame.hpp"
#include "arch/x86/vmx/exits.hpp"
#include "arch/x86/vmx/vmx_insn.hpp"

extern "C" void interrupt_dispatch(rthv::x86::InterruptFrame* frame); // arch/x86/interrupts.cpp

namespace rthv::x86::vmx {

hvm::RunResult handle_external_interrupt(hvm::HvmVcpu& v, uint32_t) {
    auto info = static_cast<uint32_t>(vmread(Field::kExitInterruptionInfo));
    if ((info & (1u << 31)) == 0) {
        // Without a valid vector there is nothing to acknowledge; the interrupt (if any) stays
        // pending in the APIC and exits again at the next entry.
        log(LogLevel::kWarn, "[%s] external-interrupt exit without a vector", v.name);
        return hvm::RunResult::kResume;
    }
    InterruptFrame frame{};
    frame.vector = info & 0xff;
    interrupt_dispatch(&frame); // runs the handler and sends the EOI
    return hvm::RunResult::kResume;
}

} // namespace rthv::x86::vmx
