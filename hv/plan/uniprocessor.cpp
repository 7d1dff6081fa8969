// The one-VCPU tests of Shin & Lee (RTSS 2003): EDF by demand bound, RM by request bound.
#include "hv/plan/tests.hpp"

namespace rthv::plan {
namespace {

uint64_t sum_wcet(const TaskSet& ts) {
    uint64_t c = 0;
    for (uint32_t i = 0; i < ts.count; ++i) c += ts.tasks[i].wcet_us;
    return c;
}

} // namespace

// dbf only rises at absolute deadlines and sbf never falls, so checking the deadlines is exact.
// They are visited in order by merging the n arithmetic progressions D_i + jT_i.
bool edf_schedulable(const TaskSet& ts, const Supply& s) {
    // dbf(t) <= U·t + sum C_i(1 − D_i/T_i) <= U·t + sum C_i.
    const uint64_t end = detail::horizon(ts, s, sum_wcet(ts), true);
    if (end == 0) return false;
    uint64_t next[kMaxTasks];
    for (uint32_t i = 0; i < ts.count; ++i) next[i] = ts.tasks[i].deadline_us;
    uint64_t demand = 0;
    for (uint64_t points = 0; points < kMaxCheckPoints; ++points) {
        uint64_t t = ~uint64_t{0};
        for (uint32_t i = 0; i < ts.count; ++i)
            if (next[i] < t) t = next[i];
        if (t > end) return true;
        for (uint32_t i = 0; i < ts.count; ++i) {
            if (next[i] != t) continue;
            demand += ts.tasks[i].wcet_us;
            next[i] += ts.tasks[i].period_us;
        }
        if (demand > s.at(t)) return false;
    }
    return false; // too much work to decide: never claim what was not checked
}

void rm_order(const TaskSet& ts, uint32_t (&order)[kMaxTasks]) {
    for (uint32_t i = 0; i < ts.count; ++i) order[i] = i;
    // Insertion sort, stable: ties keep file order (the sim breaks ties the same way).
    for (uint32_t i = 1; i < ts.count; ++i) {
        uint32_t v = order[i], j = i;
        for (; j > 0 && ts.tasks[order[j - 1]].period_us > ts.tasks[v].period_us; --j)
            order[j] = order[j - 1];
        order[j] = v;
    }
}

// rbf_i(t) = C_i + sum over higher priorities of ceil(t/T_k)·C_k is constant on the stretches
// between multiples of the T_k, and sbf never falls: the right end of each stretch (a multiple,
// or D_i) is the best point of it, so those are the only points to try.
bool rm_schedulable(const TaskSet& ts, const Supply& s) {
    uint32_t order[kMaxTasks];
    rm_order(ts, order);
    uint64_t budget_points = kMaxCheckPoints;
    for (uint32_t p = 0; p < ts.count; ++p) {
        const Task& me = ts.tasks[order[p]];
        uint64_t next[kMaxTasks];
        for (uint32_t h = 0; h < p; ++h) next[h] = ts.tasks[order[h]].period_us;
        bool ok = false;
        while (!ok) {
            if (budget_points-- == 0) return false;
            uint64_t t = me.deadline_us;
            for (uint32_t h = 0; h < p; ++h)
                if (next[h] < t) t = next[h];
            uint64_t request = me.wcet_us;
            for (uint32_t h = 0; h < p; ++h) {
                const Task& hp = ts.tasks[order[h]];
                request += (t + hp.period_us - 1) / hp.period_us * hp.wcet_us;
                if (next[h] == t) next[h] += hp.period_us;
            }
            ok = request <= s.at(t);
            if (t == me.deadline_us) break;
        }
        if (!ok) return false;
    }
    return true;
}

} // namespace rthv::plan
