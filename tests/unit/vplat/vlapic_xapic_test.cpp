// The xAPIC MMIO view: what Linux reads before it turns x2APIC on, and the ICR halves.
#include <gtest/gtest.h>

#include "hv/vplat/vlapic.hpp"

namespace rthv::vplat {
namespace {

TEST(VlapicXapic, IdAndVersionReadThroughMmioBeforeX2apic) {
    VirtualLapic a(3, 1);
    uint32_t v = 0;
    ASSERT_EQ(a.mmio_read(0x20, v, 0), MsrAccess::Ok);
    EXPECT_EQ(v, 3u << 24);
    ASSERT_EQ(a.mmio_read(0x30, v, 0), MsrAccess::Ok);
    EXPECT_EQ(v, VirtualLapic::kVersionValue);
    EXPECT_EQ(a.mmio_read(0x24, v, 0), MsrAccess::Gp); // not a register offset
}

TEST(VlapicXapic, NoMmioOnceInX2apicMode) {
    VirtualLapic a(0, 1);
    LapicEffects fx;
    ASSERT_EQ(a.write_msr(kMsrApicBase,
                          kApicBaseDefault | kApicBaseEnable | kApicBaseExtd | kApicBaseBsp, 0, fx),
              MsrAccess::Ok);
    uint32_t v = 0;
    EXPECT_EQ(a.mmio_read(0x20, v, 0), MsrAccess::Gp);
    EXPECT_EQ(a.mmio_write(0x80, 0, 0, fx), MsrAccess::Gp);
}

TEST(VlapicXapic, IcrLowWriteSendsToTheHighHalfsDestination) {
    VirtualLapic a(0, 1);
    LapicEffects fx;
    ASSERT_EQ(a.mmio_write(0xf0, 0x1ff, 0, fx), MsrAccess::Ok); // software enable
    ASSERT_EQ(a.mmio_write(0x310, 2u << 24, 0, fx), MsrAccess::Ok);
    EXPECT_FALSE(fx.has_ipi);
    ASSERT_EQ(a.mmio_write(0x300, 0x4030, 0, fx), MsrAccess::Ok); // fixed, vector 0x30, assert
    ASSERT_TRUE(fx.has_ipi);
    EXPECT_EQ(fx.ipi.dest, 2u);
    EXPECT_EQ(fx.ipi.vector, 0x30);
}

TEST(VlapicXapic, TprWritesThroughTheSharedRegisterFile) {
    VirtualLapic a(0, 1);
    LapicEffects fx;
    ASSERT_EQ(a.mmio_write(0x80, 0x20, 0, fx), MsrAccess::Ok);
    EXPECT_EQ(a.tpr(), 0x20u);
}

} // namespace
} // namespace rthv::vplat
