// How far the demand tests must look. Two bounds, the smaller wins:
//  - the slopes: demand <= U·t + extra and supply >= α·(t − lag) with α = rate/Π; once
//    (α − U)·t exceeds extra + α·lag, demand can never catch up. U and α in 2^-20 fixed point,
//    U rounded up and α down, so the horizon is never too short;
//  - the hyperperiod H = lcm(T_1..T_n, Π), when U <= α exactly: past maxD + lag + H both
//    functions repeat with the slopes' increments (dbf(t + H) = dbf(t) + U·H, sbf likewise).
#include "hv/plan/tests.hpp"

namespace rthv::plan::detail {
namespace {

constexpr uint64_t kScale = uint64_t{1} << 20;
constexpr uint64_t kMaxHyper = uint64_t{1} << 40;

uint64_t gcd(uint64_t a, uint64_t b) {
    while (b != 0) {
        uint64_t r = a % b;
        a = b;
        b = r;
    }
    return a;
}

// lcm(a, b), or 0 when it exceeds kMaxHyper.
uint64_t lcm_capped(uint64_t a, uint64_t b) {
    uint64_t q = a / gcd(a, b);
    if (q > kMaxHyper / b) return 0;
    return q * b;
}

} // namespace

uint64_t horizon(const TaskSet& ts, const Supply& s, uint64_t extra, bool allow_hyperperiod) {
    if (s.period == 0) return 0;
    uint64_t u_up = 0, max_d = 0, hyper = 1;
    for (uint32_t i = 0; i < ts.count; ++i) {
        const Task& t = ts.tasks[i];
        u_up += (t.wcet_us * kScale + t.period_us - 1) / t.period_us;
        if (t.deadline_us > max_d) max_d = t.deadline_us;
        if (hyper != 0) hyper = lcm_capped(hyper, t.period_us);
    }
    const uint64_t rate = s.rate_num();
    const uint64_t alpha_down = rate * kScale / s.period;
    const uint64_t lag_term = s.vcpus * s.lag(); // >= α·lag, as α <= vcpus
    uint64_t best = 0;
    if (alpha_down > u_up) best = (extra + lag_term) * kScale / (alpha_down - u_up) + 1;
    if (allow_hyperperiod && hyper != 0) {
        // U <= α exactly: sum C_i·(H'/T_i) · Π <= rate · H' (128-bit products, no division).
        uint64_t num = 0;
        for (uint32_t i = 0; i < ts.count; ++i)
            num += ts.tasks[i].wcet_us * (hyper / ts.tasks[i].period_us);
        const bool fits = static_cast<unsigned __int128>(num) * s.period <=
                          static_cast<unsigned __int128>(rate) * hyper;
        const uint64_t h = lcm_capped(hyper, s.period);
        if (fits && h != 0) {
            const uint64_t bound = h + max_d + s.lag() + s.period;
            if (best == 0 || bound < best) best = bound;
        }
    }
    return best;
}

} // namespace rthv::plan::detail
