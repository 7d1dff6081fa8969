// The two supply bound functions, in integers (µs). Inputs are at most 2^32 µs, so kΘ and m'x
// stay far below 2^64.
#include "hv/plan/supply.hpp"

namespace rthv::plan {

uint64_t sbf_prm(uint64_t period, uint64_t budget, uint64_t t) {
    if (budget == 0) return 0;
    if (budget >= period) return t;
    const uint64_t gap = period - budget; // Π − Θ
    if (t < gap) return 0;
    const uint64_t y = t - gap; // the window with the first (empty) stretch of Π − Θ removed
    const uint64_t k = y / period;
    const uint64_t r = y - k * period;
    return k * budget + (r > gap ? r - gap : 0);
}

namespace {

// Least supply of μ(Π, Θ, m') in the last (or first) `len` slots of one period: the other
// Π − len slots take at most m' units each.
uint64_t edge(uint64_t period, uint64_t budget, uint64_t m, uint64_t len) {
    const uint64_t elsewhere = m * (period - len);
    return budget > elsewhere ? budget - elsewhere : 0;
}

} // namespace

// Each period's Θ units may be placed anywhere, at most m' per time unit, independently of the
// other periods; so the least supply of a window is, for its phase, the least suffix of its
// first period + Θ per whole period + the least prefix of its last. `edge` is convex, so for a
// fixed number of whole periods the sum is convex in the phase: the minimum over phases lies
// at a kink of either edge or where the number of whole periods changes, and those few phases
// are all that is tried. Easwaran, Shin & Lee's ECRTS 2008 Eq. 1 is the phase with the first
// edge just empty; their journal version (RTS 2009) corrects it where, with β = Θ mod m' > 0,
// a phase one unit later is worse. This is the exact minimum (supply_test.cpp enumerates).
uint64_t sbf_mpr(uint64_t period, uint64_t budget, uint32_t m, uint64_t t) {
    if (budget == 0 || m == 0 || t == 0) return 0;
    if (budget >= uint64_t{m} * period) return uint64_t{m} * t;
    const uint64_t share = (budget + m - 1) / m; // ⌈Θ/m'⌉: the edge is empty up to Π − share
    const uint64_t r = t % period, last = t < period ? t : period;
    // Candidate lengths a of the first edge, in [1, min(Π, t)]: both ends, the edge's kinks
    // (Π − share, + 1), the phases putting the last edge on its kinks, and both sides of where
    // the number of whole periods changes (a ≡ t mod Π).
    uint64_t cand[12];
    uint32_t n = 0;
    cand[n++] = 1;
    cand[n++] = last;
    const uint64_t kinks[2] = {period - share, period - share + 1};
    for (uint64_t k : kinks) {
        cand[n++] = k;
        const uint64_t a = (t + period - k % period) % period;
        cand[n++] = a;
        cand[n++] = a + 1;
        cand[n++] = a + period - 1;
    }
    cand[n++] = r;
    cand[n++] = r + 1;
    uint64_t best = ~uint64_t{0};
    for (uint32_t i = 0; i < n; ++i) {
        uint64_t a = cand[i] % period == 0 ? period : cand[i] % period;
        if (a > last) a = last;
        const uint64_t rest = t - a, whole = rest / period, b = rest - whole * period;
        const uint64_t v = edge(period, budget, m, a) + whole * budget + edge(period, budget, m, b);
        if (v < best) best = v;
    }
    return best;
}

uint64_t Supply::at(uint64_t t) const {
    switch (kind) {
    case SupplyKind::Cbs:
        return vcpus * sbf_prm(period, budget, t);
    case SupplyKind::Deferrable:
        return t < budget ? 0 : vcpus * sbf_prm(period, budget, t - budget);
    case SupplyKind::Mpr:
        return sbf_mpr(period, budget, vcpus, t);
    }
    return 0;
}

uint32_t Supply::breakpoints(uint64_t (&first)[6]) const {
    uint32_t n = 0;
    if (kind == SupplyKind::Mpr) {
        if (vcpus == 0 || budget == 0) return 0;
        // The minimum of piecewise-linear functions of t whose kinks sit where either edge is
        // at a kink: t ≡ (Π − share) + {0, 1} + {0, Π − share, Π − share + 1} (mod Π).
        const uint64_t share = (budget + vcpus - 1) / vcpus;
        if (share > period) return 0;
        const uint64_t k = period - share;
        const uint64_t xs[6] = {k, k + 1, 2 * k, 2 * k + 1, 2 * k + 2, 0};
        for (uint64_t x : xs) first[n++] = x % period;
        return n;
    }
    if (budget == 0 || budget >= period) return 0;
    const uint64_t gap = period - budget, shift = kind == SupplyKind::Deferrable ? budget : 0;
    first[n++] = shift + gap;
    first[n++] = shift + 2 * gap;
    return n;
}

} // namespace rthv::plan
