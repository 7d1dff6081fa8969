// An event whose delivery a VM exit interrupted (an EPT violation while the guest's IDT or stack
// was being read, say) is lost unless the VMM delivers it again: SDM Vol. 3C 28.2.4 gives it in
// the IDT-vectoring information field, and 27.2.x / 26.6 say how to re-inject it through the
// VM-entry interruption-information field - the same layout (vector 7:0, type 10:8, error code
// 11, valid 31) with bits 30:12 reserved (zero) on entry, the error code copied when bit 11 is
// set, and the instruction length for software interrupts and exceptions (types 4, 5, 6),
// which the CPU reports in the VM-exit instruction-length field. AMD-V does the same with
// EXITINTINFO -> EVENTINJ (svm_backend.cpp). Pure: host-tested (tests/unit/arch).
#pragma once

#include <stdint.h>

namespace rthv::x86::vmx {

struct Reinjection {
    bool pending = false;         // the IDT-vectoring information was valid
    uint32_t entry_info = 0;      // for the VM-entry interruption-information field
    bool with_error_code = false; // copy the IDT-vectoring error code
    bool with_length = false;     // copy the VM-exit instruction length
};

constexpr Reinjection reinjection(uint32_t idt_vectoring_info) {
    constexpr uint32_t kValid = 1u << 31, kErrorCode = 1u << 11;
    if ((idt_vectoring_info & kValid) == 0) return {};
    const uint32_t type = (idt_vectoring_info >> 8) & 7u;
    const bool software = type == 4 || type == 5 || type == 6; // SDM 26.6.1.1, table 25-17
    return {true, idt_vectoring_info & (kValid | 0xfffu), (idt_vectoring_info & kErrorCode) != 0,
            software};
}

} // namespace rthv::x86::vmx
