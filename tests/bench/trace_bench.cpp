// trace_bench: what tracing costs. Separate from rthv_bench so bench_table.py's rthv/baseline
// pairing never sees these rows; it prints its own "trace on vs off" table at the end.
//
// ring_push: one TraceRing::push of a 24-byte record (the ring is drained outside the timing).
// ring_push_full: the drop path (ring full): one acquire load and a counter.
// hook_event: SchedTraceHook::event for a Pick (routing, record fill, push).
// wake_pick/trace:{off,disabled,on}: rthv_bench's wake_pick (block the VCPU on the next busy
//   CPU, that CPU picks, wake the longest-blocked VCPU and serve the kicks) with no hook, with a
//   hook installed but disabled, and with the hook feeding per-pCPU rings.
#include "hv/sched/rtds.hpp"
#include "hv/trace/sched_hook.hpp"
#include "tests/bench/fake_platform.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace rthv::bench {
namespace {

constexpr uint32_t kRingRecords = 1u << 16;
constexpr uint32_t kDrainEvery = 256; // ops between (untimed) drains: far below ring capacity

struct Rings {
    explicit Rings(CpuId n) : storage(size_t{n} * kRingRecords), rings(n), scratch(4096) {
        for (CpuId c = 0; c < n; ++c)
            rings[c].init(&storage[size_t{c} * kRingRecords], kRingRecords, c);
    }
    void drain_all() {
        for (auto& r : rings)
            while (r.drain(scratch.data(), static_cast<uint32_t>(scratch.size())) != 0) {
            }
    }
    std::vector<trace::TraceRecord> storage;
    std::vector<trace::TraceRing> rings;
    std::vector<trace::TraceRecord> scratch;
};

void ring_push(benchmark::State& state) {
    Rings r(1);
    trace::TraceRecord rec{};
    uint32_t since_drain = 0;
    for (auto _ : state) {
        rec.time_ns++;
        benchmark::DoNotOptimize(r.rings[0].push(rec));
        if (++since_drain == kRingRecords) {
            state.PauseTiming();
            r.drain_all();
            since_drain = 0;
            state.ResumeTiming();
        }
    }
    if (r.rings[0].dropped() != 0) state.SkipWithError("the timed pushes must not drop");
}

void ring_push_full(benchmark::State& state) {
    Rings r(1);
    trace::TraceRecord rec{};
    while (r.rings[0].push(rec)) {
    }
    for (auto _ : state) benchmark::DoNotOptimize(r.rings[0].push(rec));
}

void hook_event(benchmark::State& state) {
    Rings r(4);
    trace::SchedTraceHook hook;
    hook.init(r.rings.data(), 4);
    Vcpu v(1, 0);
    TraceEvent e{TraceKind::Pick, 2, &v, 0, 0};
    uint32_t since_drain = 0;
    for (auto _ : state) {
        e.now++;
        hook.event(e);
        if (++since_drain == kRingRecords) {
            state.PauseTiming();
            r.drain_all();
            since_drain = 0;
            state.ResumeTiming();
        }
    }
    if (r.rings[2].dropped() != 0) state.SkipWithError("the timed events must not drop");
}

enum class Mode { Off, Disabled, On };
constexpr const char* kModeNames[] = {"off", "disabled", "on"};

// rthv_bench's wake_pick world, with the trace hook as the variable.
struct World {
    World(uint32_t n, CpuId m, Mode mode) : m_(m), rings(m) {
        timers.init(platform, m);
        sched->init(platform, timers, m);
        hook.init(rings.rings.data(), m);
        if (mode != Mode::Off) sched->set_trace(&hook);
        hook.set_enabled(mode == Mode::On);
        for (uint32_t i = 0; i < n; ++i) {
            Vcpu& v = vcpus.emplace_back(1, i);
            uint64_t period_us = 10000 + (i * 7919u + 13u) % 65536u;
            Params p{period_us, period_us, false, WakeRule::Cbs};
            if (!sched->insert(v, 0, p, CpuSet::first_n(m), true).ok()) __builtin_trap();
            serve();
        }
        step = 10000 * 1000 / n + 1;
        for (int i = 0; i < 2000; ++i) op();
        rings.drain_all();
    }
    void serve() {
        serve_kicks(platform, [this](CpuId c) { sched->schedule(c); });
    }
    void op() {
        platform.advance(step);
        for (CpuId i = 0; i < m_; ++i) {
            CpuId c = (cursor + i) % m_;
            if (Vcpu* v = sched->current(c)) {
                sched->block(*v);
                serve();
                blocked.push_back(v);
                cursor = (c + 1) % m_;
                break;
            }
        }
        if (blocked.size() > 1) {
            sched->wake(*blocked.front());
            blocked.pop_front();
            serve();
        }
    }

