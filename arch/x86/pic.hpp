// Legacy 8259 PICs: remapped away from the exception vectors and fully masked. rthv takes
// interrupts only from the local APIC (SDM Vol. 3A 10.1; 8259A data sheet for ICW1-4).
#pragma once

namespace rthv::x86 {

void pic_disable();

} // namespace rthv::x86
