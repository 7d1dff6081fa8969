// VirtualLapic's register file: IA32_APIC_BASE and the x2APIC MSRs (SDM Vol. 3A 11.12.1.2).
//
// What Linux 6.1 needs besides CPUID.1:ECX.x2APIC to stay in x2APIC mode (this model has no
// xAPIC MMIO): without interrupt remapping, try_to_enable_x2apic() keeps x2APIC only when
// x86_init.hyper.x2apic_available() is true, i.e. when it detected a hypervisor it knows (KVM
// signature in CPUID 0x40000000 is the usual one); otherwise it logs "IRQ remapping doesn't
// support X2APIC mode" and switches back to xAPIC (EN=0 then EN=1) and MMIO. It then uses
// physical destinations only (x2apic_phys = 1) and APIC IDs < 255, which suits the 8-bit I/O
// APIC destinations of vioapic.hpp.
#include "hv/vplat/vlapic.hpp"

namespace rthv::vplat {

namespace {

// Writable bits of each LVT entry (SDM 11.5.1), in x2apic::kLvtTimer order. Bits the SDM
// marks read-only (12 delivery status; 14 LINT remote IRR) are accepted and dropped on write;
// every other bit is reserved and #GPs (SDM 11.12.1.3).
constexpr uint32_t kLvtWritable[VirtualLapic::kNumLvt] = {
    0x700FF, // timer: vector, mask, mode 18:17
    0x107FF, // thermal: vector, delivery mode, mask
    0x107FF, // performance counters: same
    0x1A7FF, // LINT0: vector, delivery mode, polarity, trigger mode, mask
    0x1A7FF, // LINT1: same
    0x100FF, // error: vector, mask
};
constexpr uint32_t kLvtReadOnly[VirtualLapic::kNumLvt] = {
    1u << 12, 1u << 12, 1u << 12, 5u << 12, 5u << 12, 1u << 12,
};
// SVR: vector 7:0, APIC software enable 8, focus processor checking 9 (kept, no effect: there is
// no lowest-priority arbitration here). Bit 12 is reserved: kVersionValue bit 24 is 0.
constexpr uint64_t kSvrWritable = 0x3FF;
constexpr uint64_t kDivideWritable = 0xB; // bits 0, 1, 3 (SDM 11.5.4)

} // namespace

VirtualLapic::VirtualLapic(uint32_t vcpu_index, uint16_t tsc_per_tick)
    : id_(vcpu_index), tsc_per_tick_(tsc_per_tick == 0 ? 1 : tsc_per_tick),
      apic_base_(kApicBaseDefault | kApicBaseEnable | (vcpu_index == 0 ? kApicBaseBsp : 0)) {
    reset_registers();
}

// Power-up values (SDM 11.4.7.1): everything zero except LVTs masked and SVR 0xFF (software
// disabled). The ID and IA32_APIC_BASE are not registers of this reset.
void VirtualLapic::reset_registers() {
    tpr_ = 0;
    svr_ = 0xFF;
    esr_ = esr_pending_ = 0;
    icr_ = 0;
    for (uint32_t& lvt : lvt_) lvt = kLvtMasked;
    for (int i = 0; i < 8; ++i) irr_[i] = isr_[i] = tmr_[i] = 0;
    timer_initial_ = 0;
    timer_divide_ = 0;
    timer_deadline_ = 0; // also clears IA32_TSC_DEADLINE (SDM 11.5.4.1)
}

void VirtualLapic::init_reset() { reset_registers(); }

MsrAccess VirtualLapic::read_msr(uint32_t msr, uint64_t& value, uint64_t now_tsc) {
    value = 0;
    settle(now_tsc);
    if (msr == kMsrApicBase) {
        value = apic_base_;
        return MsrAccess::Ok;
    }
    if (msr == kMsrTscDeadline) {
        // Reads 0 outside TSC-deadline mode and once the deadline has fired (SDM 11.5.4.1).
        value = timer_mode() == TimerMode::TscDeadline ? timer_deadline_ : 0;
        return MsrAccess::Ok;
    }
    // The x2APIC MSRs #GP unless x2APIC mode is on (SDM 11.12.1.2).
    if (msr < kMsrX2apicFirst || msr > kMsrX2apicLast || !x2apic_mode()) return MsrAccess::Gp;
    uint64_t v = 0;
    const MsrAccess r = read_reg(msr, v, now_tsc);
    if (r == MsrAccess::Ok) value = v;
    return r;
}

MsrAccess VirtualLapic::read_reg(uint32_t msr, uint64_t& value, uint64_t now_tsc) const {
    using namespace x2apic;
    if (msr >= kIsr0 && msr < kIrr0 + 8) {
        const uint32_t i = (msr - kIsr0) & 7u;
        value = msr < kTmr0 ? isr_[i] : msr < kIrr0 ? tmr_[i] : irr_[i];
        return MsrAccess::Ok;
    }
    if (msr >= kLvtTimer && msr <= kLvtError) {
        value = lvt_[msr - kLvtTimer];
        return MsrAccess::Ok;
    }
    switch (msr) {
    case kId:
        value = id_;
        break;
    case kVersion:
        value = kVersionValue;
        break;
    case kTpr:
        value = tpr_;
        break;
    case kPpr:
        value = ppr();
        break;
    case kLdr:
        value = x2apic_ldr(id_);
        break;
    case kSvr:
        value = svr_;
        break;
    case kEsr:
        value = esr_;
        break;
    case kIcr:
        value = icr_;
        break;
    case kTimerInitial:
        value = timer_initial_;
        break;
    case kTimerCurrent:
        value = current_count(now_tsc);
        break;
    case kTimerDivide:
        value = timer_divide_;
        break;
    default:
        return MsrAccess::Gp; // reserved, or write-only (EOI, SELF IPI)
    }
    return MsrAccess::Ok;
}

MsrAccess VirtualLapic::write_msr(uint32_t msr, uint64_t value, uint64_t now_tsc,
                                  LapicEffects& fx) {
    fx = LapicEffects{};
    const uint64_t armed_before = timer_deadline_;
    settle(now_tsc);
    MsrAccess r = MsrAccess::Gp;
    if (msr == kMsrApicBase) {
        r = write_apic_base(value);
    } else if (msr == kMsrTscDeadline) {
        write_tsc_deadline(value, now_tsc);
        r = MsrAccess::Ok;
    } else if (msr >= kMsrX2apicFirst && msr <= kMsrX2apicLast && x2apic_mode()) {
        r = write_reg(msr, value, now_tsc, fx);
    }
    fx.timer_deadline_tsc = timer_deadline_;
    fx.timer_changed = timer_deadline_ != armed_before;
    return r;
}

MsrAccess VirtualLapic::write_reg(uint32_t msr, uint64_t value, uint64_t now_tsc,
                                  LapicEffects& fx) {
    using namespace x2apic;
    if (msr == kIcr) return write_icr(value, fx); // the only register with 64 bits
    if (value >> 32) return MsrAccess::Gp;
    const auto v32 = static_cast<uint32_t>(value);
    if (msr >= kLvtTimer && msr <= kLvtError) return write_lvt(msr - kLvtTimer, v32);
    switch (msr) {
    case kTpr:
        if (v32 & ~0xFFu) return MsrAccess::Gp;
        tpr_ = v32;
        return MsrAccess::Ok;
    case kEoi:
        if (v32 != 0) return MsrAccess::Gp; // only 0 may be written (SDM 11.12.1.2)
        eoi(fx);
        return MsrAccess::Ok;
    case kSvr:
        return write_svr(v32);
    case kEsr:
        // Only 0 in x2APIC mode; the write latches the errors seen since the previous write and
        // clears them (SDM 11.5.3).
        if (v32 != 0) return MsrAccess::Gp;
        esr_ = esr_pending_;
        esr_pending_ = 0;
        return MsrAccess::Ok;
    case kTimerInitial:
        write_initial_count(v32, now_tsc);
        return MsrAccess::Ok;
    case kTimerDivide:
        if (v32 & ~kDivideWritable) return MsrAccess::Gp;
        write_divide(v32, now_tsc);
        return MsrAccess::Ok;
    case kSelfIpi:
        // A fixed, edge-triggered interrupt to this APIC (SDM 11.12.11).
        if (v32 & ~0xFFu) return MsrAccess::Gp;
        set_irr(static_cast<uint8_t>(v32), false);
        return MsrAccess::Ok;
    default:
        return MsrAccess::Gp; // reserved, or read-only (ID, version, PPR, LDR, ISR...)
    }
}

MsrAccess VirtualLapic::write_lvt(uint32_t index, uint64_t value) {
    if (value & ~static_cast<uint64_t>(kLvtWritable[index] | kLvtReadOnly[index])) {
        return MsrAccess::Gp;
    }
    uint32_t v = static_cast<uint32_t>(value) & kLvtWritable[index];
    if (index == 0 && ((v >> 17) & 3u) == 3u) return MsrAccess::Gp; // timer mode 11b reserved
    // While software-disabled the mask bits stay set (SDM 11.4.7.2).
    if (!sw_enabled()) v |= kLvtMasked;
    const TimerMode old_mode = timer_mode();
    lvt_[index] = v;
    if (index == 0 && timer_mode() != old_mode) timer_mode_changed(old_mode);
    return MsrAccess::Ok;
}

MsrAccess VirtualLapic::write_svr(uint64_t value) {
    if (value & ~kSvrWritable) return MsrAccess::Gp;
    svr_ = static_cast<uint32_t>(value);
    // Software disable masks every LVT entry (SDM 11.4.7.2); the timer keeps counting.
    if (!sw_enabled()) {
        for (uint32_t& lvt : lvt_) lvt |= kLvtMasked;
    }
    return MsrAccess::Ok;
}

// IA32_APIC_BASE (SDM 11.4.4) and the x2APIC state machine (SDM 11.12.5): the
// states are disabled (EN=0, EXTD=0), xAPIC (1, 0) and x2APIC (1, 1); (0, 1) is invalid, and
// x2APIC -> xAPIC and disabled -> x2APIC are illegal transitions. All of them #GP.
MsrAccess VirtualLapic::write_apic_base(uint64_t value) {
    // Bits 7:0 and 9 are reserved; BSP (8) is read-only here. The base cannot be moved: the
    // xAPIC page is not modelled, and 0xFEE00000 also keeps the bits above MAXPHYADDR clear.
    constexpr uint64_t kModeBits = kApicBaseEnable | kApicBaseExtd;
    if ((value & ~(kModeBits | kApicBaseBsp)) != kApicBaseDefault) return MsrAccess::Gp;
    const bool en = (value & kApicBaseEnable) != 0;
    const bool extd = (value & kApicBaseExtd) != 0;
    if (extd && !en) return MsrAccess::Gp;
    if (x2apic_mode() && en && !extd) return MsrAccess::Gp;
    if (!hw_enabled() && extd) return MsrAccess::Gp;
    // Disabling puts the APIC back to its power-up state (SDM 11.4.3); entering x2APIC mode
    // keeps all registers, ID and LDR being the x2APIC forms from then on (SDM 11.12.5.1).
    if (hw_enabled() && !en) reset_registers();
    apic_base_ = kApicBaseDefault | (value & kModeBits) | (apic_base_ & kApicBaseBsp);
    return MsrAccess::Ok;
}

} // namespace rthv::vplat
