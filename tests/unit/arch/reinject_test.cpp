// VMX re-injection of an event whose delivery a VM exit interrupted (arch/x86/vmx/reinject.hpp,
// SDM Vol. 3C 28.2.4 and 26.6): what the backend writes into the VM-entry fields.
#include "arch/x86/vmx/reinject.hpp"

#include <gtest/gtest.h>

using namespace rthv::x86::vmx;

namespace {

constexpr uint32_t kValid = 1u << 31, kErrorCode = 1u << 11;
constexpr uint32_t info(uint32_t type, uint32_t vector) { return kValid | type << 8 | vector; }

TEST(Reinjection, NothingWhenTheExitInterruptedNoDelivery) {
    EXPECT_FALSE(reinjection(0).pending);
    EXPECT_FALSE(reinjection(info(0, 0x20) & ~kValid).pending); // stale bits without valid
}

TEST(Reinjection, AnExternalInterruptIsDeliveredAgainAsItWas) {
    const Reinjection r = reinjection(info(0, 0x30)); // type 0: external interrupt
    EXPECT_TRUE(r.pending);
    EXPECT_EQ(r.entry_info, info(0, 0x30));
    EXPECT_FALSE(r.with_error_code);
    EXPECT_FALSE(r.with_length);
}

TEST(Reinjection, AHardwareExceptionKeepsItsErrorCode) {
    const Reinjection r = reinjection(info(3, 14) | kErrorCode); // #PF during delivery
    EXPECT_EQ(r.entry_info, info(3, 14) | kErrorCode);
    EXPECT_TRUE(r.with_error_code);
    EXPECT_FALSE(r.with_length);
}

// Software interrupts (INT n), privileged software exceptions (INT1) and software exceptions
// (INT3, INTO) need the instruction length so the guest's return address is right.
TEST(Reinjection, SoftwareEventsCarryTheInstructionLength) {
    for (uint32_t type : {4u, 5u, 6u}) EXPECT_TRUE(reinjection(info(type, 0x80)).with_length);
    for (uint32_t type : {0u, 2u, 3u}) EXPECT_FALSE(reinjection(info(type, 2)).with_length);
}

// Bit 12 of the IDT-vectoring information is undefined and bits 30:13 reserved; on entry
// bits 30:12 must be zero or VM entry fails (SDM 26.2.1.3).
TEST(Reinjection, BitsReservedOnEntryAreCleared) {
    const Reinjection r = reinjection(info(0, 0x41) | 0x7ffff000u);
    EXPECT_EQ(r.entry_info, info(0, 0x41));
}

} // namespace
