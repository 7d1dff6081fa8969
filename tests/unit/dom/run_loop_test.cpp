// The portable run loop (hv/dom/run_loop.hpp) on a manual clock: where each ns of a CPU goes,
// what is charged to a VCPU's budget and what is stolen, entries bounded by the next deadline.
#include "tests/unit/dom/dom_rig.hpp"

#include <gtest/gtest.h>

namespace rthv::test {
namespace {

constexpr Time kEnd = 20 * kMs;

std::unique_ptr<DomRig> one_cpu() { return std::make_unique<DomRig>(1); }

Step exit_after(Duration length, bool guest_caused = true) {
    Step s;
    s.length = length;
    s.guest_caused = guest_caused;
    return s;
}

TEST(DomRunLoop, EveryNanosecondIsGuestIdleOrOverhead) {
    auto r = one_cpu();
    r->add_domain(1, 10'000, 4'000); // 4 ms of 10: idle the rest of each period
    for (int i = 0; i < 300; ++i) r->v(0).steps.push_back(exit_after(30 * kUs, i % 2 == 0));
    r->start(kEnd);
    ASSERT_TRUE(dom::run_cpu(r->sys, 0));
    const dom::CpuLedger& l = r->run(0).ledger;
    EXPECT_EQ(l.guest_ns() + l.idle_ns() + l.overhead_ns(), l.elapsed());
    // The ledger covers the whole run: from the start to the last stamp, at the end.
    EXPECT_EQ(l.started(), 0u);
    EXPECT_GE(l.mark(), kEnd);
    EXPECT_LE(l.mark(), r->now());
    // The loop's phases are all of its overhead except the stints' way in and out, which
    // the backend phase holds: they sum to the ledger's overhead.
    Duration phases = 0;
    for (Duration d : r->run(0).phase_ns) phases += d;
    EXPECT_EQ(phases, l.overhead_ns());
    Duration stints = 0;
    for (Duration d : r->v(0).stints) stints += d;
    EXPECT_EQ(l.guest_ns(), stints);
    EXPECT_EQ(r->v(0).guest_ns_on[0], stints);
    EXPECT_GT(l.idle_ns(), 10 * kMs); // it used 4 ms of each 10 ms period, no extratime
    EXPECT_GT(l.overhead_ns(), 0u);
    // The scheduler saw exactly the stolen time the loop reported.
    EXPECT_EQ(r->sched.stats(r->v(0).sched).stolen_ns, r->run(0).stolen);
    EXPECT_EQ(r->run(0).unreported, 0u);
}

// From an exit the guest caused to its next entry, the hypervisor works for that guest: the
// whole path is charged to its budget, nothing is stolen (dom::OverheadSplit).
TEST(DomRunLoop, OverheadOfTheGuestsOwnExitsIsChargedNotStolen) {
    auto r = one_cpu();
    r->add_domain(1, 100'000, 100'000); // a whole CPU: no replenishment in the run
    for (int i = 0; i < 500; ++i) r->v(0).steps.push_back(exit_after(10 * kUs, true));
    r->start(kEnd);
    ASSERT_TRUE(dom::run_cpu(r->sys, 0));
    const VcpuStats st = r->sched.stats(r->v(0).sched);
    const dom::CpuLedger& l = r->run(0).ledger;
    // Only the first decision (the pass that scheduled it, before its first entry) is stolen.
    EXPECT_LT(st.stolen_ns, 2 * kUs);
    EXPECT_GT(l.overhead_ns(), 500 * (kEntryCost + kExitCost));
    // Its budget paid for its guest time and the overhead of its own exits.
    EXPECT_GE(st.run_ns + st.stolen_ns + 2 * kUs, l.guest_ns() + l.overhead_ns());
}

// After an exit for the host (an interrupt), the way back in is not the guest's: stolen.
TEST(DomRunLoop, OverheadAfterHostExitsIsStolen) {
    auto r = one_cpu();
    r->add_domain(1, 100'000, 100'000);
    for (int i = 0; i < 500; ++i) r->v(0).steps.push_back(exit_after(10 * kUs, false));
    r->start(kEnd);
    ASSERT_TRUE(dom::run_cpu(r->sys, 0));
    const VcpuStats st = r->sched.stats(r->v(0).sched);
    const dom::CpuLedger& l = r->run(0).ledger;
    // Every exit's path (exit handling, the pass, the next entry) is stolen: all overhead
    // while it was current, i.e. everything but the first decision before it was.
    EXPECT_GE(st.stolen_ns + 2 * kUs, l.overhead_ns());
    EXPECT_GE(st.stolen_ns, 500 * (kEntryCost + kExitCost));
}

// A pass that takes an interrupt works for others: its overhead is stolen even after the
// guest's own exit, and so is the rest of the way in.
TEST(DomRunLoop, APassThatServesTheControlChannelIsStolen) {
    auto charged = one_cpu(), served = one_cpu();
    for (auto* r : {charged.get(), served.get()}) {
        r->add_domain(1, 100'000, 100'000);
        for (int i = 0; i < 200; ++i) r->v(0).steps.push_back(exit_after(10 * kUs, true));
        r->sys.control_cpu = 0;
        r->start(kEnd);
    }
    served->machine.serve_next = true;
    ASSERT_TRUE(dom::run_cpu(charged->sys, 0));
    ASSERT_TRUE(dom::run_cpu(served->sys, 0));
    EXPECT_GT(charged->machine.control_polls[0], 200);
    EXPECT_LT(charged->sched.stats(charged->v(0).sched).stolen_ns, 2 * kUs);
    // Stolen from the window on: the window and the way in (the exit's handling before the
    // pass stays the guest's).
    EXPECT_GE(served->sched.stats(served->v(0).sched).stolen_ns, 200 * (kWindowCost + kEntryCost));
}

// Each entry is bounded by the CPU's next timer deadline: a guest that never exits by itself
// leaves at its budget's end, and the deadline's expiry runs at once (no window needed).
TEST(DomRunLoop, EntriesEndAtTheNextDeadline) {
    auto r = one_cpu();
    r->add_domain(1, 1'000, 300);  // 300 us of every ms, a guest that never exits
    r->start(10 * kMs - 10 * kUs); // periods start at 0, 1, ..., 9 ms
    ASSERT_TRUE(dom::run_cpu(r->sys, 0));
    const VcpuStats st = r->sched.stats(r->v(0).sched);
    EXPECT_EQ(st.periods, 10u);
    // Every stint ends at the budget's end (the way in after each replenishment is stolen, so
    // the budget's end moves past it and a short stint follows).
    for (Duration d : r->v(0).stints) EXPECT_LE(d, 300 * kUs + kTransition);
    EXPECT_NEAR(static_cast<double>(r->run(0).ledger.guest_ns()), 10 * 300.0 * kUs, 10 * 2.0 * kUs);
    EXPECT_EQ(st.misses, 0u);
}

// A stint ended by its deadline expires the due timers at once: the timer interrupt for the
// same deadline may come later (under Bochs it does at times), and until it does every entry
// would be bounded by a deadline already passed and exit before the guest's first instruction.
TEST(DomRunLoop, ADeadlineExitExpiresTheDueTimersItself) {
    auto r = one_cpu();
    r->add_domain(1, 1'000, 300);
    r->machine.timer_delay = 50 * kUs;
    r->start(10 * kMs - 100 * kUs); // its interrupt, too, comes 50 us late: before 10 ms
    ASSERT_TRUE(dom::run_cpu(r->sys, 0));
    EXPECT_EQ(r->sched.stats(r->v(0).sched).periods, 10u);
    // The budget's end and the short stint for the way in after a replenishment (see
    // EntriesEndAtTheNextDeadline): a few stints a period, not one per pass for 50 us.
    EXPECT_LE(r->v(0).stints.size(), 3u * 10u);
    EXPECT_NEAR(static_cast<double>(r->run(0).ledger.guest_ns()), 10 * 300.0 * kUs, 10 * 2.0 * kUs);
}

// A CPU that cannot run guests says why and runs no pass.
TEST(DomRunLoop, ACpuThatCannotEnableGuestsReportsWhy) {
    auto r = one_cpu();
    r->add_domain(1, 1'000, 300);
    r->guests.refuse_cpu = 0;
    r->start(kEnd);
    EXPECT_FALSE(dom::run_cpu(r->sys, 0));
    EXPECT_STREQ(r->run(0).error, "refused by the test");
    EXPECT_FALSE(r->run(0).started);
    EXPECT_EQ(r->run(0).loop_passes, 0u);
}

} // namespace
} // namespace rthv::test
