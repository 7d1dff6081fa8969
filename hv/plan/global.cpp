// Global EDF inside a VM of m' VCPUs: Theorem 1 of Easwaran, Shin & Lee ("Hierarchical
// scheduling framework for virtual clustering of multiprocessors", ECRTS 2008), in the form that
// holds for integer time. For task k and a window of length t = A_k + D_k ending at one of its
// deadlines:
//   W_i(t) = ⌊(t + T_i − D_i)/T_i⌋·C_i + CI_i(t), CI_i(t) = min(C_i, max(0, t − ⌊..⌋·T_i))
//   i != k: Î_i = min(W_i − CI_i, L), Ī_i = min(W_i, L)       with L = t − C_k + 1
//   i == k: Î_k = min(W_k − CI_k − C_k, A_k), Ī_k = min(W_k − C_k, A_k)
//   DEM = m'·(C_k − 1) + sum_i Î_i + (sum of the m' − 1 largest Ī_i − Î_i)
// and the task is schedulable if DEM < sbf(t) for every A_k >= 0.
//
// Why not the paper's m'·C_k, cap t − C_k and "<=": those are right for continuous time, where a
// miss means τ_k is kept from running for MORE than D_k − C_k. In whole time units a miss means
// at least D_k − C_k + 1 units without τ_k and at most C_k − 1 with it; the paper's form then
// admits a zero-laxity task tied with m' others (C = D = 8 next to three jobs due by 8 on three
// CPUs: DEM = 24 = sbf, yet one of them misses). Found by gedf_supply_sim_test.cpp; with the
// integer form, a miss implies sbf(t) <= DEM (a miss leaves every supplied CPU busy except in the
// <= C_k − 1 units τ_k runs; the caps follow because sum_i min(W_i, y) − m'·y is concave in y).
//
// Which windows: between consecutive "breakpoints" (steps of W_i, kinks of CI_i, crossings of
// W_i with the line L, kinks of sbf) every Î_i and Ī_i is linear, so sum Î is linear and the
// top-(m'−1) sum is convex; sbf is linear, so sbf − DEM is concave and its minimum on the
// stretch lies at an end. The test checks p − 1, p and p + 1 around every breakpoint p.
#include "hv/plan/tests.hpp"

namespace rthv::plan {
namespace {

constexpr uint64_t kNone = ~uint64_t{0};

struct Stream {
    uint64_t next = kNone, step = 1, end = 0;
};

uint64_t sat_mul(uint64_t a, uint64_t b) { return b != 0 && a > kNone / b ? kNone : a * b; }

// How long a window can be while t − C stays below W_i(t) <= U_i·t + 2C_i (+ D for task k):
// beyond it the min() terms never switch again. kNone when task i is a full CPU.
uint64_t crossing_end(const Task& t, uint64_t numerator) {
    if (t.wcet_us >= t.period_us) return kNone;
    const uint64_t slack = t.period_us - t.wcet_us;
    return sat_mul((numerator + slack - 1) / slack + 1, t.period_us);
}

class Global {
public:
    Global(const TaskSet& ts, const Supply& s) : ts_(ts), s_(s), m_(s.vcpus) {}

