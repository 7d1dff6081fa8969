// Supply bound functions against their definitions: hand-worked values, an exhaustive search
// over every supply pattern of small periodic resources, and the MPR/PRM relation at m' = 1.
#include "hv/plan/supply.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace rthv::plan {
namespace {

TEST(Sbf, PeriodicResourceHandValues) {
    // Γ(5, 2): blackout 2(5 − 2) = 6, then 2 units per 5 (Shin & Lee's worst-case pattern).
    const uint64_t expect[] = {0, 0, 0, 0, 0, 0, 0, 1, 2, 2, 2, 2, 3, 4, 4, 4, 4, 5};
    for (uint64_t t = 0; t < sizeof expect / sizeof expect[0]; ++t)
        EXPECT_EQ(sbf_prm(5, 2, t), expect[t]) << "t=" << t;
    EXPECT_EQ(sbf_prm(5, 5, 17), 17u);
    EXPECT_EQ(sbf_prm(5, 0, 17), 0u);
}

// Every way a resource can hand out exactly Θ of the Π slots of each of four consecutive
// periods; the least supply seen in any window of length t must equal sbf(t).
uint64_t brute_min_supply(uint64_t period, uint64_t budget, uint64_t t) {
    std::vector<uint32_t> masks;
    for (uint32_t m = 0; m < (1u << period); ++m)
        if (static_cast<uint64_t>(__builtin_popcount(m)) == budget) masks.push_back(m);
    uint64_t best = ~uint64_t{0};
    for (uint32_t a : masks)
        for (uint32_t b : masks)
            for (uint32_t c : masks)
                for (uint32_t d : masks) {
                    const uint32_t per[4] = {a, b, c, d};
                    for (uint64_t start = 0; start < period; ++start) {
                        if (start + t > 4 * period) continue;
                        uint64_t got = 0;
                        for (uint64_t s = start; s < start + t; ++s)
                            got += (per[s / period] >> (s % period)) & 1u;
                        best = std::min(best, got);
                    }
                }
    return best;
}

TEST(Sbf, PeriodicResourceIsTheExactWorstCase) {
    for (uint64_t period = 2; period <= 4; ++period)
        for (uint64_t budget = 1; budget < period; ++budget)
            for (uint64_t t = 0; t <= 3 * period; ++t)
                EXPECT_EQ(sbf_prm(period, budget, t), brute_min_supply(period, budget, t))
                    << "P=" << period << " B=" << budget << " t=" << t;
}

// With one CPU the multiprocessor resource is Shin & Lee's periodic resource.
TEST(Sbf, MprWithOneCpuIsThePeriodicResource) {
    for (uint64_t period = 2; period <= 40; ++period)
        for (uint64_t budget = 1; budget <= period; ++budget)
            for (uint64_t t = 0; t <= 5 * period; ++t)
                ASSERT_EQ(sbf_mpr(period, budget, 1, t), sbf_prm(period, budget, t))
                    << period << " " << budget << " " << t;
}

// Every per-period placement of Θ units with at most m' per slot (periods independent): the
// least supply of a window is the sum of per-period minima, each found by enumerating every
// placement of one period. Compared over windows of up to three periods at every phase.
uint64_t brute_mpr(uint64_t period, uint64_t budget, uint32_t m, uint64_t t) {
    std::vector<std::vector<uint32_t>> placements(1);
    for (uint64_t slot = 0; slot < period; ++slot) {
        std::vector<std::vector<uint32_t>> next;
        for (const auto& p : placements)
            for (uint32_t c = 0; c <= m; ++c) {
                auto q = p;
                q.push_back(c);
                next.push_back(q);
            }
        placements = next;
    }
    std::erase_if(placements, [&](const std::vector<uint32_t>& p) {
        uint64_t sum = 0;
        for (uint32_t c : p) sum += c;
        return sum != budget;
    });
    uint64_t best = ~uint64_t{0};
    for (uint64_t start = 0; start < period; ++start) {
        uint64_t total = 0;
        for (uint64_t first = 0; first * period < start + t; ++first) {
            const uint64_t lo = std::max(start, first * period);
            const uint64_t hi = std::min(start + t, (first + 1) * period);
            uint64_t least = ~uint64_t{0};
            for (const auto& p : placements) {
                uint64_t got = 0;
                for (uint64_t s = lo; s < hi; ++s) got += p[s - first * period];
                least = std::min(least, got);
            }
            total += least;
        }
        best = std::min(best, total);
    }
    return best;
}

TEST(Sbf, MprIsTheExactWorstCase) {
    for (uint32_t m = 1; m <= 3; ++m)
        for (uint64_t period = 2; period <= 4; ++period)
            for (uint64_t budget = 1; budget < m * period; ++budget)
                for (uint64_t t = 0; t <= 3 * period; ++t)
                    ASSERT_EQ(sbf_mpr(period, budget, m, t), brute_mpr(period, budget, m, t))
                        << "m=" << m << " P=" << period << " B=" << budget << " t=" << t;
}

// ECRTS 2008 Eq. 1 (one phase of the window) can only be above the exact minimum.
TEST(Sbf, MprNeverAboveThePaperClosedForm) {
    for (uint32_t m = 1; m <= 4; ++m)
        for (uint64_t budget = 1; budget < m * 10; ++budget)
            for (uint64_t t = 0; t <= 60; ++t) {
                const uint64_t share = (budget + m - 1) / m;
                uint64_t paper = 0;
                if (t + share >= 10) {
                    const uint64_t tp = t + share - 10, k = tp / 10, x = tp - k * 10;
                    const uint64_t mx = m * x, idle = m * 10 - budget;
                    paper = k * budget + (mx > idle ? mx - idle : 0);
                }
                ASSERT_LE(sbf_mpr(10, budget, m, t), paper) << m << " " << budget << " " << t;
            }
}

TEST(Sbf, MprIsMonotoneAndBelowItsRate) {
    for (uint32_t m = 1; m <= 4; ++m)
        for (uint64_t budget = 1; budget <= m * 12; ++budget) {
            uint64_t last = 0;
            for (uint64_t t = 0; t <= 100; ++t) {
                const uint64_t v = sbf_mpr(12, budget, m, t);
                ASSERT_GE(v, last) << m << " " << budget << " " << t;
                ASSERT_LE(v * 12, budget * (t + 12)) << m << " " << budget << " " << t;
                ASSERT_LE(v, m * t);
                last = v;
            }
        }
}

TEST(Sbf, DeferrableLosesTheWakePeriod) {
    const Supply cbs{SupplyKind::Cbs, 10, 4, 1}, def{SupplyKind::Deferrable, 10, 4, 1};
    for (uint64_t t = 0; t < 60; ++t) {
        EXPECT_LE(def.at(t), cbs.at(t));
        EXPECT_EQ(def.at(t), t < 4 ? 0 : sbf_prm(10, 4, t - 4));
    }
    EXPECT_EQ(def.at(16), 0u); // blackout 2Π − Θ = 16
    EXPECT_EQ(def.at(17), 1u);
    const Supply two{SupplyKind::Cbs, 10, 4, 2};
    EXPECT_EQ(two.at(37), 2 * sbf_prm(10, 4, 37));
}

} // namespace
} // namespace rthv::plan
