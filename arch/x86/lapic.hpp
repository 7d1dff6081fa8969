// Local APIC in xAPIC mode, memory-mapped (SDM Vol. 3A chapter 10): identification, EOI, IPIs
// and the LVT timer in one-shot or TSC-deadline mode.
#pragma once

#include <stdint.h>

namespace rthv::x86::lapic {

void set_base(uint64_t phys); // from the MADT; once, before any other call
void init_cpu();              // enable, mask local interrupts, set the spurious vector
uint32_t id();
void eoi();

void send_fixed_ipi(uint32_t apic_id, uint8_t vector);
void send_init(uint32_t apic_id);
void send_startup(uint32_t apic_id, uint8_t page); // SIPI: start at page << 12 in real mode

// Timer (SDM 10.5.4). Divide-by-1 so a count is one bus/crystal tick.
void timer_oneshot(uint8_t vector, uint32_t count);
void timer_tsc_deadline_mode(uint8_t vector); // arm with IA32_TSC_DEADLINE afterwards
void timer_stop();
uint32_t timer_current_count();

} // namespace rthv::x86::lapic
