// The hook on the real Scheduler with real threads as pCPUs (run under ThreadSanitizer), using
// the default routing (no this_cpu callback: the ring of the CPU an event is about, serialised
// by the pool lock) while a reader thread drains the rings concurrently. Checks: no data race,
// and the drained picks still reproduce every VCPU's dispatch count exactly.
#include "hv/sched/rtds.hpp"
#include "hv/trace/sched_hook.hpp"
#include "tests/unit/sched/thread_platform.hpp"

#include <atomic>
#include <chrono>
#include <gtest/gtest.h>
#include <map>
#include <memory>
#include <random>
#include <thread>
#include <vector>

namespace rthv::trace {
namespace {

constexpr CpuId kCpus = 2;
constexpr uint32_t kVcpusPerCpu = 3;
constexpr uint32_t kRingRecords = 1u << 17;

using ThreadPlatform = testing::ThreadPlatform<kCpus>;

TEST(SchedTraceHookThreads, ConcurrentPcpusAndReaderKeepDispatchCounts) {
    ThreadPlatform platform;
    TimerCore timers;
    auto sched = std::make_unique<Scheduler>();
    timers.init(platform, kCpus);
    sched->init(platform, timers, kCpus);
    std::vector<TraceRecord> storage(size_t{kCpus} * kRingRecords);
    TraceRing rings[kCpus];
    for (CpuId c = 0; c < kCpus; ++c) rings[c].init(&storage[c * kRingRecords], kRingRecords, c);
    SchedTraceHook hook;
    hook.init(rings, kCpus);
    sched->set_trace(&hook);
    std::vector<std::unique_ptr<Vcpu>> vcpus;
    for (uint32_t i = 0; i < kCpus * kVcpusPerCpu; ++i) {
        vcpus.push_back(std::make_unique<Vcpu>(i, 0u));
        Params p{500 + 100 * i, 200, i % 2 == 0, WakeRule::Deferrable};
        ASSERT_TRUE(sched->insert(*vcpus.back(), 0, p, CpuSet::first_n(kCpus), true).ok());
    }

    std::atomic<bool> stop{false};
    std::vector<TraceRecord> drained[kCpus];
    std::thread reader([&] {
        std::vector<TraceRecord> buf(512);
        for (bool last = false;;) {
            bool done = stop.load();
            bool any = false;
            for (CpuId c = 0; c < kCpus; ++c)
                for (uint32_t n; (n = rings[c].drain(buf.data(), 512)) != 0; any = true)
                    drained[c].insert(drained[c].end(), buf.begin(), buf.begin() + n);
            if (!any) std::this_thread::yield(); // 2 shared cores: leave them to the pCPUs
            if (last) break;
            last = done;
        }
    });
    std::vector<std::thread> cpus;
    for (CpuId c = 0; c < kCpus; ++c)
        cpus.emplace_back([&, c] {
            std::mt19937 rng(c + 1);
            bool blocked[kVcpusPerCpu] = {};
            for (int i = 0; i < 3000; ++i) {
                auto k = static_cast<uint32_t>(
                    rng() % kVcpusPerCpu); // this thread alone blocks/wakes its VCPUs
                Vcpu& v = *vcpus[c * kVcpusPerCpu + k];
                if (blocked[k])
                    sched->wake(v);
                else
                    sched->block(v);
                blocked[k] = !blocked[k];
                if (platform.armed[c].load() <= platform.now()) {
                    platform.armed[c].store(kTimeNever);
                    timers.expire(c, platform.now());
                }
                if (platform.kicked[c].exchange(false)) sched->schedule(c);
            }
            sched->schedule(c);
        });
    for (auto& t : cpus) t.join();
    stop.store(true);
    reader.join();

    std::map<uint16_t, uint64_t> dispatches;
    for (CpuId c = 0; c < kCpus; ++c) {
        ASSERT_EQ(rings[c].dropped(), 0u) << "rings sized to keep everything";
        uint16_t running = kNone16;
        for (const TraceRecord& r : drained[c]) {
            if (r.kind != kind_code(TraceKind::Pick)) continue;
            ASSERT_EQ(r.cpu, c);
            if (r.domain != running && r.domain != kNone16) ++dispatches[r.domain];
            running = r.domain;
        }
    }
    uint64_t total = 0;
    for (const auto& v : vcpus) {
        uint64_t expected = sched->stats(*v).dispatches;
        EXPECT_EQ(dispatches[static_cast<uint16_t>(v->domain())], expected) << v->domain();
        total += expected;
    }
    EXPECT_GT(total, 100u);
    EXPECT_EQ(sched->verify(), nullptr);
}

} // namespace
} // namespace rthv::trace
