// Timer core with real threads (run under ThreadSanitizer): CPUs expiring their queues while
// other threads add to remote queues, callbacks re-add themselves, and an owner cancels with
// cancel_sync and checks that no callback runs afterwards.
#include "hv/timer/timer_core.hpp"

#include <atomic>
#include <gtest/gtest.h>
#include <random>
#include <thread>
#include <vector>

namespace rthv {
namespace {

constexpr CpuId kCpus = 3;

class CountingPlatform final : public Platform {
public:
    Time now() const override { return clock.load(); }
    void arm(CpuId, Time) override { arms.fetch_add(1); }
    void kick(CpuId) override {}
    std::atomic<Time> clock{0};
    std::atomic<long> arms{0};
};

struct Bouncer { // re-adds itself on the next CPU until told to stop
    static void fire(void* self, Time now) {
        auto* b = static_cast<Bouncer*>(self);
        b->fires.fetch_add(1);
        if (b->active.load()) b->core->add((b->cpu = (b->cpu + 1) % kCpus), b->timer, now + 3);
    }
    TimerCore* core = nullptr;
    CpuId cpu = 0;
    std::atomic<bool> active{true};
    std::atomic<long> fires{0};
    Timer timer{&Bouncer::fire, this};
};

struct Guarded { // flags the window in which its callback runs
    static void fire(void* self, Time) {
        auto* g = static_cast<Guarded*>(self);
        g->inside.store(true);
        g->fires.fetch_add(1);
        std::this_thread::yield();
        g->inside.store(false);
    }
    std::atomic<bool> inside{false};
    std::atomic<long> fires{0};
    Timer timer{&Guarded::fire, this};
};

TEST(TimerThreads, ExpiryAddAndCancelSyncRace) {
    CountingPlatform platform;
    TimerCore timers;
    timers.init(platform, kCpus);
    std::vector<Bouncer> bouncers(8);
    for (size_t i = 0; i < bouncers.size(); ++i) {
        bouncers[i].core = &timers;
        bouncers[i].cpu = static_cast<CpuId>(i % kCpus);
        timers.add(bouncers[i].cpu, bouncers[i].timer, i);
    }
    std::atomic<bool> stop{false};
    std::vector<std::thread> cpus;
    for (CpuId c = 0; c < kCpus; ++c)
        cpus.emplace_back([&, c] {
            while (!stop.load()) {
                timers.expire(c, platform.clock.fetch_add(1));
                std::this_thread::yield();
            }
        });
    Guarded guarded;
    std::minstd_rand rng(3);
    int violations = 0;
    for (int round = 0; round < 3000; ++round) {
        timers.add(static_cast<CpuId>(rng() % kCpus), guarded.timer, platform.now() + rng() % 4);
        for (int spin = 0; spin < static_cast<int>(rng() % 50); ++spin) std::this_thread::yield();
        timers.cancel_sync(guarded.timer);
        long before = guarded.fires.load();
        if (guarded.inside.load() || guarded.timer.queued()) ++violations;
        std::this_thread::yield();
        if (guarded.fires.load() != before) ++violations; // fired after cancel_sync returned
    }
    for (Bouncer& b : bouncers) b.active.store(false);
    for (Bouncer& b : bouncers) {
        while (b.timer.queued() || b.timer.running()) std::this_thread::yield();
    }
    stop.store(true);
    for (auto& t : cpus) t.join();
    EXPECT_EQ(violations, 0);
    EXPECT_GT(guarded.fires.load(), 0);
    for (Bouncer& b : bouncers) EXPECT_GT(b.fires.load(), 10);
    for (CpuId c = 0; c < kCpus; ++c) EXPECT_EQ(timers.pending(c), 0u);
}

} // namespace
} // namespace rthv
