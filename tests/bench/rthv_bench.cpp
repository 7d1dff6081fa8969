// rthv_bench: ns per scheduler operation, rthv's core against two baselines in one run: the
// Xen-shaped one (xen_rt_baseline.hpp, IMPL "xen") and the SCHED_DEADLINE-shaped one
// (dl_baseline.hpp, IMPL "dl"). Names are OP/IMPL/n:N/m:M (bench_table.py groups them).
// Reproducible by construction: every case runs a fixed number of operations (operations()),
// so two runs time the same sequence of states, and the three implementations are timed in
// alternating chunks (run_paired), so load changes hit them alike; bench_table.py repeats each
// case and reports median, min and max. Every benchmark first builds a
// steady state once (n VCPUs in the pool, all CPUs busy when n > m) and keeps it steady while
// timing, so the state is reused across Google Benchmark's repeated calls of the same case.
//
// wake_pick: advance time, the VCPU running on the next busy CPU blocks and that CPU picks the
//   best queued VCPU; then the VCPU that blocked longest ago wakes (enqueue + tickle, and the
//   kicked CPU's schedule if it preempts). CBS wake rule, and time advances so each VCPU runs
//   about once per period, so a woken VCPU lands at a spread-out place in the queue (with the
//   Deferrable rule and frozen time it would always land at the front: Xen's best case).
// replenish: advance to the earliest timer and fire it, as the platform does: one replenishment
//   (re-key; a preemption and its schedule when the replenished VCPU was running).
// tickle: the decision alone for a queued VCPU of the latest deadline (no kick).
// Budgets equal periods and admission is forced: overload keeps every CPU busy at every n.
#include "tests/bench/bench_worlds.hpp"
#include "tests/bench/dl_world.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <string>
#include <vector>

namespace rthv::bench {
namespace {

enum class Op { WakePick, Replenish, Tickle };
constexpr const char* kOpNames[] = {"wake_pick", "replenish", "tickle"};

template <typename World>
struct Steady {
    using V = typename World::V;
    std::unique_ptr<World> world;
    std::vector<V*> blocked; // ring of blocked VCPUs, oldest at head
    size_t head = 0, count = 0, keep_blocked = 0;
    CpuId m = 0, cursor = 0;
    Duration step = 0;

