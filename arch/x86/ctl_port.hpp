// The control channel's UART: a 16550 on COM2 (port 0x2f8), polled like COM1 (serial.hpp).
// `./rthv run` connects it to the host's ctl.sock, where `xl` talks the hv/ctl protocol.
// Polled, never interrupt-driven: the hypervisor runs with interrupts disabled except in its
// run loop's short windows, and the protocol is strictly request/response, so a receive FIFO
// read every millisecond keeps up (the emulator holds further bytes back while it is full).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace rthv::x86::ctl_port {

bool init(); // false when no UART answers at COM2 (then reads return 0, writes are dropped)
// Moves up to `cap` received bytes into `out`; returns how many.
size_t read(uint8_t* out, size_t cap);
// Queues a whole frame and sends what the UART takes now; pump() sends more at every poll.
// Before, a transmitter busy for longer than put()'s bound lost the rest of the frame (seen as
// "no reply" in xl under a loaded host).
void write(const uint8_t* bytes, size_t n);
void pump();

} // namespace rthv::x86::ctl_port