    bool run() {
        uint64_t sum_c = 0, max_c = 0;
        for (uint32_t i = 0; i < ts_.count; ++i) {
            sum_c += ts_.tasks[i].wcet_us;
            if (ts_.tasks[i].wcet_us > max_c) max_c = ts_.tasks[i].wcet_us;
        }
        // DEM(t) <= U·t + 2·sum C + m'·C_max: each W_i <= U_i·t + 2C_i.
        end_ = detail::horizon(ts_, s_, 2 * sum_c + m_ * max_c + 1, false); // +1: DEM < sbf
        if (end_ == 0 || m_ == 0) return false;
        for (k_ = 0; k_ < ts_.count; ++k_)
            if (!task_ok()) return false;
        return true;
    }

private:
    bool task_ok() {
        const Task& me = ts_.tasks[k_];
        uint32_t n = 0;
        for (uint32_t i = 0; i < ts_.count; ++i) {
            const Task& t = ts_.tasks[i];
            streams_[n++] = {t.deadline_us, t.period_us, end_};           // steps of W_i
            streams_[n++] = {t.period_us, t.period_us, end_};             // CI_i starts to rise
            streams_[n++] = {t.period_us + t.wcet_us, t.period_us, end_}; // CI_i reaches C_i
            // W_i's flat pieces sit at multiples of C_i: the line t − C_k + 1 (A_k for task k)
            // meets them at C_k − 1 + jC_i (D_k + jC_k).
            if (i == k_)
                streams_[n++] = {me.deadline_us, me.wcet_us,
                                 crossing_end(me, me.deadline_us + me.wcet_us)};
            else
                streams_[n++] = {me.wcet_us - 1, t.wcet_us,
                                 crossing_end(t, me.wcet_us + 2 * t.wcet_us)};
        }
        uint64_t first[6];
        for (uint32_t b = 0, nb = s_.breakpoints(first); b < nb; ++b)
            streams_[n++] = {first[b], s_.period, end_};
        if (!fits(me.deadline_us) || !fits(end_)) return false;
        for (;;) {
            uint64_t p = kNone;
            for (uint32_t j = 0; j < n; ++j)
                if (streams_[j].next <= streams_[j].end && streams_[j].next < p)
                    p = streams_[j].next;
            if (p == kNone || p > end_) return true;
            for (uint32_t j = 0; j < n; ++j)
                if (streams_[j].next == p) streams_[j].next += streams_[j].step;
            if (!fits(p - 1) || !fits(p) || !fits(p + 1)) return false;
        }
    }

    // DEM(t) <= sbf(t) for the window t (ignored outside [D_k, horizon]).
    bool fits(uint64_t t) {
        const Task& me = ts_.tasks[k_];
        if (t < me.deadline_us || t > end_) return true;
        if (points_++ >= kMaxCheckPoints) return false;
        const uint64_t a = t - me.deadline_us, line = t - me.wcet_us + 1;
        uint64_t hat_sum = 0;
        uint64_t diff[kMaxTasks];
        for (uint32_t i = 0; i < ts_.count; ++i) {
            const Task& ti = ts_.tasks[i];
            const uint64_t jobs = (t + ti.period_us - ti.deadline_us) / ti.period_us;
            const uint64_t done = jobs * ti.period_us;
            const uint64_t ci = t > done ? (t - done < ti.wcet_us ? t - done : ti.wcet_us) : 0;
            uint64_t dbf = jobs * ti.wcet_us, w = dbf + ci, cap = line;
            if (i == k_) dbf -= me.wcet_us, w -= me.wcet_us, cap = a;
            const uint64_t hat = dbf < cap ? dbf : cap, bar = w < cap ? w : cap;
            hat_sum += hat;
            diff[i] = bar - hat;
        }
        uint64_t dem = m_ * (me.wcet_us - 1) + hat_sum;
        for (uint32_t pick = 0; pick + 1 < m_ && pick < ts_.count; ++pick) {
            uint32_t best = pick;
            for (uint32_t i = pick + 1; i < ts_.count; ++i)
                if (diff[i] > diff[best]) best = i;
            uint64_t tmp = diff[pick];
            diff[pick] = diff[best];
            diff[best] = tmp;
            dem += diff[pick];
        }
        return dem < s_.at(t);
    }

    const TaskSet& ts_;
    const Supply& s_;
    uint64_t m_;
    uint64_t end_ = 0;
    uint32_t k_ = 0;
    uint64_t points_ = 0;
    Stream streams_[4 * kMaxTasks + 6];
};

} // namespace

bool gedf_schedulable(const TaskSet& ts, const Supply& s) { return Global(ts, s).run(); }

} // namespace rthv::plan
