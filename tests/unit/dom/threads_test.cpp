// The domain layer's run loop on real threads acting as pCPUs (under ThreadSanitizer): each
// thread runs dom::run_cpu over guests that compute, halt with a timer, yield and exit for the
// host at random, while a device thread raises interrupts for random VCPUs and one domain
// crashes midway. Checks: no data race (TSan), no VCPU run by two CPUs at once, nothing of the
// crashed domain runs after its crash (50 ms for the kicks), every CPU's time sums to its elapsed
// time, every live VCPU ran, and the scheduler's invariants hold at the end.
#include "hv/dom/domain.hpp"
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
constexpr uint32_t kDomains = 4, kPerDomain = 3; // domain 3 crashes
constexpr uint32_t kVcpus = kDomains * kPerDomain;

using ThreadPlatform = testing::ThreadPlatform<kCpus>;

struct World;

struct ThreadVcpu : dom::DomVcpu {
    std::atomic<int> on_cpu{-1};         // who runs it now: a second runner is a failure
    std::atomic<Time> timer{kTimeNever}; // its one-shot timer as the guest wants it
    std::atomic<bool> interrupt{false};
    std::atomic<uint64_t> stints{0}, stints_after_crash{0};
    std::atomic<bool> crash_me{false}; // its next stint ends in a crash
};

ThreadVcpu& tv(dom::DomVcpu& v) { return static_cast<ThreadVcpu&>(v); }

struct World {
    ThreadPlatform platform;
    TimerCore timers;
    std::unique_ptr<Scheduler> sched = std::make_unique<Scheduler>();
    dom::System sys;
    dom::CpuRun cpus[kCpus];
    config::DomainSpec spec;
    dom::Domain domains[kDomains];
    std::unique_ptr<ThreadVcpu> vcpus[kVcpus];
    dom::DomVcpu* ptrs[kVcpus] = {};
    std::atomic<int> failures{0};
    std::atomic<Time> crashed_at{kTimeNever}; // when the crash was reported
    std::atomic<bool> stop_devices{false};
};

class ThreadGuests final : public dom::Guests {
public:
    explicit ThreadGuests(World& w) : w_(w) {}
    bool cpu_enable(CpuId, const char*&) override { return true; }
    void load(dom::DomVcpu& v, CpuId cpu) override {
        int none = -1;
        if (!tv(v).on_cpu.compare_exchange_strong(none, static_cast<int>(cpu))) ++w_.failures;
    }
    void unload(dom::DomVcpu& v) override { tv(v).on_cpu.store(-1); }
    void prepare(dom::DomVcpu&) override {}
    dom::Stint run(dom::DomVcpu& dv, CpuId cpu, Time deadline) override {
        ThreadVcpu& v = tv(dv);
        if (v.on_cpu.load() != static_cast<int>(cpu)) ++w_.failures; // not handed to this CPU
        // A CPU may enter a VCPU of a domain once more while its kick after the crash is on the
        // way; 50 ms later none may.
        if (v.domain->dead() && w_.platform.now() > w_.crashed_at.load() + 50'000'000)
            v.stints_after_crash.fetch_add(1);
        thread_local std::minstd_rand rng(static_cast<unsigned>(cpu) * 7919u + 1u);
        dom::Stint st;
        st.entered = true;
        st.entered_at = w_.platform.now();
        const Time stop = st.entered_at + 5'000 + rng() % 40'000;
        // The entry and exit themselves take time inside the stamps, even when the deadline
        // has passed (a VM entry then exits before the guest's first instruction).
        const Time bound = deadline > st.entered_at + 300 ? deadline : st.entered_at + 300;
        Time t = st.entered_at;
        while (t < stop && t < bound) t = w_.platform.now();
        st.exited_at = t;
        st.deadline_reached = t >= deadline;
        const unsigned dice = static_cast<unsigned>(rng() % 100);
        st.guest_caused = !st.deadline_reached && dice >= 30;
        if (v.crash_me.exchange(false)) {
            st.action = dom::ExitAction::kCrash;
            w_.crashed_at.store(t);
        } else if (!st.deadline_reached && dice < 10) {
            v.timer.store(t + 20'000 + rng() % 200'000);
            st.action = dom::ExitAction::kBlock;
        } else if (!st.deadline_reached && dice < 14) {
            st.action = dom::ExitAction::kYield;
        }
        v.stints.fetch_add(1);
        return st;
    }
    Time timer_deadline(dom::DomVcpu& v) override { return tv(v).timer.load(); }
    bool interrupt_pending(dom::DomVcpu& v) override { return tv(v).interrupt.load(); }
    void halt_over(dom::DomVcpu& v) override {
        tv(v).interrupt.store(false);
        tv(v).timer.store(kTimeNever);
    }
    bool timer_is_interrupt(dom::DomVcpu&) override { return false; }
    Time timer_fired(dom::DomVcpu&) override { return kTimeNever; }
    bool crashed(dom::DomVcpu&) override { return false; }

private:
    World& w_;
};

