// Virtual I/O APIC of one domain: 24 pins, version 0x20 (Intel 82093AA I/O APIC datasheet, plus
// the EOI register of the version-0x20 I/O APICs in Intel chipsets, e.g. ICH9).
//
// The caller maps one 4 KiB MMIO page (normally at 0xFEC00000, described to the guest in the ACPI
// MADT) and forwards aligned 32-bit accesses at IOREGSEL (0x00), IOWIN (0x10) and EOI (0x40);
// other offsets read 0 and ignore writes. Device models drive the pins with set_pin(); every
// interrupt message the I/O APIC sends comes back in IoapicEffects for the caller to route to
// the VirtualLapic of each VCPU for which ioapic_targets() is true (set_irr for Fixed and
// LowestPriority; the caller's own paths for NMI, INIT, SMI, ExtINT).
//
// Polarity (RTE bit 13) is stored but not applied: set_pin() takes the logical state ("the
// device requests an interrupt"), so the MADT interrupt source overrides must describe the
// polarity the guest will program, and the caller must not invert it again.
//
// Not thread-safe: the caller holds the domain's I/O APIC lock.
#pragma once

#include "hv/vplat/vlapic_defs.hpp"

namespace rthv::vplat {

// One interrupt message (RTE fields at the time of sending).
struct IoapicDelivery {
    uint32_t pin = 0;
    uint32_t dest = 0; // RTE bits 63:56, an 8-bit APIC ID (physical) or logical mask
    DestMode dest_mode = DestMode::Physical;
    uint8_t vector = 0;
    DeliveryMode mode = DeliveryMode::Fixed;
    bool level = false; // level-triggered: the LAPIC sets TMR and reports the EOI back
};

// Physical: APIC ID match, 0xFF broadcast. Logical: the 8-bit destination compared like an
// x2APIC logical ID of cluster 0, so bit i selects APIC ID i (i < 8); Linux without interrupt
// remapping programs physical destinations only (see vlapic_regs.cpp).
bool ioapic_targets(const IoapicDelivery& d, uint32_t target_id);

// What one VirtualIoapic call sent. Every mmio_write / set_pin / eoi call overwrites it.
struct IoapicEffects {
    static constexpr uint32_t kMax = 24; // one EOI may re-send every pin sharing its vector
    uint32_t count = 0;
    IoapicDelivery deliveries[kMax];
};

class VirtualIoapic {
public:
    static constexpr uint32_t kPins = 24;
    static constexpr uint32_t kVersion = 0x20;
    // MMIO offsets.
    static constexpr uint64_t kRegSel = 0x00;
    static constexpr uint64_t kWindow = 0x10;
    static constexpr uint64_t kEoi = 0x40;
    // Indirect registers (82093AA section 3.2).
    static constexpr uint32_t kRegId = 0x00;
    static constexpr uint32_t kRegVer = 0x01;
    static constexpr uint32_t kRegArb = 0x02;
    static constexpr uint32_t kRegRedirFirst = 0x10; // pin n: low half 0x10 + 2n, high 0x11 + 2n
    // Redirection entry bits.
    static constexpr uint64_t kRteRemoteIrr = 1u << 14;
    static constexpr uint64_t kRteLevel = 1u << 15;
    static constexpr uint64_t kRteMasked = 1u << 16;

    // `id` is the I/O APIC ID at reset (bits 27:24 of the ID register, as in the MADT).
    explicit VirtualIoapic(uint8_t id = 0);

    uint32_t mmio_read(uint64_t offset) const;
    void mmio_write(uint64_t offset, uint32_t value, IoapicEffects& fx);

    // Logical state of input pin `pin` (pins >= kPins are ignored). Edge-triggered pins send on
    // the 0 -> 1 transition while unmasked; level-triggered pins send while asserted, unmasked
    // and Remote IRR clear, and set Remote IRR.
    void set_pin(uint32_t pin, bool asserted, IoapicEffects& fx);
    // A local APIC retired level-triggered `vector` (LapicEffects::eoi_level_vector), or the guest
    // wrote the EOI register: Remote IRR clears on every level pin with that vector, and a pin
    // still asserted sends again.
    void eoi(uint8_t vector, IoapicEffects& fx);

    // Inspection.
    uint64_t redirection(uint32_t pin) const { return pin < kPins ? rte_[pin] : 0; }
    bool remote_irr(uint32_t pin) const { return (redirection(pin) & kRteRemoteIrr) != 0; }
    uint32_t id() const { return id_; }

private:
    uint32_t read_register(uint32_t index) const;
    void write_register(uint32_t index, uint32_t value, IoapicEffects& fx);
    void send(uint32_t pin, IoapicEffects& fx);
    void service_level(uint32_t pin, IoapicEffects& fx);

    uint32_t regsel_ = 0;
    uint32_t id_;
    uint64_t rte_[kPins];
    bool asserted_[kPins] = {};
};

} // namespace rthv::vplat
