// VirtualLapic's interrupt acceptance and priority: IRR, ISR, TMR, PPR, EOI and ESR
// (SDM Vol. 3A 11.5.3, 11.8.3-11.8.5).
#include "hv/vplat/vlapic.hpp"

namespace rthv::vplat {

int VirtualLapic::highest(const uint32_t (&r)[8]) {
    for (int i = 7; i >= 0; --i) {
        if (r[i] != 0) return i * 32 + 31 - __builtin_clz(r[i]);
    }
    return -1;
}

// PPR (SDM 11.8.3.1): the higher of TPR and the in-service vector's class; the sub-class comes
// from TPR only when TPR's class is the higher or equal one.
uint32_t VirtualLapic::ppr() const {
    const int isrv = highest(isr_);
    const uint32_t isr_class = isrv < 0 ? 0 : static_cast<uint32_t>(isrv) & 0xF0u;
    return (tpr_ & 0xF0u) >= isr_class ? tpr_ : isr_class;
}

// Acceptance of a fixed interrupt (SDM 11.8.4): IRR bit set, TMR bit set for level-triggered and
// cleared for edge-triggered. A software-disabled APIC still takes INIT, NMI, SMI and SIPI
// (handled by the caller) but no fixed interrupts (SDM 11.4.7.2); a hardware-disabled one takes
// nothing. Vectors 0-15 are reserved for exceptions and are refused with ESR bit 6.
void VirtualLapic::set_irr(uint8_t vector, bool level) {
    if (!hw_enabled() || !sw_enabled()) return;
    if (vector < 16) {
        raise_error(kEsrRecvIllegal);
        return;
    }
    set(irr_, vector);
    if (level) {
        set(tmr_, vector);
    } else {
        clear(tmr_, vector);
    }
}

// The SDM (11.8.3.1) delivers the highest IRR vector only when its priority class is above
// PPR[7:4]. Vectors already in IRR when the guest software-disabled the APIC are "held and
// require masking or handling by the CPU" (SDM 11.4.7.2), so they stay deliverable.
int VirtualLapic::pending_vector() const {
    if (!hw_enabled()) return -1;
    const int v = highest(irr_);
    if (v < 0) return -1;
    return (static_cast<uint32_t>(v) >> 4) > (ppr() >> 4) ? v : -1;
}

void VirtualLapic::ack(uint8_t vector) {
    if (!test(irr_, vector)) return;
    clear(irr_, vector);
    set(isr_, vector);
}

// EOI retires the highest-priority in-service vector (SDM 11.8.5); a level-triggered one is
// broadcast to the I/O APICs (no EOI-broadcast suppression: kVersionValue bit 24 is 0).
void VirtualLapic::eoi(LapicEffects& fx) {
    const int v = highest(isr_);
    if (v < 0) return;
    const auto vector = static_cast<uint8_t>(v);
    clear(isr_, vector);
    if (test(tmr_, vector)) fx.eoi_level_vector = v;
}

// Errors are logged for the next ESR write to latch and signalled through LVT error
// (SDM 11.5.3). An illegal vector in LVT error itself is not reported again.
void VirtualLapic::raise_error(uint32_t esr_bits) {
    esr_pending_ |= esr_bits;
    const uint32_t lvt = lvt_[5];
    const auto vector = static_cast<uint8_t>(lvt & kLvtVectorMask);
    if (!(lvt & kLvtMasked) && vector >= 16 && hw_enabled() && sw_enabled()) {
        set(irr_, vector);
        clear(tmr_, vector);
    }
}

} // namespace rthv::vplat
