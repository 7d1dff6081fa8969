// RTDS parameters of one VCPU as users give them (µs, like Xen's xl sched-rtds), their
// validation, and the integer maths that turns them into utilisation.
#pragma once

#include "hv/lib/types.hpp"

namespace rthv {

// What happens to a VCPU's server when it wakes up (see DESIGN.md "Wake rules").
enum class WakeRule : uint8_t {
    Deferrable, // Xen's rule: keep budget and deadline if the deadline is still ahead
    Cbs,        // constant bandwidth server: start a fresh period if keeping them would exceed
                // the reserved bandwidth budget/period over the rest of the period
};

struct Params {
    uint64_t period_us = 10000; // Xen's default
    uint64_t budget_us = 4000;  // Xen's default
    bool extratime = true;      // Xen's default
    WakeRule wake_rule = WakeRule::Deferrable;

    Duration period_ns() const { return from_us(period_us); }
    Duration budget_ns() const { return from_us(budget_us); }
    bool operator==(const Params&) const = default;
};

// Xen's minimum for both values.
inline constexpr uint64_t kMinParamUs = 10;
// Our maximum period: 2^32 µs (about 71.6 minutes). Xen has none; ours keeps every product of
// two times (ns) below 2^128 and every deadline sum far below 2^64, and nobody reserves CPU time
// in hour-long periods.
inline constexpr uint64_t kMaxPeriodUs = uint64_t{1} << 32;

enum class ParamError : uint8_t {
    Ok,
    PeriodTooSmall,
    PeriodTooLarge,
    BudgetTooSmall,
    BudgetAbovePeriod,
    BadWakeRule,
};

// Checks p against the limits above. Never changes anything.
ParamError validate(const Params& p);
// A sentence naming the problem, e.g. "budget exceeds period".
const char* describe(ParamError e);
const char* describe(WakeRule r);

// Utilisation in parts per million, rounded UP so admission never under-counts.
uint64_t utilisation_ppm(uint64_t budget_us, uint64_t period_us);
inline uint64_t utilisation_ppm(const Params& p) {
    return utilisation_ppm(p.budget_us, p.period_us);
}

inline constexpr uint64_t kPpmPerCpu = 1000000;

} // namespace rthv
