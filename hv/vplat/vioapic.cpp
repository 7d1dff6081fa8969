// Virtual I/O APIC (Intel 82093AA I/O APIC datasheet; the model is described in vioapic.hpp).
#include "hv/vplat/vioapic.hpp"

namespace rthv::vplat {

namespace {

// Redirection entry (82093AA section 3.2.4): writable bits are the vector 7:0, delivery mode
// 10:8, destination mode 11, polarity 13, trigger mode 15, mask 16 and the destination 63:56.
// Delivery status (12) and Remote IRR (14) are read-only; the rest is reserved and reads 0.
constexpr uint64_t kRteWritableLow = 0x1AFFF;
constexpr uint64_t kRteWritableHigh = 0xFF000000ull << 32;
constexpr uint32_t kIdMask = 0xFu << 24; // 82093AA: a 4-bit ID in bits 27:24

} // namespace

bool ioapic_targets(const IoapicDelivery& d, uint32_t target_id) {
    if (d.dest_mode == DestMode::Physical) return d.dest == 0xFF || d.dest == target_id;
    return target_id < 8 && ((d.dest >> target_id) & 1u) != 0;
}

VirtualIoapic::VirtualIoapic(uint8_t id) : id_((static_cast<uint32_t>(id) << 24) & kIdMask) {
    // Reset: every pin masked (82093AA section 3.2.4, bit 16 "reset to 1").
    for (uint64_t& rte : rte_) rte = kRteMasked;
}

uint32_t VirtualIoapic::mmio_read(uint64_t offset) const {
    if (offset == kRegSel) return regsel_;
    if (offset == kWindow) return read_register(regsel_);
    return 0; // EOI is write-only; other offsets are unused
}

void VirtualIoapic::mmio_write(uint64_t offset, uint32_t value, IoapicEffects& fx) {
    fx.count = 0;
    if (offset == kRegSel) {
        regsel_ = value & 0xFFu; // IOREGSEL bits 7:0 select the register
    } else if (offset == kWindow) {
        write_register(regsel_, value, fx);
    } else if (offset == kEoi) {
        eoi(static_cast<uint8_t>(value & 0xFFu), fx);
    }
}

uint32_t VirtualIoapic::read_register(uint32_t index) const {
    switch (index) {
    case kRegId:
        return id_;
    // Bits 23:16: the highest redirection entry index (23).
    case kRegVer:
        return ((kPins - 1) << 16) | kVersion;
    // The arbitration ID is loaded from the ID (82093AA section 3.2.3).
    case kRegArb:
        return id_;
    default:
        break;
    }
    if (index < kRegRedirFirst || index >= kRegRedirFirst + 2 * kPins) return 0;
    const uint64_t rte = rte_[(index - kRegRedirFirst) / 2];
    return static_cast<uint32_t>((index & 1u) ? rte >> 32 : rte);
}

void VirtualIoapic::write_register(uint32_t index, uint32_t value, IoapicEffects& fx) {
    if (index == kRegId) {
        id_ = value & kIdMask;
        return;
    }
    if (index < kRegRedirFirst || index >= kRegRedirFirst + 2 * kPins) return; // VER, ARB: RO
    const uint32_t pin = (index - kRegRedirFirst) / 2;
    uint64_t& rte = rte_[pin];
    if (index & 1u) {
        rte = (rte & ~kRteWritableHigh) | ((static_cast<uint64_t>(value) << 32) & kRteWritableHigh);
        return;
    }
    rte = (rte & ~kRteWritableLow) | (value & kRteWritableLow);
    // Remote IRR means nothing for an edge-triggered pin; clear it so that a pin later turned
    // back to level is not stuck (KVM does the same).
    if (!(rte & kRteLevel)) rte &= ~kRteRemoteIrr;
    // A level pin that is asserted sends as soon as it is unmasked (or becomes level-triggered).
    // An edge that arrived while masked is lost (82093AA section 3.2.4, "Interrupt Mask").
    service_level(pin, fx);
}

void VirtualIoapic::set_pin(uint32_t pin, bool asserted, IoapicEffects& fx) {
    fx.count = 0;
    if (pin >= kPins) return;
    const bool was = asserted_[pin];
    asserted_[pin] = asserted;
    const uint64_t rte = rte_[pin];
    if (rte & kRteLevel) {
        service_level(pin, fx);
    } else if (asserted && !was && !(rte & kRteMasked)) {
        send(pin, fx);
    }
}

void VirtualIoapic::eoi(uint8_t vector, IoapicEffects& fx) {
    fx.count = 0;
    for (uint32_t pin = 0; pin < kPins; ++pin) {
        uint64_t& rte = rte_[pin];
        if (!(rte & kRteLevel) || (rte & 0xFFu) != vector) continue;
        rte &= ~kRteRemoteIrr;
        service_level(pin, fx);
    }
}

// Level-triggered delivery: Remote IRR is set when the local APIC accepts the message and
// cleared by the EOI for its vector (82093AA section 3.2.4, bit 14); while it is set the pin
// sends nothing more.
void VirtualIoapic::service_level(uint32_t pin, IoapicEffects& fx) {
    uint64_t& rte = rte_[pin];
    if (!(rte & kRteLevel) || !asserted_[pin] || (rte & (kRteMasked | kRteRemoteIrr))) return;
    rte |= kRteRemoteIrr;
    send(pin, fx);
}

void VirtualIoapic::send(uint32_t pin, IoapicEffects& fx) {
    if (fx.count >= IoapicEffects::kMax) return; // cannot happen: one message per pin per call
    const uint64_t rte = rte_[pin];
    IoapicDelivery& d = fx.deliveries[fx.count++];
    d.pin = pin;
    d.dest = static_cast<uint32_t>(rte >> 56);
    d.dest_mode = (rte & (1u << 11)) ? DestMode::Logical : DestMode::Physical;
    d.vector = static_cast<uint8_t>(rte & 0xFFu);
    d.mode = static_cast<DeliveryMode>((rte >> 8) & 7u);
    d.level = (rte & kRteLevel) != 0;
}

} // namespace rthv::vplat
