// Virtual local APIC of one guest VCPU, in x2APIC mode (Intel SDM Vol. 3A ch. 11).
//
// What the guest sees: IA32_APIC_BASE starts at 0xFEE00000 | EN (| BSP for VCPU 0), i.e. xAPIC
// mode as after a real reset; the guest switches to x2APIC by setting EXTD (SDM 11.12.5). The
// xAPIC MMIO page is NOT modelled: the registers are only reachable through the x2APIC MSRs
// 0x800-0x8FF, which #GP until x2APIC mode is on, so the platform must make the guest use
// x2APIC (CPUID.1:ECX.x2APIC = 1; see vlapic_regs.cpp for what Linux 6.1 also needs).
// IA32_TSC_DEADLINE (0x6E0) is served in every mode.
//
// Choices where the SDM leaves room:
// - Version register 0x00050014: version 0x14 (integrated APIC), max LVT entry 5 (timer,
//   thermal, perf, LINT0, LINT1, error; no CMCI, so MSR 0x82F #GPs), bit 24 = 0 (no EOI-
//   broadcast suppression, so SVR bit 12 is reserved).
// - The timer input clock is the TSC divided by a fixed integer `tsc_per_tick` given to the
//   constructor (the platform declares that frequency to the guest, e.g. as the CPUID 0x15 crystal
//   clock), then by the divide configuration register.
// - Writes that set reserved bits #GP (SDM 11.12.1.3); read-only status bits (delivery status,
//   LINT remote IRR) are ignored on write; the reserved LVT timer mode 11b #GPs.
//
// Not thread-safe: the caller holds the VCPU's lock. The model never reads a clock: every call
// that depends on time takes the current TSC. Interrupts to other VCPUs come back as effects.
#pragma once

#include "hv/vplat/vlapic_defs.hpp"

namespace rthv::vplat {

class VirtualLapic {
public:
    static constexpr uint32_t kVersionValue = 0x00050014u; // what x2apic::kVersion reads
    static constexpr uint32_t kNumLvt = 6; // timer, thermal, perf, LINT0, LINT1, error

    // `vcpu_index` becomes the x2APIC ID (VCPU 0 is the BSP). `tsc_per_tick` >= 1 (0 is taken as
    // 1): TSC cycles per timer input tick, before the divide configuration.
    VirtualLapic(uint32_t vcpu_index, uint16_t tsc_per_tick);

    // Guest RDMSR / WRMSR of 0x1B, 0x6E0 or 0x800-0x8FF. On Gp nothing changed (`value` of a read
    // is then 0). write_msr overwrites all of `fx`.
    MsrAccess read_msr(uint32_t msr, uint64_t& value, uint64_t now_tsc);
    MsrAccess write_msr(uint32_t msr, uint64_t value, uint64_t now_tsc, LapicEffects& fx);

    // xAPIC mode's MMIO page at IA32_APIC_BASE (SDM 11.4.1, table 11-1), 32-bit accesses at
    // 16-byte aligned offsets: the same registers as the x2APIC MSRs, except ID (bits 31:24),
    // the ICR split in two (the low half's write sends, with the 8-bit destination from the high
    // half) and DFR. Gp when the APIC is disabled or in x2APIC mode (no MMIO there, SDM
    // 11.12.2) or for an offset with no register. Linux reads the ID here before it switches to
    // x2APIC (vlapic_xapic.cpp).
    MsrAccess mmio_read(uint32_t offset, uint32_t& value, uint64_t now_tsc);
    MsrAccess mmio_write(uint32_t offset, uint32_t value, uint64_t now_tsc, LapicEffects& fx);

    // Accept a fixed interrupt into IRR (from the I/O APIC, an IPI, or a local source); `level`
    // sets its TMR bit so that its EOI is reported. Dropped while the APIC is hardware- or
    // software-disabled (SDM 11.4.7.2); vectors 0-15 are illegal (ESR bit 6, SDM 11.5.3).
    void set_irr(uint8_t vector, bool level);
    // Highest vector in IRR whose priority class is above PPR's, or -1 (SDM 11.8.3.1). Vectors
    // accepted before a software disable stay deliverable ("held", SDM 11.4.7.2).
    int pending_vector() const;
    // The caller injected `vector` (normally pending_vector()): IRR -> ISR, which raises PPR.
    void ack(uint8_t vector);

    // Call at (or after) fx.timer_deadline_tsc: pends the LVT timer vector unless masked and
    // re-arms periodic mode. Early or stale calls do nothing. Overwrites all of `fx`.
    void timer_expired(uint64_t now_tsc, LapicEffects& fx);
    // The TSC at which timer_expired() is due; 0 when disarmed. Authoritative after any call.
    uint64_t timer_deadline() const { return timer_deadline_; }

    // INIT received (not INIT level de-assert): registers back to their reset values except the
    // APIC ID and IA32_APIC_BASE, which keeps x2APIC mode (SDM 11.4.7.3, 11.12.5.1).
    void init_reset();

