// ReservationLedger: the time-weighted reservation a report compares `share` with (issue 11.3).
#include "hv/dom/reservation_ledger.hpp"

#include <gtest/gtest.h>

namespace rthv::dom {
namespace {

constexpr Time kMs = 1'000'000;

TEST(ReservationLedger, UnchangedIsTheConfiguredUtilisation) {
    ReservationLedger l;
    l.start(5 * kMs, 400'000);
    EXPECT_EQ(l.average_ppm(1005 * kMs), 400'000u);
    EXPECT_EQ(l.changes(), 0u);
}

// 40 % for the first quarter, 30 % for the rest: 0.25*40 + 0.75*30 = 32.5 %.
TEST(ReservationLedger, ChangeMidRunIsWeightedByTime) {
    ReservationLedger l;
    l.start(0, 400'000);
    l.change(250 * kMs, 300'000);
    EXPECT_EQ(l.average_ppm(1000 * kMs), 325'000u);
    EXPECT_EQ(l.current_ppm(), 300'000u);
    EXPECT_EQ(l.first_ppm(), 400'000u);
    EXPECT_EQ(l.changes(), 1u);
}

TEST(ReservationLedger, SeveralChangesAndBackAgain) {
    ReservationLedger l;
    l.start(100 * kMs, 200'000);
    l.change(200 * kMs, 600'000); // 100 ms at 20 %
    l.change(300 * kMs, 200'000); // 100 ms at 60 %, then 200 ms at 20 %
    EXPECT_EQ(l.average_ppm(500 * kMs), (200'000u + 600'000u + 2 * 200'000u) / 4);
    EXPECT_EQ(l.changes(), 2u);
}

TEST(ReservationLedger, ChangeBeforeTheWindowStartsCountsFromThere) {
    ReservationLedger l;
    l.start(10 * kMs, 100'000);
    l.change(10 * kMs, 500'000); // at the very start: as if configured so
    EXPECT_EQ(l.average_ppm(20 * kMs), 500'000u);
}

TEST(ReservationLedger, EmptyWindowReportsTheCurrentValue) {
    ReservationLedger l;
    l.start(10 * kMs, 100'000);
    l.change(10 * kMs, 700'000);
    EXPECT_EQ(l.average_ppm(10 * kMs), 700'000u);
    EXPECT_EQ(l.average_ppm(0), 700'000u);
}

TEST(ReservationLedger, LongRunsDoNotOverflow) {
    ReservationLedger l;
    l.start(0, 1'000'000);
    const Time ten_days = 10ull * 24 * 3600 * 1000 * kMs;
    l.change(ten_days, 500'000);
    EXPECT_EQ(l.average_ppm(2 * ten_days), 750'000u);
}

} // namespace
} // namespace rthv::dom
