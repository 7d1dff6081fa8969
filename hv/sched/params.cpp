// Parameter validation and utilisation maths.
#include "hv/sched/params.hpp"

namespace rthv {

ParamError validate(const Params& p) {
    if (p.period_us < kMinParamUs) return ParamError::PeriodTooSmall;
    if (p.period_us > kMaxPeriodUs) return ParamError::PeriodTooLarge;
    if (p.budget_us < kMinParamUs) return ParamError::BudgetTooSmall;
    if (p.budget_us > p.period_us) return ParamError::BudgetAbovePeriod;
    if (p.wake_rule != WakeRule::Deferrable && p.wake_rule != WakeRule::Cbs)
        return ParamError::BadWakeRule;
    return ParamError::Ok;
}

const char* describe(ParamError e) {
    switch (e) {
    case ParamError::Ok:
        return "ok";
    case ParamError::PeriodTooSmall:
        return "period is below the minimum of 10 us";
    case ParamError::PeriodTooLarge:
        return "period is above the maximum of 4294967296 us";
    case ParamError::BudgetTooSmall:
        return "budget is below the minimum of 10 us";
    case ParamError::BudgetAbovePeriod:
        return "budget exceeds period";
    case ParamError::BadWakeRule:
        return "unknown wake rule";
    }
    return "unknown parameter error";
}

const char* describe(WakeRule r) {
    switch (r) {
    case WakeRule::Deferrable:
        return "deferrable";
    case WakeRule::Cbs:
        return "cbs";
    }
    return "unknown";
}

uint64_t utilisation_ppm(uint64_t budget_us, uint64_t period_us) {
    if (period_us == 0) return 0;
    // Valid budgets are <= 2^32 us, so budget * 1e6 < 2^52 fits 64 bits (and needs no 128-bit
    // division helper from libgcc in the hypervisor). Larger inputs saturate.
    if (budget_us > ~uint64_t{0} / (2 * kPpmPerCpu)) return ~uint64_t{0};
    uint64_t scaled = budget_us * kPpmPerCpu;
    return scaled / period_us + (scaled % period_us != 0 ? 1 : 0);
}

} // namespace rthv
