// Real threads acting as pCPUs (run under ThreadSanitizer): each thread fires its own timers,
// answers its kicks with schedule(), blocks/yields what it runs, wakes random VCPUs and reports
// stolen time, while a control thread pauses, removes, re-inserts and re-parameterises VCPUs.
// Checks: no data race (TSan), no VCPU handed to a CPU while another still holds it, current()
// agrees with schedule(), and every structural invariant holds at the end.
#include "hv/sched/rtds.hpp"
#include "tests/unit/sched/thread_platform.hpp"

#include <atomic>
#include <chrono>
#include <gtest/gtest.h>
#include <memory>
#include <random>
#include <thread>
#include <vector>

namespace rthv {
namespace {

constexpr CpuId kCpus = 4;
constexpr int kVcpus = 12;

using ThreadPlatform = testing::ThreadPlatform<kCpus>;

struct World {
    ThreadPlatform platform;
    TimerCore timers;
    std::unique_ptr<Scheduler> sched = std::make_unique<Scheduler>();
    std::vector<std::unique_ptr<Vcpu>> vcpus;
    std::atomic<int> holder[kVcpus]; // CPU whose "context" holds the VCPU, -1 = none
    std::atomic<bool> stop{false};
    std::atomic<int> failures{0};
    std::atomic<long> dispatches{0};

    int index(const Vcpu* v) const { return static_cast<int>(v->id()); }
};

// The platform's side of the SMP hand-off (DESIGN.md): release what this CPU held, then take
// the new VCPU, waiting (bounded) for its previous CPU to let go.
void hand_off(World& w, CpuId cpu, Vcpu* prev, Vcpu* next) {
    if (prev == next) return;
    if (prev) w.holder[w.index(prev)].store(-1, std::memory_order_release);
    if (!next) return;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    int expected = -1;
    while (!w.holder[w.index(next)].compare_exchange_weak(expected, static_cast<int>(cpu))) {
        expected = -1;
        if (std::chrono::steady_clock::now() > deadline) {
            ++w.failures; // the scheduler gave a VCPU that another CPU still runs
            return;
        }
        std::this_thread::yield();
    }
    ++w.dispatches;
}

void cpu_thread(World& w, CpuId cpu, unsigned seed) {
    std::minstd_rand rng(seed);
    Vcpu* mine = nullptr;
    while (!w.stop.load()) {
        Time now = w.platform.now();
        Time due = w.platform.armed[cpu].load();
        if (due <= now && w.platform.armed[cpu].compare_exchange_strong(due, kTimeNever))
            w.timers.expire(cpu, now);
        if (w.platform.kicked[cpu].exchange(false)) {
            Vcpu* next = w.sched->schedule(cpu);
            if (w.sched->current(cpu) != next) ++w.failures;
            hand_off(w, cpu, mine, next);
            mine = next;
        }
        auto dice = rng() % 100;
        if (mine && dice < 3)
            w.sched->block(*mine);
        else if (mine && dice < 5)
            w.sched->yield(*mine);
        else if (dice < 15)
            w.sched->wake(*w.vcpus[rng() % kVcpus]);
        else if (mine && dice < 16)
            w.sched->steal(cpu, 1000);
        std::this_thread::yield();
    }
    hand_off(w, cpu, mine, nullptr);
}

void control_thread(World& w, unsigned seed) {
    std::minstd_rand rng(seed);
    while (!w.stop.load()) {
        Vcpu& v = *w.vcpus[rng() % kVcpus];
        if (rng() % 2 == 0) {
            w.sched->set_params(v, Params{1000, 100 + rng() % 150, rng() % 2 == 0,
                                          rng() % 2 ? WakeRule::Cbs : WakeRule::Deferrable});
            w.sched->stats(v);
        } else {
            w.sched->pause(v);
            auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(2);
            while (w.sched->is_running(v) && std::chrono::steady_clock::now() < limit && !w.stop)
                std::this_thread::yield();
            if (w.sched->remove(v).ok()) {
                Params p{1000, 200, true, WakeRule::Deferrable};
                if (!w.sched->insert(v, 0, p, CpuSet::first_n(kCpus), true).ok()) ++w.failures;
            } else if (w.sched->is_running(v) && !w.stop) {
                ++w.failures; // paused but never descheduled
            }
            w.sched->unpause(v);
        }
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
}

TEST(SchedThreads, ConcurrentCpusKeepEveryInvariant) {
    World w;
    w.timers.init(w.platform, kCpus);
    w.sched->init(w.platform, w.timers, kCpus);
    for (int i = 0; i < kVcpus; ++i) {
        w.holder[i].store(-1);
        w.vcpus.push_back(std::make_unique<Vcpu>(1, static_cast<uint32_t>(i)));
        CpuSet affinity =
            i % 4 == 0 ? CpuSet::single(static_cast<CpuId>(i % kCpus)) : CpuSet::first_n(kCpus);
        Params p{1000, 200, i % 3 != 0, i % 2 ? WakeRule::Cbs : WakeRule::Deferrable};
        ASSERT_TRUE(w.sched->insert(*w.vcpus[i], 0, p, affinity, true).ok());
    }
    std::vector<std::thread> threads;
    for (CpuId c = 0; c < kCpus; ++c) threads.emplace_back(cpu_thread, std::ref(w), c, 100 + c);
    threads.emplace_back(control_thread, std::ref(w), 7);
    // At least 1.5 s of interleavings and 100 dispatches; on a loaded machine (TSan, shared
    // cores) the dispatches may take longer: wait for them, up to a limit that means "stuck".
    auto start = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::steady_clock::now() - start; };
    while (elapsed() < std::chrono::seconds(30) &&
           (elapsed() < std::chrono::milliseconds(1500) || w.dispatches.load() <= 100))
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    w.stop = true;
    for (auto& t : threads) t.join();
    EXPECT_EQ(w.failures.load(), 0);
    EXPECT_GT(w.dispatches.load(), 100);
    EXPECT_EQ(w.sched->verify(), nullptr);
    uint64_t total_run = 0;
    for (auto& v : w.vcpus) total_run += w.sched->stats(*v).run_ns;
    EXPECT_GT(total_run, 0u);
}

} // namespace
} // namespace rthv
