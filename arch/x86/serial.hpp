// 16550 UART on COM1 (port 0x3f8), polled, 115200 8N1. Polling keeps the console usable from
// fault handlers and before interrupts exist.
#pragma once

#include <stddef.h>

namespace rthv::x86::serial {

bool init(); // false when no UART answers (then writes are dropped)
void write(const char* s, size_t n);
void drain(); // wait until the transmitter is empty (before powering off)

} // namespace rthv::x86::serial
