// The interrupt descriptor table (SDM Vol. 3A 6.14.1), shared by all CPUs: every vector points
// at its stub in isr.S; #DF, NMI and #MC switch to their IST stacks.
#pragma once

namespace rthv::x86 {

void idt_init(); // once, on the BSP
void idt_load(); // on every CPU

} // namespace rthv::x86
