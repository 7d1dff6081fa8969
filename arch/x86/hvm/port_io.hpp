// Port I/O emulation for guests: a write-only virtual COM1 (data port -> the domain's line
// console, line status always "transmitter empty") and nothing else: other ports read as all
// ones and ignore writes, like an empty ISA bus.
#pragma once

#include <stdint.h>

#include "arch/x86/hvm/vcpu.hpp"

namespace rthv::x86::hvm {

uint32_t port_in(HvmVcpu& v, uint16_t port, uint8_t size);
RunResult port_out(HvmVcpu& v, uint16_t port, uint8_t size, uint32_t value);

} // namespace rthv::x86::hvm
