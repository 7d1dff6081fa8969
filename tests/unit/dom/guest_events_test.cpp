// Guest events through the domain layer (hv/dom/guest_events.cpp, switch.hpp): halts with and
// without a pending timer, a virtual platform's timer interrupt, interrupts from other CPUs,
// crash containment and the SMP hand-off order.
#include "tests/unit/dom/dom_rig.hpp"

#include <gtest/gtest.h>
#include <thread>

namespace rthv::test {
namespace {

Step halt_until(Time timer, Duration length = 10 * kUs) {
    Step s;
    s.length = length;
    s.action = dom::ExitAction::kBlock;
    s.timer = timer;
    s.set_timer = true;
    return s;
}

// The guest halts with its timer 2 ms ahead: it sleeps (the CPU idles) and runs again when the
// timer fires, within the costs of one pass.
TEST(DomEvents, AHaltSleepsUntilTheGuestTimer) {
    auto r = std::make_unique<DomRig>(1);
    r->add_domain(1, 10'000, 5'000);
    r->v(0).steps.push_back(halt_until(2 * kMs));
    Step after;
    after.length = 50 * kUs;
    after.action = dom::ExitAction::kBlock; // then sleeps for good: its timer cancelled
    after.set_timer = true;
    r->v(0).steps.push_back(after);
    r->start(5 * kMs);
    ASSERT_TRUE(dom::run_cpu(r->sys, 0));
    ASSERT_EQ(r->v(0).stints.size(), 2u);
    EXPECT_EQ(r->v(0).stints[1], 50 * kUs + kTransition);
    // Woken by its timer: entered again within one pass's costs after 2 ms, not before.
    EXPECT_GE(r->v(0).entries[1], 2 * kMs);
    EXPECT_LE(r->v(0).entries[1], 2 * kMs + 5 * kUs);
    EXPECT_GE(r->machine.idles, 2);
    const dom::CpuLedger& l = r->run(0).ledger;
    EXPECT_EQ(l.guest_ns(), 60 * kUs + 2 * kTransition);
    // Slept from ~10 us to 2 ms, then from ~2.05 ms to the end.
    EXPECT_GT(l.idle_ns(), 4800 * kUs);
    EXPECT_TRUE(r->v(0).sleeping);
    EXPECT_EQ(r->sched.stats(r->v(0).sched).misses, 0u);
}

// The guest halts after its timer has passed: no sleep, the halt is over at once (the lost
// wake-up the VCPU lock protocol rules out).
TEST(DomEvents, AHaltWithItsTimerAlreadyDueKeepsRunning) {
    auto r = std::make_unique<DomRig>(1);
    r->add_domain(1, 10'000, 5'000);
    r->v(0).steps.push_back(halt_until(1 * kUs)); // due before the stint even ends
    // The timer interrupt comes late: a VCPU put to sleep anyway would idle until it does.
    r->machine.timer_delay = 100 * kUs;
    r->start(1 * kMs);
    ASSERT_TRUE(dom::run_cpu(r->sys, 0));
    EXPECT_EQ(r->guests.halts_over, 1);
    EXPECT_EQ(r->machine.idles, 0);
    EXPECT_GE(r->v(0).stints.size(), 2u); // entered again without a wake
    EXPECT_LE(r->v(0).entries[1], r->v(0).entries[0] + 20 * kUs);
    EXPECT_FALSE(r->v(0).sleeping);
}

// A virtual platform's timer raises its interrupt; a sleeping VCPU wakes only because an
// interrupt is now pending, and a firing for a replaced deadline does nothing.
TEST(DomEvents, AVirtualTimerWakesThroughItsInterrupt) {
    auto r = std::make_unique<DomRig>(1);
    r->add_domain(1, 10'000, 5'000);
    r->v(0).virtual_timer = true;
    r->v(0).steps.push_back(halt_until(1 * kMs));
    Step after;
    after.length = 20 * kUs;
    after.action = dom::ExitAction::kBlock;
    r->v(0).steps.push_back(after);
    r->start(3 * kMs);
    ASSERT_TRUE(dom::run_cpu(r->sys, 0));
    ASSERT_EQ(r->v(0).stints.size(), 2u);
    EXPECT_FALSE(r->v(0).interrupt); // taken when the halt ended
    EXPECT_EQ(r->v(0).armed, kTimeNever);
}

// A virtual platform's periodic timer re-arms itself from its own expiry, on the CPU that ran
// the VCPU: a halted VCPU is woken by every period, with no exit in between to sync it.
TEST(DomEvents, APeriodicVirtualTimerRearmsWhileItsVcpuSleeps) {
    auto r = std::make_unique<DomRig>(1);
    r->add_domain(1, 10'000, 5'000);
    ScriptVcpu& v = r->v(0);
    v.virtual_timer = true;
    v.timer_period = 100 * kUs;
    v.steps.push_back(halt_until(100 * kUs));
    for (int i = 0; i < 20; ++i) {
        Step h;
        h.length = 5 * kUs;
        h.action = dom::ExitAction::kBlock; // back to sleep at once, timer left as it is
        v.steps.push_back(h);
    }
    r->start(1 * kMs + 50 * kUs);
    ASSERT_TRUE(dom::run_cpu(r->sys, 0));
    EXPECT_EQ(v.timer_firings, 10); // 100, 200, ..., 1000 us
    ASSERT_GE(v.entries.size(), 11u);
    for (size_t i = 1; i < 11; ++i) EXPECT_LE(v.entries[i], 100 * kUs * i + 5 * kUs);
    EXPECT_EQ(v.armed_on, 0u);
}

// One VCPU on `ncpus` CPUs, put to sleep as a halt does (its timer armed for `armed`).
std::unique_ptr<DomRig> one_sleeper(CpuId ncpus, Time armed = kTimeNever) {
    auto r = std::make_unique<DomRig>(ncpus);
    r->add_domain(1, 10'000, 5'000);
    r->start(10 * kMs);
    dom::DomVcpu& v = r->v(0);
    LockGuard g(v.lock);
    v.armed = armed;
    v.sleeping = true;
    r->sched.block(v.sched);
    return r;
}

// A firing for a deadline the guest has replaced since does nothing (the callback was already
// off the queue when the guest re-armed): a sleeping VCPU sleeps on.
TEST(DomEvents, AFiringForAReplacedDeadlineIsIgnored) {
    auto r = one_sleeper(1, 3 * kMs); // the guest moved its timer from 1 ms to 3 ms
    dom::DomVcpu& v = r->v(0);
    r->platform.time = 1 * kMs;
    r->timers.add(0, v.guest_timer, 1 * kMs);
    r->timers.expire(0, 1 * kMs);
    EXPECT_TRUE(v.sleeping);
    EXPECT_EQ(r->guests.halts_over, 0);
}

// An interrupt for a sleeping VCPU wakes it; for one running on another CPU it kicks that CPU.
TEST(DomEvents, AnInterruptWakesASleeperOrKicksItsCpu) {
    auto r = one_sleeper(2);
    dom::DomVcpu& v = r->v(0);
    dom::guest_interrupt(r->sys, v, 1);
    EXPECT_FALSE(v.sleeping);
    EXPECT_NE(v.sched.place(), Place::Blocked);
    // Running on CPU 0: an interrupt raised on CPU 1 kicks CPU 0; raised on CPU 0 itself, none.
    r->platform.kick_log.clear();
    v.context_busy = true;
    v.cpu = 0;
    dom::guest_interrupt(r->sys, v, 1);
    ASSERT_EQ(r->platform.kick_log.size(), 1u);
    EXPECT_EQ(r->platform.kick_log[0], 0u);
    dom::guest_interrupt(r->sys, v, 0);
    EXPECT_EQ(r->platform.kick_log.size(), 1u);
    v.context_busy = false;
}

// A crash pauses every VCPU of that domain for good, cancels the crashed VCPU's timer, and the
// other domain goes on: it gets the CPU.
TEST(DomEvents, ACrashStopsItsDomainAndNoOther) {
    auto r = std::make_unique<DomRig>(1);
    r->add_domain(2, 1'000, 300); // A: two VCPUs
    r->add_domain(1, 1'000, 300); // B
    Step arm;                     // its timer queued first: the crash must take it off its queue
    arm.length = 5 * kUs;
    arm.timer = 500 * kUs;
    arm.set_timer = true;
    r->v(0).steps.push_back(arm);
    Step crash;
    crash.length = 5 * kUs;
    crash.action = dom::ExitAction::kCrash;
    r->v(0).steps.push_back(crash);
    r->start(10 * kMs - 10 * kUs); // periods start at 0, 1, ..., 9 ms
    Time mark = 0;
    for (int i = 0; i < 20 && !r->domains[0]->dead(); ++i) dom::run_pass(r->sys, 0, mark);
    ASSERT_TRUE(r->domains[0]->dead());
    EXPECT_FALSE(r->v(0).guest_timer.queued()); // taken off its queue at the crash
    ASSERT_TRUE(dom::run_cpu(r->sys, 0));
    EXPECT_TRUE(r->domains[0]->dead());
    EXPECT_FALSE(r->domains[1]->dead());
    EXPECT_EQ(r->v(0).stints.size(), 2u);
    EXPECT_FALSE(r->v(0).guest_timer.queued());
    EXPECT_EQ(r->v(0).armed, kTimeNever);
    const size_t a1_stints = r->v(1).stints.size();
    EXPECT_LE(a1_stints, 1u); // at most the stint it may have had before the crash
    EXPECT_TRUE(r->v(1).sched.paused());
    EXPECT_EQ(r->sched.stats(r->v(2).sched).periods, 10u);
    EXPECT_NEAR(static_cast<double>(r->sched.stats(r->v(2).sched).run_ns), 10 * 300.0 * kUs,
                10 * 5.0 * kUs);
}

// A switch unloads the old VCPU before loading the new one, counts a migration when the VCPU
// last ran elsewhere, and waits while another CPU still holds the VCPU's context.
TEST(DomEvents, TheHandOffUnloadsFirstAndWaitsForTheOwner) {
    auto r = std::make_unique<DomRig>(2);
    r->add_domain(2, 1'000, 300);
    r->start(10 * kMs);
    dom::switch_to(r->sys, 0, &r->v(0));
    dom::switch_to(r->sys, 0, &r->v(1));
    EXPECT_EQ(r->guests.log, (std::vector<std::string>{"load 0@0", "unload 0", "load 1@0"}));
    EXPECT_EQ(r->run(0).migrations, 0u);
    // CPU 0 still holds VCPU 1: CPU 1 waits until it lets go.
    std::thread owner([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        r->guests.log.push_back("releasing");
        dom::switch_to(r->sys, 0, nullptr);
    });
    dom::switch_to(r->sys, 1, &r->v(1));
    owner.join();
    EXPECT_LE(r->run(1).handoff_waits, 1u); // 1 unless this thread came after the release
    EXPECT_EQ(r->run(1).migrations, 1u);
    EXPECT_EQ(r->v(1).cpu, 1u); // where it runs now (guest_interrupt kicks there)
    EXPECT_EQ(r->guests.log.back(), "load 1@1");
    EXPECT_EQ(r->guests.log[r->guests.log.size() - 2], "unload 1");
}

} // namespace
} // namespace rthv::test
