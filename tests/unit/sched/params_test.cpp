// Parameter validation and utilisation maths (hv/sched/params.hpp).
#include "hv/sched/params.hpp"

#include <gtest/gtest.h>
#include <string>

namespace rthv {
namespace {

TEST(Params, DefaultsAreXens) {
    Params p;
    EXPECT_EQ(p.period_us, 10000u);
    EXPECT_EQ(p.budget_us, 4000u);
    EXPECT_TRUE(p.extratime);
    EXPECT_EQ(p.wake_rule, WakeRule::Deferrable);
    EXPECT_EQ(validate(p), ParamError::Ok);
}

TEST(Params, LimitsAreInclusive) {
    EXPECT_EQ(validate(Params{10, 10, false, WakeRule::Cbs}), ParamError::Ok);
    EXPECT_EQ(validate(Params{kMaxPeriodUs, kMaxPeriodUs, true, WakeRule::Deferrable}),
              ParamError::Ok);
}

TEST(Params, EachViolationIsNamed) {
    EXPECT_EQ(validate(Params{9, 9, false, WakeRule::Deferrable}), ParamError::PeriodTooSmall);
    EXPECT_EQ(validate(Params{kMaxPeriodUs + 1, 100, false, WakeRule::Deferrable}),
              ParamError::PeriodTooLarge);
    EXPECT_EQ(validate(Params{100, 9, false, WakeRule::Deferrable}), ParamError::BudgetTooSmall);
    EXPECT_EQ(validate(Params{100, 101, false, WakeRule::Deferrable}),
              ParamError::BudgetAbovePeriod);
    EXPECT_EQ(validate(Params{100, 50, false, static_cast<WakeRule>(7)}), ParamError::BadWakeRule);
    EXPECT_EQ(validate(Params{0, 0, false, WakeRule::Deferrable}), ParamError::PeriodTooSmall);
}

TEST(Params, DescriptionsNameTheProblem) {
    EXPECT_NE(std::string(describe(ParamError::BudgetAbovePeriod)).find("budget exceeds period"),
              std::string::npos);
    EXPECT_NE(std::string(describe(ParamError::BudgetTooSmall)).find("budget"), std::string::npos);
    EXPECT_NE(std::string(describe(ParamError::PeriodTooSmall)).find("period"), std::string::npos);
    EXPECT_NE(std::string(describe(ParamError::PeriodTooLarge)).find("maximum"), std::string::npos);
    EXPECT_STREQ(describe(WakeRule::Cbs), "cbs");
}

TEST(Params, NanosecondViews) {
    Params p{300, 150, false, WakeRule::Deferrable};
    EXPECT_EQ(p.period_ns(), 300000u);
    EXPECT_EQ(p.budget_ns(), 150000u);
}

TEST(Params, UtilisationRoundsUp) {
    EXPECT_EQ(utilisation_ppm(4000, 10000), 400000u);
    EXPECT_EQ(utilisation_ppm(10, 30), 333334u); // 333333.33 rounded up
    EXPECT_EQ(utilisation_ppm(100, 100), 1000000u);
    EXPECT_EQ(utilisation_ppm(10, kMaxPeriodUs), 1u); // 1e7 / 2^32 = 0.0023, rounded up
    EXPECT_EQ(utilisation_ppm(kMaxPeriodUs, kMaxPeriodUs), 1000000u);
    EXPECT_EQ(utilisation_ppm(1, 0), 0u);
}

} // namespace
} // namespace rthv
