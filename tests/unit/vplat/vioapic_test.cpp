// VirtualIoapic: registers, redirection entries, edge and level pins, Remote IRR and EOI
// (hv/vplat/vioapic.hpp).
#include "hv/vplat/vioapic.hpp"

#include "hv/vplat/vlapic.hpp"

#include <gtest/gtest.h>

namespace rthv::vplat {
namespace {

using Io = VirtualIoapic;
constexpr uint32_t kLevel = 1u << 15, kMasked = 1u << 16, kLogical = 1u << 11;

uint32_t rd(Io& io, uint32_t index) {
    IoapicEffects fx;
    io.mmio_write(Io::kRegSel, index, fx);
    return io.mmio_read(Io::kWindow);
}

IoapicEffects wr(Io& io, uint32_t index, uint32_t value) {
    IoapicEffects fx;
    io.mmio_write(Io::kRegSel, index, fx);
    io.mmio_write(Io::kWindow, value, fx);
    return fx;
}

// Program pin `pin` to send `low` (vector, mode, flags) to APIC ID `dest`.
IoapicEffects program(Io& io, uint32_t pin, uint32_t low, uint32_t dest) {
    wr(io, Io::kRegRedirFirst + 2 * pin + 1, dest << 24);
    return wr(io, Io::kRegRedirFirst + 2 * pin, low);
}

TEST(Vioapic, IdVersionArbitrationAndSelector) {
    Io io(2);
    EXPECT_EQ(rd(io, Io::kRegVer), 0x00170020u); // 24 entries, version 0x20
    EXPECT_EQ(rd(io, Io::kRegId), 2u << 24);
    EXPECT_EQ(rd(io, Io::kRegArb), 2u << 24);
    wr(io, Io::kRegId, 0xFFFFFFFFu);
    EXPECT_EQ(rd(io, Io::kRegId), 0x0F000000u);
    wr(io, Io::kRegVer, 0);
    EXPECT_EQ(rd(io, Io::kRegVer), 0x00170020u);
    IoapicEffects fx;
    io.mmio_write(Io::kRegSel, 0x1234, fx);
    EXPECT_EQ(io.mmio_read(Io::kRegSel), 0x34u);
    EXPECT_EQ(rd(io, 0x40), 0u); // past the last entry (0x3F)
}

TEST(Vioapic, RedirectionEntryRoundTrip) {
    Io io;
    for (uint32_t pin = 0; pin < Io::kPins; ++pin) {
        EXPECT_EQ(rd(io, Io::kRegRedirFirst + 2 * pin), kMasked) << pin;
    }
    // Vector 0x31, lowest priority, logical, active low, level, masked; read-only and reserved
    // bits written as 1 read back 0.
    wr(io, Io::kRegRedirFirst + 2 * 5,
       0xFFFE0000u | kMasked | kLevel | (1u << 14) | (1u << 13) | (1u << 12) | kLogical |
           (1u << 8) | 0x31);
    wr(io, Io::kRegRedirFirst + 2 * 5 + 1, 0xA5FFFFFFu);
    EXPECT_EQ(rd(io, Io::kRegRedirFirst + 2 * 5),
              kMasked | kLevel | (1u << 13) | kLogical | (1u << 8) | 0x31);
    EXPECT_EQ(rd(io, Io::kRegRedirFirst + 2 * 5 + 1), 0xA5000000u);
    EXPECT_EQ(io.redirection(5) >> 56, 0xA5u);
    EXPECT_EQ(rd(io, Io::kRegRedirFirst + 2 * 6), kMasked); // the neighbour is untouched
}

TEST(Vioapic, EdgePinSendsOnRisingEdgeOnly) {
    Io io;
    EXPECT_EQ(program(io, 4, 0x24, 1).count, 0u);
    IoapicEffects fx;
    io.set_pin(4, true, fx);
    ASSERT_EQ(fx.count, 1u);
    EXPECT_EQ(fx.deliveries[0].pin, 4u);
    EXPECT_EQ(fx.deliveries[0].dest, 1u);
    EXPECT_EQ(fx.deliveries[0].dest_mode, DestMode::Physical);
    EXPECT_EQ(fx.deliveries[0].vector, 0x24);
    EXPECT_EQ(fx.deliveries[0].mode, DeliveryMode::Fixed);
    EXPECT_FALSE(fx.deliveries[0].level);
    io.set_pin(4, true, fx); // still high: no edge
    EXPECT_EQ(fx.count, 0u);
    io.set_pin(4, false, fx);
    EXPECT_EQ(fx.count, 0u);
    io.set_pin(4, true, fx);
    EXPECT_EQ(fx.count, 1u);
    EXPECT_FALSE(io.remote_irr(4));
}

TEST(Vioapic, MaskedPinsSendNothingAndLostEdgesStayLost) {
    Io io;
    program(io, 1, kMasked | 0x21, 0);
    IoapicEffects fx;
    io.set_pin(1, true, fx);
    EXPECT_EQ(fx.count, 0u);
    EXPECT_EQ(program(io, 1, 0x21, 0).count, 0u); // unmasking an edge pin sends nothing
    program(io, 9, kMasked | kLevel | 0x29, 0);
    io.set_pin(9, true, fx);
    EXPECT_EQ(fx.count, 0u);
    EXPECT_FALSE(io.remote_irr(9));
    // A level pin asserted while masked sends when unmasked.
    fx = program(io, 9, kLevel | 0x29, 0);
    ASSERT_EQ(fx.count, 1u);
    EXPECT_EQ(fx.deliveries[0].vector, 0x29);
    EXPECT_TRUE(fx.deliveries[0].level);
    EXPECT_TRUE(io.remote_irr(9));
}

TEST(Vioapic, LevelPinUsesRemoteIrrUntilEoi) {
    Io io;
    program(io, 10, kLevel | 0x3A, 2);
    IoapicEffects fx;
    io.set_pin(10, true, fx);
    ASSERT_EQ(fx.count, 1u);
    EXPECT_TRUE(io.remote_irr(10));
    EXPECT_EQ(rd(io, Io::kRegRedirFirst + 20) & (1u << 14), 1u << 14);
    io.set_pin(10, true, fx); // Remote IRR holds it back
    EXPECT_EQ(fx.count, 0u);
    io.eoi(0x3B, fx); // another vector
    EXPECT_EQ(fx.count, 0u);
    EXPECT_TRUE(io.remote_irr(10));
    io.eoi(0x3A, fx); // still asserted: sent again
    ASSERT_EQ(fx.count, 1u);
    EXPECT_EQ(fx.deliveries[0].pin, 10u);
    EXPECT_TRUE(io.remote_irr(10));
    io.set_pin(10, false, fx);
    io.mmio_write(Io::kEoi, 0x3A, fx); // the EOI register does the same as eoi()
    EXPECT_EQ(fx.count, 0u);
    EXPECT_FALSE(io.remote_irr(10));
}

TEST(Vioapic, DestinationMatching) {
    IoapicDelivery d;
    d.dest = 3;
    EXPECT_TRUE(ioapic_targets(d, 3));
    EXPECT_FALSE(ioapic_targets(d, 2));
    d.dest = 0xFF;
    EXPECT_TRUE(ioapic_targets(d, 9));
    d.dest_mode = DestMode::Logical;
    d.dest = 0x05;
    EXPECT_TRUE(ioapic_targets(d, 0));
    EXPECT_TRUE(ioapic_targets(d, 2));
    EXPECT_FALSE(ioapic_targets(d, 1));
    EXPECT_FALSE(ioapic_targets(d, 8));
}

// The level-triggered round trip through both models, as the caller wires them.
TEST(Vioapic, LevelInterruptRoundTripThroughTheLocalApic) {
    Io io;
    VirtualLapic lapic(0, 1);
    LapicEffects lfx;
    ASSERT_EQ(
        lapic.write_msr(kMsrApicBase, kApicBaseDefault | kApicBaseEnable | kApicBaseExtd, 0, lfx),
        MsrAccess::Ok);
    ASSERT_EQ(lapic.write_msr(x2apic::kSvr, 0x1FF, 0, lfx), MsrAccess::Ok);
    program(io, 11, kLevel | 0x5B, 0);
    IoapicEffects fx;
    io.set_pin(11, true, fx);
    ASSERT_EQ(fx.count, 1u);
    ASSERT_TRUE(ioapic_targets(fx.deliveries[0], lapic.id()));
    lapic.set_irr(fx.deliveries[0].vector, fx.deliveries[0].level);
    ASSERT_EQ(lapic.pending_vector(), 0x5B);
    lapic.ack(0x5B);
    io.set_pin(11, false, fx); // the handler quietened the device
    ASSERT_EQ(lapic.write_msr(x2apic::kEoi, 0, 0, lfx), MsrAccess::Ok);
    ASSERT_EQ(lfx.eoi_level_vector, 0x5B);
    io.eoi(static_cast<uint8_t>(lfx.eoi_level_vector), fx);
    EXPECT_EQ(fx.count, 0u);
    EXPECT_FALSE(io.remote_irr(11));
}

} // namespace
} // namespace rthv::vplat