    void push_blocked(V* v) {
        blocked[(head + count) % blocked.size()] = v;
        ++count;
    }
    V* pop_blocked() {
        V* v = blocked[head];
        head = (head + 1) % blocked.size();
        --count;
        return v;
    }
};

template <typename World>
void wake_pick_once(Steady<World>& s);

// Warm-up before timing, identical for both implementations: enough for every VCPU to cycle
// at n <= 4096; at n = 65536 a full rotation would take the baseline minutes, so the timed
// state there is still early (short-period VCPUs cycle first; see walk_per_op).
constexpr uint32_t kMaxWarmup = 8192;

// Inserting in decreasing deadline order makes each sorted-list insertion O(1), so building
// 65536 VCPUs costs O(n m), not the O(n^2) Xen's list would take in random order.
template <typename World>
std::unique_ptr<Steady<World>> build(Op op, uint32_t n, CpuId m) {
    auto s = std::make_unique<Steady<World>>();
    s->world = std::make_unique<World>(m);
    s->m = m;
    std::vector<uint32_t> order(n);
    for (uint32_t i = 0; i < n; ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [](uint32_t a, uint32_t b) { return scenario_period_us(a) > scenario_period_us(b); });
    double rate = 0; // VCPU dispatches per ns if each ran once per period
    for (uint32_t i : order) {
        s->world->add(i, op == Op::WakePick);
        rate += 1.0 / static_cast<double>(from_us(scenario_period_us(i)));
    }
    s->step = static_cast<Duration>(1.0 / rate) + 1;
    s->keep_blocked = std::max<size_t>(1, std::min<size_t>(m / 4, n / 4));
    s->blocked.assign(s->keep_blocked + 1, nullptr);
    for (uint32_t i = 0; i < std::min(2 * n, kMaxWarmup); ++i) {
        if (op == Op::WakePick) wake_pick_once(*s);
        if (op == Op::Replenish) s->world->fire_next_timer();
    }
    if (op == Op::Tickle) s->world->prepare_tickle();
    return s;
}

template <typename World>
void wake_pick_once(Steady<World>& s) {
    World& w = *s.world;
    w.platform.advance(s.step);
    for (CpuId i = 0; i < s.m; ++i) {
        CpuId c = (s.cursor + i) % s.m;
        if (auto* v = w.current(c)) {
            w.block(*v);
            w.serve();
            s.push_blocked(v);
            s.cursor = (c + 1) % s.m;
            break;
        }
    }
    if (s.count > s.keep_blocked) {
        w.wake(*s.pop_blocked());
        w.serve();
    }
}

// One steady state per implementation and case, built at its first use and kept, so each case
// walks its own fixed sequence of states whatever runs in between (a few hundred MB at most).
template <typename World>
Steady<World>& steady(Op op, uint32_t n, CpuId m) {
    static std::map<std::string, std::unique_ptr<Steady<World>>> cache;
    std::string key =
        std::to_string(static_cast<int>(op)) + "/" + std::to_string(n) + "/" + std::to_string(m);
    std::unique_ptr<Steady<World>>& cached = cache[key];
    if (!cached) cached = build<World>(op, n, m);
    return *cached;
}

Duration thread_cpu_ns() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<Duration>(ts.tv_sec) * 1'000'000'000u + static_cast<Duration>(ts.tv_nsec);
}

// `count` operations on one implementation; returns the thread CPU ns they took.
template <typename World>
Duration chunk(Steady<World>& s, Op op, uint64_t count) {
    World& w = *s.world;
    auto& probe = w.first_added();
    Duration start = thread_cpu_ns();
    for (uint64_t i = 0; i < count; ++i) {
        switch (op) {
        case Op::WakePick:
            wake_pick_once(s);
            break;
        case Op::Replenish:
            w.fire_next_timer();
            break;
        case Op::Tickle:
            benchmark::DoNotOptimize(w.tickle_target(probe));
            break;
        }
    }
    return thread_cpu_ns() - start;
}

// Fixed per case and equal for every implementation, so each times the same sequence of
// states in every run (Google Benchmark's own choice depends on speed, hence on the machine's
// load, and would make the states, not just the clock, differ between runs). Sized so that the
// fastest implementation is timed over a few ms per repetition (the slowest, Xen's list
// replenishment at n = 65536, takes ~2 s per repetition).
uint64_t operations(Op op, uint32_t n) {
    if (op == Op::Tickle) return 1 << 22;
    if (n <= 16) return 1 << 17;
    if (n <= 256) return 1 << 15;
    return 1 << 13;
}
constexpr uint64_t kRounds = 16;

// The three implementations measured in alternation: each "iteration" is one round of a chunk
// of operations per implementation (order rotating), so a change in the machine's load (other
// builds on the same cores) hits all three alike. Reported as counters: ns per operation of
// each implementation over the repetition (IMPL_ns), and Xen's list elements walked per op.
void run_paired(benchmark::State& state, Op op, uint32_t n, CpuId m) {
    Steady<RthvWorld>& r = steady<RthvWorld>(op, n, m);
    Steady<BaselineWorld>& x = steady<BaselineWorld>(op, n, m);
    Steady<DlWorld>& d = steady<DlWorld>(op, n, m);
    const uint64_t per_chunk = operations(op, n) / kRounds;
    Duration ns[3] = {0, 0, 0};
    uint64_t walked_before = x.world->walked();
    uint64_t round = 0;
    for (auto _ : state) {
        for (uint64_t k = 0; k < 3; ++k) {
            switch ((round + k) % 3) {
            case 0:
                ns[0] += chunk(r, op, per_chunk);
                break;
            case 1:
                ns[1] += chunk(x, op, per_chunk);
                break;
            default:
                ns[2] += chunk(d, op, per_chunk);
                break;
            }
        }
        ++round;
    }
    const double ops = static_cast<double>(per_chunk * round);
    state.counters["rthv_ns"] = static_cast<double>(ns[0]) / ops;
    state.counters["xen_ns"] = static_cast<double>(ns[1]) / ops;
    state.counters["dl_ns"] = static_cast<double>(ns[2]) / ops;
    state.counters["xen_walk_per_op"] =
        static_cast<double>(x.world->walked() - walked_before) / ops;
    for (const char* broken :
         {r.world->broken_invariant(), x.world->broken_invariant(), d.world->broken_invariant()})
        if (broken) state.SkipWithError(broken);
}

void register_all() {
    for (Op op : {Op::WakePick, Op::Replenish, Op::Tickle}) {
        for (uint32_t n : {16u, 256u, 4096u, 65536u}) {
            for (CpuId m : {4u, 64u}) {
                std::string name = std::string(kOpNames[static_cast<int>(op)]) +
                                   "/paired/n:" + std::to_string(n) + "/m:" + std::to_string(m);
                benchmark::RegisterBenchmark(name.c_str(), run_paired, op, n, m)
                    ->Unit(benchmark::kMillisecond)
                    ->Iterations(static_cast<benchmark::IterationCount>(kRounds));
            }
        }
    }
}

} // namespace
} // namespace rthv::bench

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    rthv::bench::register_all();
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
