// VMX capability MSRs (SDM Vol. 3D appendix A) and the pure arithmetic on them: adjusting a
// wanted control word to what the CPU allows (A.3-A.5) and the CR0/CR4 fixed bits (A.7, A.8).
#pragma once

#include <stdint.h>

namespace rthv::x86::vmx {

enum class CapMsr : uint32_t {
    kFeatureControl = 0x3a,
    kBasic = 0x480,
    kMisc = 0x485,
    kCr0Fixed0 = 0x486,
    kCr0Fixed1 = 0x487,
    kCr4Fixed0 = 0x488,
    kCr4Fixed1 = 0x489,
    kProcControls2 = 0x48b, // no "true" variant (A.3.3)
    kEptVpidCap = 0x48c,
    kTruePinControls = 0x48d,
    kTrueProcControls = 0x48e,
    kTrueExitControls = 0x48f,
    kTrueEntryControls = 0x490,
};

// IA32_FEATURE_CONTROL (SDM Vol. 3C 24.7): bit 0 lock, bit 2 VMXON outside SMX.
inline constexpr uint64_t kFeatureControlLock = 1u << 0;
inline constexpr uint64_t kFeatureControlVmxOutsideSmx = 1u << 2;
// IA32_VMX_BASIC (A.1): bits 30:0 revision id, bit 55 "true" control MSRs exist.
inline constexpr uint64_t kBasicTrueControls = 1ull << 55;
// IA32_VMX_EPT_VPID_CAP (A.10): 4-level walk, write-back EPT structures, INVEPT single.
inline constexpr uint64_t kEptWalk4 = 1ull << 6;
inline constexpr uint64_t kEptWriteBack = 1ull << 14;
inline constexpr uint64_t kInvept = 1ull << 20;
inline constexpr uint64_t kInveptSingle = 1ull << 25;

struct Controls {
    uint32_t value;   // what to write into the VMCS
    uint32_t missing; // wanted bits the CPU cannot set (0 = all granted)
};

// A control MSR holds the allowed 0-settings in bits 31:0 (a 1 there: the bit must be 1) and
// the allowed 1-settings in bits 63:32 (a 0 there: the bit must be 0), SDM A.3.1.
constexpr Controls adjust_controls(uint32_t wanted, uint64_t cap_msr) {
    auto must_be_one = static_cast<uint32_t>(cap_msr);
    auto may_be_one = static_cast<uint32_t>(cap_msr >> 32);
    uint32_t value = (wanted | must_be_one) & may_be_one;
    return {value, wanted & ~value};
}

// CR0/CR4 in VMX operation: bits set in FIXED0 must be 1, bits clear in FIXED1 must be 0.
constexpr uint64_t apply_fixed(uint64_t cr, uint64_t fixed0, uint64_t fixed1) {
    return (cr | fixed0) & fixed1;
}

} // namespace rthv::x86::vmx
