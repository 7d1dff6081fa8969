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

} // namespace rthv
