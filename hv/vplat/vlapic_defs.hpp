// Vocabulary of the virtual local APIC (vlapic.hpp) and I/O APIC (vioapic.hpp): MSR numbers,
// interrupt message fields and the effects the models hand back to their caller.
//
// References: Intel SDM Vol. 3A ch. 11 "Advanced Programmable Interrupt Controller (APIC)"
// (x2APIC MSR map 11.12.1.2, ICR 11.6.1) and the Intel 82093AA I/O APIC datasheet.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace rthv::vplat {

// MSRs the caller routes to VirtualLapic (everything in 0x800-0x8FF plus these two).
inline constexpr uint32_t kMsrApicBase = 0x1B;     // IA32_APIC_BASE
inline constexpr uint32_t kMsrTscDeadline = 0x6E0; // IA32_TSC_DEADLINE (SDM 11.5.4.1)
inline constexpr uint32_t kMsrX2apicFirst = 0x800; // x2APIC MSR range (SDM 11.12.1.2)
inline constexpr uint32_t kMsrX2apicLast = 0x8FF;

// x2APIC register MSRs (SDM 11.12.1.2: MSR = 0x800 + xAPIC MMIO offset / 16).
namespace x2apic {
inline constexpr uint32_t kId = 0x802;
inline constexpr uint32_t kVersion = 0x803;
inline constexpr uint32_t kTpr = 0x808;
inline constexpr uint32_t kPpr = 0x80A;
inline constexpr uint32_t kEoi = 0x80B;
inline constexpr uint32_t kLdr = 0x80D;
inline constexpr uint32_t kSvr = 0x80F;
inline constexpr uint32_t kIsr0 = 0x810; // ISR 0x810-0x817, TMR 0x818-0x81F, IRR 0x820-0x827
inline constexpr uint32_t kTmr0 = 0x818;
inline constexpr uint32_t kIrr0 = 0x820;
inline constexpr uint32_t kEsr = 0x828;
inline constexpr uint32_t kIcr = 0x830;
inline constexpr uint32_t kLvtTimer = 0x832; // LVT timer, thermal, perf, LINT0, LINT1, error
inline constexpr uint32_t kLvtThermal = 0x833;
inline constexpr uint32_t kLvtPerf = 0x834;
inline constexpr uint32_t kLvtLint0 = 0x835;
inline constexpr uint32_t kLvtLint1 = 0x836;
inline constexpr uint32_t kLvtError = 0x837;
inline constexpr uint32_t kTimerInitial = 0x838;
inline constexpr uint32_t kTimerCurrent = 0x839;
inline constexpr uint32_t kTimerDivide = 0x83E;
inline constexpr uint32_t kSelfIpi = 0x83F;
} // namespace x2apic

// IA32_APIC_BASE fields (SDM 11.4.4, 11.12.1).
inline constexpr uint64_t kApicBaseBsp = 1u << 8;
inline constexpr uint64_t kApicBaseExtd = 1u << 10; // x2APIC mode
inline constexpr uint64_t kApicBaseEnable = 1u << 11;
inline constexpr uint64_t kApicBaseDefault = 0xFEE00000u;

// Bits common to the LVT entries (SDM 11.5.1, "Local Vector Table").
inline constexpr uint32_t kLvtMasked = 1u << 16;
inline constexpr uint32_t kLvtVectorMask = 0xFFu;

enum class MsrAccess : uint8_t {
    Ok,
    Gp, // the caller injects #GP(0) into the guest and leaves the guest's registers unchanged
};

// ICR bits 10:8 (SDM 11.6.1); the I/O APIC redirection entry uses the same encoding.
enum class DeliveryMode : uint8_t {
    Fixed = 0,
    LowestPriority = 1,
    Smi = 2,
    Nmi = 4,
    Init = 5,
    StartUp = 6,
    ExtInt = 7,
};

enum class DestMode : uint8_t { Physical = 0, Logical = 1 };

// ICR bits 19:18.
enum class Shorthand : uint8_t { None = 0, Self = 1, AllIncludingSelf = 2, AllExcludingSelf = 3 };

// One interrupt message sent through the ICR, for the caller to route to every VCPU for which
// ipi_targets() is true (the sender included when the shorthand says so).
struct IpiRequest {
    DeliveryMode mode = DeliveryMode::Fixed;
    DestMode dest_mode = DestMode::Physical;
    Shorthand shorthand = Shorthand::None;
    uint8_t vector = 0; // Fixed / LowestPriority: the vector; StartUp: the start page (<<12)
    bool level = false; // trigger mode bit 15 (true = level); Fixed IPIs are normally edge
    uint32_t dest = 0;  // ICR bits 63:32, the x2APIC destination
};

// x2APIC destination rules (SDM 11.12.9 / 11.12.10): physical destination 0xFFFFFFFF is a
// broadcast; logical destinations are cluster (bits 31:16) plus a 16-bit member mask (15:0),
// with the target's logical ID derived from its x2APIC ID (LDR, SDM 11.12.10.2).
bool ipi_targets(const IpiRequest& req, uint32_t sender_id, uint32_t target_id);

// The x2APIC logical ID (LDR) of x2APIC ID `id` (SDM 11.12.10.2).
constexpr uint32_t x2apic_ldr(uint32_t id) { return ((id >> 4) << 16) | (1u << (id & 0xFu)); }

// What a VirtualLapic call asks its caller to do. Every write_msr / timer_expired call fills
// the whole structure, so the caller may reuse one.
struct LapicEffects {
    // An IPI was sent through the ICR; route `ipi` (INIT level de-assert sends nothing).
    bool has_ipi = false;
    IpiRequest ipi;
    // EOI retired a level-triggered vector (its TMR bit was set): tell the I/O APIC
    // (VirtualIoapic::eoi) so it can clear Remote IRR. -1 when none.
    int eoi_level_vector = -1;
    // The TSC at which the caller must call timer_expired(); 0 = no timer armed. Always the
    // current value; `timer_changed` says whether the call changed it.
    uint64_t timer_deadline_tsc = 0;
    bool timer_changed = false;
};

} // namespace rthv::vplat