    // Inspection for the caller and the tests.
    uint32_t id() const { return id_; }
    uint64_t apic_base() const { return apic_base_; }
    bool hw_enabled() const { return (apic_base_ & kApicBaseEnable) != 0; }
    bool x2apic_mode() const { return hw_enabled() && (apic_base_ & kApicBaseExtd) != 0; }
    bool sw_enabled() const { return (svr_ & kSvrEnable) != 0; }
    uint32_t tpr() const { return tpr_; }
    uint32_t ppr() const;
    bool irr(uint8_t v) const { return test(irr_, v); }
    bool isr(uint8_t v) const { return test(isr_, v); }
    bool tmr(uint8_t v) const { return test(tmr_, v); }

private:
    static constexpr uint32_t kSvrEnable = 1u << 8;
    static constexpr uint32_t kEsrSendIllegal = 1u << 5;
    static constexpr uint32_t kEsrRecvIllegal = 1u << 6;
    enum class TimerMode : uint32_t { OneShot = 0, Periodic = 1, TscDeadline = 2 };

    static bool test(const uint32_t (&r)[8], uint8_t v) { return (r[v >> 5] >> (v & 31)) & 1u; }
    static void set(uint32_t (&r)[8], uint8_t v) { r[v >> 5] |= 1u << (v & 31); }
    static void clear(uint32_t (&r)[8], uint8_t v) { r[v >> 5] &= ~(1u << (v & 31)); }
    static int highest(const uint32_t (&r)[8]);

    // vlapic_regs.cpp: the register file.
    MsrAccess read_reg(uint32_t msr, uint64_t& value, uint64_t now_tsc) const;
    MsrAccess write_reg(uint32_t msr, uint64_t value, uint64_t now_tsc, LapicEffects& fx);
    MsrAccess write_apic_base(uint64_t value);
    MsrAccess write_lvt(uint32_t index, uint64_t value);
    MsrAccess write_svr(uint64_t value);
    void reset_registers();

    // vlapic_irq.cpp: acceptance, priority, EOI, errors.
    void eoi(LapicEffects& fx);
    void raise_error(uint32_t esr_bits);

    // vlapic_timer.cpp.
    TimerMode timer_mode() const { return static_cast<TimerMode>((lvt_[0] >> 17) & 3u); }
    uint64_t tick_tsc() const;
    uint32_t current_count(uint64_t now_tsc) const;
    void settle(uint64_t now_tsc);
    void fire(uint64_t now_tsc);
    void timer_mode_changed(TimerMode old_mode);
    void write_initial_count(uint32_t count, uint64_t now_tsc);
    void write_divide(uint32_t value, uint64_t now_tsc);
    void write_tsc_deadline(uint64_t deadline, uint64_t now_tsc);

    // vlapic_icr.cpp.
    MsrAccess write_icr(uint64_t value, LapicEffects& fx);

    uint32_t id_;
    uint64_t tsc_per_tick_;
    uint64_t apic_base_;
    uint32_t tpr_ = 0;
    uint32_t svr_ = 0xFF;
    uint32_t esr_ = 0;         // what ESR reads: errors latched by the last ESR write
    uint32_t esr_pending_ = 0; // errors since that write
    uint64_t icr_ = 0;
    uint32_t xapic_icr_high_ = 0; // xAPIC ICR bits 63:32 until the low half's write sends
    uint32_t xapic_ldr_ = 0, xapic_dfr_ = 0xFFFFFFFFu;
    uint32_t lvt_[kNumLvt] = {};
    uint32_t irr_[8] = {};
    uint32_t isr_[8] = {};
    uint32_t tmr_[8] = {};
    uint32_t timer_initial_ = 0;
    uint32_t timer_divide_ = 0;   // divide configuration register as written (bits 0, 1, 3)
    uint64_t timer_deadline_ = 0; // next expiry (count reaches 0 / TSC deadline); 0 = disarmed
};

// Start-up state of a VCPU (SDM Vol. 3A 9.4 "Multiple-Processor (MP) Initialization"): an AP
// starts in wait-for-SIPI; INIT puts any VCPU there (the caller also calls
// VirtualLapic::init_reset); the first SIPI while waiting starts it at CS.selector = vector << 8,
// CS.base = vector << 12, IP = 0 in real mode; SIPIs to a running VCPU are ignored. INIT to the
// BSP restarts it at the reset vector on hardware; this model has no reset vector, so the
// caller should treat that as a guest reset.
class VcpuStartState {
public:
    explicit VcpuStartState(bool bsp) : waiting_(!bsp) {}

    bool waiting_for_sipi() const { return waiting_; }
    // -1 until a SIPI started the VCPU after the last INIT (or ever, for an AP).
    int start_vector() const { return start_vector_; }
    uint64_t start_cs_base() const { return start_page() << 12; }
    uint16_t start_cs_selector() const { return static_cast<uint16_t>(start_page() << 8); }

    void on_init() {
        waiting_ = true;
        start_vector_ = -1;
    }
    // True when this SIPI started the VCPU (the caller loads the start state and runs it).
    bool on_sipi(uint8_t vector) {
        if (!waiting_) return false;
        waiting_ = false;
        start_vector_ = vector;
        return true;
    }

private:
    uint64_t start_page() const {
        return start_vector_ < 0 ? 0 : static_cast<uint64_t>(start_vector_);
    }

    bool waiting_;
    int start_vector_ = -1;
};

} // namespace rthv::vplat
