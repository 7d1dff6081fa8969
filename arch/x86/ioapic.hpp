// I/O APIC (Intel 82093AA data sheet; ACPI MADT for where each one lives and which global
// system interrupts it serves): just enough to route one device interrupt to one CPU. rthv
// takes no device interrupts but the control channel's COM2 receive (ctl_port.hpp).
#pragma once

#include <stdint.h>

#include "arch/x86/madt.hpp"

namespace rthv::x86::ioapic {

// Routes ISA IRQ `irq` (through the MADT's overrides) to `vector` on the CPU with local APIC
// id `apic_id`: fixed delivery, physical destination, unmasked. False (nothing changed) when
// no IOAPIC serves its GSI.
bool route_isa_irq(const MadtInfo& madt, uint8_t irq, uint8_t vector, uint32_t apic_id);

} // namespace rthv::x86::ioapic
