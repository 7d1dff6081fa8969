// Pure arithmetic of a server (deadline grid, CBS wake test), separate from any state so it is
// unit-tested on its own. All inputs are ns; periods are at most 2^32 us (params.hpp), so
// products of two durations fit in 128 bits and sums of times stay far below 2^64.
#pragma once

#include "hv/lib/types.hpp"

namespace rthv {

struct GridStep {
    Time deadline;    // first point of the grid (deadline + k*period) strictly after now
    uint64_t periods; // k: how many periods were crossed (0 if deadline > now already)
};

// Catch up a deadline grid: O(1) whatever the number of periods that passed.
constexpr GridStep grid_next_after(Time deadline, Duration period, Time now) {
    if (now < deadline) return {deadline, 0};
    // An on-time replenishment crosses one period: the same k without a 64-bit division,
    // which is a good part of a replenishment's cost at small n.
    if (now - deadline < period) return {deadline + period, 1};
    uint64_t k = (now - deadline) / period + 1;
    return {deadline + k * period, k};
}

// The constant-bandwidth-server wake test: true if the server must start a fresh period at
// `now` because keeping (budget_left, deadline) would let it run at a rate above budget/period:
//   now >= deadline  or  budget_left / (deadline - now) > budget / period,
// evaluated as budget_left * period > (deadline - now) * budget without division or overflow.
constexpr bool cbs_needs_fresh_period(Duration budget_left, Time deadline, Time now,
                                      Duration budget, Duration period) {
    if (now >= deadline) return true;
    using U128 = unsigned __int128;
    return U128{budget_left} * period > U128{deadline - now} * budget;
}

// Time charged for a stint that started at `start`, with `stolen` ns of it spent by the
// hypervisor on other work. Saturates at 0 if more was reported stolen than elapsed.
constexpr Duration charged_time(Time start, Time now, Duration stolen) {
    Duration elapsed = now > start ? now - start : 0;
    return elapsed > stolen ? elapsed - stolen : 0;
}

// A stint [start, now) split at `cut` (a deadline): the charges before and after it. Stolen
// time is taken from the part before the cut first. before + after == charged_time(...).
struct SplitCharge {
    Duration before;
    Duration after;
};
constexpr SplitCharge split_charge(Time start, Time now, Duration stolen, Time cut) {
    Time mid = cut < start ? start : (cut > now ? now : cut);
    Duration before = mid > start ? mid - start : 0;
    Duration after = now > mid ? now - mid : 0;
    Duration stolen_before = stolen < before ? stolen : before;
    Duration rest = stolen - stolen_before;
    return {before - stolen_before, after > rest ? after - rest : 0};
}

// The miss test at the end of a period with `budget_left` > 0 of level-0 budget: the VCPU was
// denied budget it could have used iff it waited (eligible, not charged) at least that much,
// i.e. eligible_ns - used_ns >= budget_left. Otherwise it was not eligible long enough.
constexpr bool denied_budget(Duration eligible_ns, Duration used_ns, Duration budget_left) {
    return eligible_ns > used_ns && eligible_ns - used_ns >= budget_left;
}

// Overrun debt at the start of a period that comes `periods` grid points after the last one:
// each skipped period (periods - 1) pays up to `budget`, then the new period's budget pays
// what is left. Returns the new period's budget; `debt` keeps what is still owed.
constexpr Duration pay_debt(Duration& debt, Duration budget, uint64_t periods) {
    if (debt == 0) return budget;
    if (periods > 1) {
        using U128 = unsigned __int128;
        U128 skipped = U128{periods - 1} * budget;
        debt = skipped >= debt ? 0 : debt - static_cast<Duration>(skipped);
    }
    Duration pay = debt < budget ? debt : budget;
    debt -= pay;
    return budget - pay;
}

} // namespace rthv