    CpuId m_;
    FakePlatform platform;
    TimerCore timers;
    std::unique_ptr<Scheduler> sched = std::make_unique<Scheduler>();
    Rings rings;
    trace::SchedTraceHook hook;
    std::deque<Vcpu> vcpus;
    std::deque<Vcpu*> blocked;
    CpuId cursor = 0;
    Duration step = 0;
};

void wake_pick(benchmark::State& state, Mode mode, uint32_t n, CpuId m) {
    World w(n, m, mode);
    uint64_t kept_before = 0;
    for (const auto& r : w.rings.rings) kept_before += r.kept();
    uint32_t since_drain = 0;
    for (auto _ : state) {
        w.op();
        if (++since_drain == kDrainEvery) { // same pause pattern in every mode: a fair compare
            state.PauseTiming();
            w.rings.drain_all();
            since_drain = 0;
            state.ResumeTiming();
        }
    }
    uint64_t kept = 0, dropped = 0;
    for (const auto& r : w.rings.rings) {
        kept += r.kept();
        dropped += r.dropped();
    }
    state.counters["records_per_op"] =
        static_cast<double>(kept - kept_before) / static_cast<double>(state.iterations());
    if (dropped != 0) state.SkipWithError("rings overflowed during timing");
    if (const char* broken = w.sched->verify()) state.SkipWithError(broken);
}

} // namespace
} // namespace rthv::bench

namespace rthv::bench {
namespace {

// Console output as usual, plus the results kept for the on/off table printed at the end.
class TableReporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const Run& r : runs) {
            if (r.error_occurred) {
                ++errors;
                continue;
            }
            auto per_op = r.counters.find("records_per_op");
            results[r.benchmark_name()] = {r.GetAdjustedCPUTime(),
                                           per_op == r.counters.end() ? 0.0 : per_op->second.value};
        }
    }
    struct Result {
        double ns, records_per_op;
    };
    std::map<std::string, Result> results;
    int errors = 0;
};

void print_table(const TableReporter& rep, const std::vector<std::pair<uint32_t, CpuId>>& cases) {
    auto find = [&rep](const std::string& name) {
        auto it = rep.results.find(name);
        return it == rep.results.end() ? TableReporter::Result{-1, 0} : it->second;
    };
    std::printf("\ntrace point cost (CPU ns)\n");
    for (const char* name : {"ring_push", "ring_push_full", "hook_event"})
        std::printf("  %-16s %8.1f ns\n", name, find(name).ns);
    std::printf("\nwake_pick with tracing   n     m    off ns  disabled ns     on ns  records/op"
                "  on-off ns  per record\n");
    for (auto [n, m] : cases) {
        std::string suffix = "/n:" + std::to_string(n) + "/m:" + std::to_string(m);
        auto off = find("wake_pick/trace:off" + suffix);
        auto dis = find("wake_pick/trace:disabled" + suffix);
        auto on = find("wake_pick/trace:on" + suffix);
        double extra = on.ns - off.ns;
        std::printf("%24s %5u %5u %9.1f %12.1f %9.1f %11.1f %10.1f %11.1f\n", "", n, m, off.ns,
                    dis.ns, on.ns, on.records_per_op, extra,
                    on.records_per_op > 0 ? extra / on.records_per_op : 0.0);
    }
}

} // namespace
} // namespace rthv::bench

int main(int argc, char** argv) {
    using namespace rthv::bench;
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RegisterBenchmark("ring_push", ring_push)->Unit(benchmark::kNanosecond);
    benchmark::RegisterBenchmark("ring_push_full", ring_push_full)->Unit(benchmark::kNanosecond);
    benchmark::RegisterBenchmark("hook_event", hook_event)->Unit(benchmark::kNanosecond);
    std::vector<std::pair<uint32_t, rthv::CpuId>> cases = {{16, 4}, {256, 4}, {4096, 64}};
    for (auto [n, m] : cases)
        for (Mode mode : {Mode::Off, Mode::Disabled, Mode::On}) {
            std::string name = std::string("wake_pick/trace:") +
                               kModeNames[static_cast<int>(mode)] + "/n:" + std::to_string(n) +
                               "/m:" + std::to_string(m);
            benchmark::RegisterBenchmark(name.c_str(), wake_pick, mode, n, m)
                ->Unit(benchmark::kNanosecond);
        }
    TableReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    print_table(reporter, cases);
    benchmark::Shutdown();
    return reporter.errors == 0 ? 0 : 1; // a skipped case (drops, broken invariant) fails ctest
}
