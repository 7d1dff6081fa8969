// Admission control per pool: capacity, reserve, refusal text, force, GFB report.
#include "fake_platform.hpp"

#include <gtest/gtest.h>

namespace rthv::test {
namespace {

TEST(AdmissionMath, CapacityAndReserve) {
    EXPECT_EQ(pool_capacity_ppm(2, 0), 2000000u);
    EXPECT_EQ(pool_capacity_ppm(4, 50), 3800000u); // SCHED_DEADLINE-like 95 %
    EXPECT_EQ(pool_capacity_ppm(1, 1000), 0u);
}

TEST(AdmissionMath, GfbBound) {
    // m = 2, u_max = 0.5: bound = 2 - 0.5 = 1.5
    EXPECT_EQ(gfb_bound_ppm(500000, 2), 1500000u);
    EXPECT_TRUE(gfb_holds(1500000, 500000, 2));
    EXPECT_FALSE(gfb_holds(1500001, 500000, 2));
    EXPECT_TRUE(gfb_holds(1000000, 1000000, 1)); // one CPU: plain U <= 1
    EXPECT_EQ(gfb_bound_ppm(1000000, 4), 1000000u);
}

TEST(Admission, RefusalNamesPoolCurrentAndRequestedAndChangesNothing) {
    Rig rig(1);
    Vcpu a(1, 0), b(2, 0);
    ASSERT_TRUE(rig.insert(a, params(10000, 6000)).ok());
    Status st = rig.insert(b, params(10000, 5000));
    ASSERT_EQ(st.error, SchedError::AdmissionRefused);
    EXPECT_EQ(st.refusal.current_ppm, 600000u);
    EXPECT_EQ(st.refusal.requested_ppm, 1100000u);
    EXPECT_EQ(st.refusal.capacity_ppm, 1000000u);
    EXPECT_EQ(text_of(st),
              "admission refused: pool Pool-0: utilisation would rise from 0.600000 to 1.100000, "
              "above the capacity 1.000000 of 1 CPU with 0 permille reserved (use force to "
              "override)");
    EXPECT_EQ(b.place(), Place::Off);
    EXPECT_EQ(rig.sched->admission(0).total_ppm, 600000u);
    EXPECT_EQ(rig.sched->admission(0).vcpus, 1u);
    EXPECT_EQ(rig.verify(), nullptr);
}

TEST(Admission, ForceOverridesAndReportSaysOverCapacity) {
    Rig rig(1);
    Vcpu a(1, 0), b(2, 0);
    ASSERT_TRUE(rig.insert(a, params(10000, 6000)).ok());
    ASSERT_TRUE(rig.insert(b, params(10000, 5000), CpuSet::first_n(1), 0, true).ok());
    AdmissionReport r = rig.sched->admission(0);
    EXPECT_EQ(r.total_ppm, 1100000u);
    EXPECT_FALSE(r.within_capacity);
    EXPECT_FALSE(r.gfb_holds);
    EXPECT_NE(text_of(r).find("OVER CAPACITY"), std::string::npos);
}

TEST(Admission, ReserveShrinksCapacity) {
    Rig rig(2);
    ASSERT_TRUE(rig.sched->pool_set_reserve(0, 100).ok());
    Vcpu a(1, 0), b(1, 1);
    ASSERT_TRUE(rig.insert(a, params(1000, 900)).ok());
    Status st = rig.insert(b, params(1000, 901));
    EXPECT_EQ(st.error, SchedError::AdmissionRefused);
    EXPECT_EQ(st.refusal.capacity_ppm, 1800000u);
    EXPECT_EQ(st.refusal.reserve_permille, 100u);
    EXPECT_EQ(rig.sched->pool_set_reserve(0, 1001).error, SchedError::BadReserve);
}

TEST(Admission, SetParamsIsCheckedAgainstTheRestOfThePool) {
    Rig rig(1);
    Vcpu a(1, 0), b(2, 0);
    ASSERT_TRUE(rig.insert(a, params(10000, 5000)).ok());
    ASSERT_TRUE(rig.insert(b, params(10000, 4000)).ok());
    Status st = rig.sched->set_params(b, params(10000, 6000));
    EXPECT_EQ(st.error, SchedError::AdmissionRefused);
    EXPECT_EQ(st.refusal.current_ppm, 900000u);
    EXPECT_EQ(st.refusal.requested_ppm, 1100000u);
    EXPECT_EQ(b.params(), params(10000, 4000));
    // Its own old share is not counted twice: 0.5 + 0.5 fits.
    EXPECT_TRUE(rig.sched->set_params(b, params(10000, 5000)).ok());
    EXPECT_EQ(rig.sched->admission(0).total_ppm, 1000000u);
}

TEST(Admission, GfbReportAndCoverage) {
    Rig rig(2);
    Vcpu a(1, 0), b(2, 0), c(3, 0);
    ASSERT_TRUE(rig.insert(a, params(1000, 500, false, WakeRule::Cbs)).ok());
    ASSERT_TRUE(rig.insert(b, params(1000, 500, false, WakeRule::Cbs)).ok());
    AdmissionReport r = rig.sched->admission(0);
    EXPECT_TRUE(r.gfb_holds);
    EXPECT_EQ(r.umax_ppm, 500000u);
    EXPECT_EQ(r.gfb_bound_ppm, 1500000u);
    EXPECT_NE(text_of(r).find("covers all 2 VCPUs (CBS) under any blocking pattern"),
              std::string::npos);
    ASSERT_TRUE(rig.insert(c, params(1000, 400)).ok()); // deferrable, U = 1.4 <= 1.5
    r = rig.sched->admission(0);
    EXPECT_TRUE(r.gfb_holds);
    EXPECT_EQ(r.cbs_vcpus, 2u);
    EXPECT_EQ(r.deferrable_vcpus, 1u);
    std::string text = text_of(r);
    EXPECT_NE(text.find("only while every deferrable VCPU never defers"), std::string::npos);
    ASSERT_TRUE(rig.sched->set_params(c, params(1000, 600)).ok()); // U = 1.6 > 2 - 0.6
    r = rig.sched->admission(0);
    EXPECT_EQ(r.umax_ppm, 600000u);
    EXPECT_FALSE(r.gfb_holds);
    EXPECT_TRUE(r.within_capacity);
    EXPECT_NE(text_of(r).find("does not hold"), std::string::npos);
    // Removing the largest VCPU brings u_max back down (max-heap, no scan).
    rig.sched->pause(c);
    rig.settle();
    ASSERT_TRUE(rig.sched->remove(c).ok());
    EXPECT_EQ(rig.sched->admission(0).umax_ppm, 500000u);
}

} // namespace
} // namespace rthv::test
