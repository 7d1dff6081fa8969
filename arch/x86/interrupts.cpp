// The C side of isr.S: exceptions are fatal (exceptions.cpp); LAPIC vectors are acknowledged
// after their handler; the spurious vector gets no EOI (SDM Vol. 3A 10.9).
#include "arch/x86/asm_defs.hpp"
#include "arch/x86/console.hpp"
#include "arch/x86/ctl_port.hpp"
#include "arch/x86/exceptions.hpp"
#include "arch/x86/lapic.hpp"
#include "arch/x86/timer.hpp"

using rthv::x86::InterruptFrame;

extern "C" void interrupt_dispatch(InterruptFrame* frame) {
    using namespace rthv::x86;
    switch (frame->vector) {
    case VECTOR_TIMER:
        timer_interrupt();
        break;
    case VECTOR_TIMER_REARM:
        timer_rearm_interrupt();
        break;
    case VECTOR_RESCHEDULE:
        reschedule_interrupt();
        break;
    case VECTOR_CTL_UART:
        ctl_port::receive_interrupt();
        break;
    case VECTOR_SPURIOUS:
        return;
    default:
        if (frame->vector < 32) handle_exception(*frame);
        // Remapped-but-masked 8259 vectors (0x30-0x3f) can only be spurious: no EOI.
        if (frame->vector >= 0x30 && frame->vector < 0x40) return;
        log(LogLevel::kWarn, "unexpected interrupt vector %llu",
            static_cast<unsigned long long>(frame->vector));
        break;
    }
    lapic::eoi();
}
