// The control channel's UART: a 16550 on COM2 (port 0x2f8). `./rthv run` connects it to the
// host's ctl.sock, where `xl` talks the hv/ctl protocol. A request's first byte raises ISA IRQ 3,
// routed through the IOAPIC to CPU 0 (VECTOR_CTL_UART): the guest running there exits and CPU 0
// reads the request in its run loop. Before, CPU 0 polled the FIFO every millisecond, which
// cost a timer exit each time whether xl talked or not (issue 15). Replies are sent as the
// transmitter takes them (polled: the protocol is request/response and frames are small).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "arch/x86/madt.hpp"

namespace rthv::x86::ctl_port {

bool init(); // false when no UART answers at COM2 (then reads return 0, writes are dropped)
// Routes COM2's receive interrupt to CPU 0 and enables it; `hook` runs in the interrupt (with
// interrupts off). False, nothing changed, when no IOAPIC serves IRQ 3: then poll.
bool enable_receive_interrupt(const MadtInfo& madt, uint32_t bsp_apic_id, void (*hook)());
void receive_interrupt(); // from interrupt_dispatch (VECTOR_CTL_UART)
uint64_t receive_interrupts();
bool has_input();     // a byte waits in the receive FIFO
bool output_queued(); // a reply waits for the transmitter
// Moves up to `cap` received bytes into `out`; returns how many.
size_t read(uint8_t* out, size_t cap);
// Queues a whole frame and sends what the UART takes now; pump() sends more at every poll.
// Before, a transmitter busy for longer than put()'s bound lost the rest of the frame (seen as
// "no reply" in xl under a loaded host).
void write(const uint8_t* bytes, size_t n);
void pump();

} // namespace rthv::x86::ctl_port