// Interrupts are the platform's armed deadlines and kick flags, polled by the CPU's own thread.
class ThreadMachine final : public dom::Machine {
public:
    explicit ThreadMachine(World& w) : w_(w) {}
    Time now() override { return w_.platform.now(); }
    uint64_t interrupts_taken(CpuId cpu) override { return taken_[cpu].load(); }
    void interrupt_window(CpuId cpu) override {
        const Time now = w_.platform.now();
        Time due = w_.platform.armed[cpu].load();
        if (due <= now && w_.platform.armed[cpu].compare_exchange_strong(due, kTimeNever)) {
            taken_[cpu].fetch_add(1);
            w_.timers.expire(cpu, now);
        }
        if (w_.platform.kicked[cpu].exchange(false)) {
            taken_[cpu].fetch_add(1);
            w_.cpus[cpu].request_resched();
        }
    }
    void idle(CpuId cpu) override {
        std::this_thread::yield();
        interrupt_window(cpu);
    }
    void before_entry(CpuId) override {}
    bool serve_control(CpuId) override { return false; }

private:
    World& w_;
    std::atomic<uint64_t> taken_[kCpus] = {};
};

// Raises interrupts for random VCPUs from outside every CPU (a device), as a Linux guest's
// I/O APIC or another VCPU's IPI would.
void device_thread(World& w) {
    std::minstd_rand rng(99);
    while (!w.stop_devices.load()) {
        ThreadVcpu& v = *w.vcpus[rng() % kVcpus];
        v.interrupt.store(true);
        dom::guest_interrupt(w.sys, v, kCpus); // from no CPU of the machine
        std::this_thread::sleep_for(std::chrono::microseconds(300));
    }
}

TEST(DomThreads, ConcurrentRunLoopsKeepEveryInvariant) {
    auto w = std::make_unique<World>();
    ThreadGuests guests(*w);
    ThreadMachine machine(*w);
    w->timers.init(w->platform, kCpus);
    w->sched->init(w->platform, w->timers, kCpus);
    w->sys = {&w->platform, w->sched.get(), &w->timers, &guests, &machine,
              w->cpus,      kCpus,          w->ptrs,    kVcpus,  kMaxCpus};
    w->spec.vcpus = kPerDomain;
    for (uint32_t d = 0; d < kDomains; ++d) {
        w->domains[d].spec = &w->spec;
        w->domains[d].id = d + 1;
        w->domains[d].first_vcpu = d * kPerDomain;
        for (uint32_t k = 0; k < kPerDomain; ++k) {
            const uint32_t i = d * kPerDomain + k;
            w->vcpus[i] = std::make_unique<ThreadVcpu>();
            ThreadVcpu& v = *w->vcpus[i];
            new (&v.sched) Vcpu(d + 1, k, &v);
            v.domain = &w->domains[d];
            v.index = i;
            v.vcpu_id = k;
            w->ptrs[i] = &v;
            dom::attach(w->sys, v);
        }
    }
    for (uint32_t i = 0; i < kVcpus; ++i) {
        Params p{2'000, 400 + 50 * (i % 4), i % 3 != 0,
                 i % 2 ? WakeRule::Cbs : WakeRule::Deferrable};
        ASSERT_TRUE(w->sched->insert(w->vcpus[i]->sched, 0, p, CpuSet::first_n(kCpus), true).ok());
    }
    // Long enough for thousands of stints even under TSan on a loaded machine.
    dom::start(w->sys, w->platform.now() + 1'500'000'000);
    std::vector<std::thread> threads;
    for (CpuId c = 0; c < kCpus; ++c)
        threads.emplace_back([&w, c] { EXPECT_TRUE(dom::run_cpu(w->sys, c)); });
    std::thread devices(device_thread, std::ref(*w));
    // Domain 3 crashes at its VCPU 0's next stint, 300 ms in.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    w->vcpus[3 * kPerDomain]->crash_me.store(true);
    for (auto& t : threads) t.join();
    w->stop_devices.store(true);
    devices.join();

    EXPECT_EQ(w->failures.load(), 0);
    EXPECT_EQ(w->sched->verify(), nullptr);
    EXPECT_TRUE(w->domains[3].dead())
        << "its VCPU 0 ran " << w->vcpus[3 * kPerDomain]->stints << " stints, crash pending "
        << w->vcpus[3 * kPerDomain]->crash_me.load();
    for (uint32_t d = 0; d < 3; ++d) EXPECT_FALSE(w->domains[d].dead());
    for (uint32_t i = 0; i < kVcpus; ++i) {
        EXPECT_GT(w->vcpus[i]->stints.load(), 0u) << "VCPU " << i << " never ran";
        EXPECT_EQ(w->vcpus[i]->stints_after_crash.load(), 0u) << "VCPU " << i;
    }
    for (CpuId c = 0; c < kCpus; ++c) {
        const dom::CpuLedger& l = w->cpus[c].ledger;
        EXPECT_EQ(l.guest_ns() + l.idle_ns() + l.overhead_ns(), l.elapsed()) << "cpu " << c;
        EXPECT_GT(l.guest_ns(), 0u)
            << "cpu " << c << " passes " << w->cpus[c].loop_passes << " switches "
            << w->cpus[c].switches << " waits " << w->cpus[c].handoff_waits << " idle "
            << l.idle_ns() << " overhead " << l.overhead_ns();
        EXPECT_EQ(w->cpus[c].unreported, 0u);
    }
}

} // namespace
} // namespace rthv
