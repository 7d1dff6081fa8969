// Timer core: deadline order with FIFO ties, reprogramming only on head change, cancel,
// re-add from a callback, past deadlines, moves between CPUs.
#include "hv/timer/timer_core.hpp"

#include <gtest/gtest.h>
#include <string>
#include <utility>
#include <vector>

namespace rthv {
namespace {

class RecordingPlatform final : public Platform {
public:
    Time now() const override { return time; }
    void arm(CpuId cpu, Time deadline) override { arms.emplace_back(cpu, deadline); }
    void kick(CpuId) override {}
    Time time = 0;
    std::vector<std::pair<CpuId, Time>> arms;
};

struct Fixture : ::testing::Test {
    Fixture() { timers.init(platform, 4); }
    RecordingPlatform platform;
    TimerCore timers;
    std::string fired;
};

// A timer that appends its name to a log when it fires.
struct Named {
    Named(std::string* out, char letter) : log(out), name(letter), timer(&Named::fire, this) {}
    static void fire(void* self, Time) {
        auto* n = static_cast<Named*>(self);
        *n->log += n->name;
    }
    std::string* log;
    char name;
    Timer timer;
};

using TimerCoreTest = Fixture;

TEST_F(TimerCoreTest, FiresInDeadlineOrderWithFifoTies) {
    Named a(&fired, 'a'), b(&fired, 'b'), c(&fired, 'c'), d(&fired, 'd');
    timers.add(0, c.timer, 300);
    timers.add(0, a.timer, 100);
    timers.add(0, b.timer, 300);
    timers.add(0, d.timer, 500);
    timers.expire(0, 300);
    EXPECT_EQ(fired, "acb");
    EXPECT_EQ(timers.pending(0), 1u);
    EXPECT_EQ(timers.next_deadline(0), 500u);
    EXPECT_FALSE(a.timer.queued());
    EXPECT_TRUE(d.timer.queued());
}

TEST_F(TimerCoreTest, ReprogramsOnlyWhenTheHeadChanges) {
    Named a(&fired, 'a'), b(&fired, 'b'), c(&fired, 'c');
    timers.add(1, a.timer, 500);
    EXPECT_EQ(platform.arms, (std::vector<std::pair<CpuId, Time>>{{1, 500}}));
    timers.add(1, b.timer, 900); // behind the head: no device write
    EXPECT_EQ(platform.arms.size(), 1u);
    timers.add(1, c.timer, 200); // new head
    EXPECT_EQ(platform.arms.back(), (std::pair<CpuId, Time>{1, 200}));
    EXPECT_EQ(platform.arms.size(), 2u);
    EXPECT_TRUE(timers.cancel(b.timer)); // not the head: no device write
    EXPECT_EQ(platform.arms.size(), 2u);
    EXPECT_TRUE(timers.cancel(c.timer)); // the head: back to 500
    EXPECT_EQ(platform.arms.back(), (std::pair<CpuId, Time>{1, 500}));
    EXPECT_TRUE(timers.cancel(a.timer)); // empty: disarm
    EXPECT_EQ(platform.arms.back(), (std::pair<CpuId, Time>{1, kTimeNever}));
    EXPECT_EQ(timers.programmed(1), kTimeNever);
}

TEST_F(TimerCoreTest, CancelledTimersDoNotFire) {
    Named a(&fired, 'a'), b(&fired, 'b');
    timers.add(0, a.timer, 100);
    timers.add(0, b.timer, 200);
    EXPECT_TRUE(timers.cancel(a.timer));
    EXPECT_FALSE(timers.cancel(a.timer)); // not queued any more
    timers.expire(0, 1000);
    EXPECT_EQ(fired, "b");
    EXPECT_FALSE(timers.cancel(b.timer)); // already fired
}

TEST_F(TimerCoreTest, PastDeadlinesFireAtTheNextExpiry) {
    Named a(&fired, 'a');
    platform.time = 1000;
    timers.add(2, a.timer, 10); // already in the past
    EXPECT_EQ(platform.arms.back(), (std::pair<CpuId, Time>{2, 10}));
    timers.expire(2, 1000);
    EXPECT_EQ(fired, "a");
}

TEST_F(TimerCoreTest, ExpireBeforeTheDeadlineFiresNothing) {
    Named a(&fired, 'a');
    timers.add(0, a.timer, 100);
    timers.expire(0, 99);
    EXPECT_EQ(fired, "");
    EXPECT_TRUE(a.timer.queued());
}

// Re-adds itself `period` later until it has fired `limit` times.
struct Periodic {
    static void fire(void* self, Time now) {
        auto* p = static_cast<Periodic*>(self);
        p->times.push_back(now);
        if (p->times.size() < p->limit) p->core->add(p->cpu, p->timer, p->next += p->period);
    }
    TimerCore* core;
    CpuId cpu;
    Time next;
    Time period;
    size_t limit;
    std::vector<Time> times;
    Timer timer{&Periodic::fire, this};
};

TEST_F(TimerCoreTest, CallbacksMayReAddTheirTimer) {
    Periodic p{&timers, 3, 100, 100, 10, {}};
    timers.add(3, p.timer, p.next);
    timers.expire(3, 150);
    EXPECT_EQ(p.times, (std::vector<Time>{150}));
    EXPECT_EQ(platform.arms.back(), (std::pair<CpuId, Time>{3, 200}));
    // A late expiry runs the re-added timer again in the same call while it is still due.
    timers.expire(3, 420);
    EXPECT_EQ(p.times, (std::vector<Time>{150, 420, 420, 420}));
    EXPECT_EQ(timers.next_deadline(3), 500u);
}

TEST_F(TimerCoreTest, AddingAQueuedTimerMovesIt) {
    Named a(&fired, 'a');
    timers.add(0, a.timer, 100);
    timers.add(1, a.timer, 300);
    EXPECT_EQ(timers.pending(0), 0u);
    EXPECT_EQ(timers.pending(1), 1u);
    EXPECT_EQ(a.timer.queued_on(), 1u);
    EXPECT_EQ(timers.programmed(0), kTimeNever);
    timers.expire(0, 1000);
    EXPECT_EQ(fired, "");
    timers.expire(1, 1000);
    EXPECT_EQ(fired, "a");
}

TEST_F(TimerCoreTest, ExpiryDoesNotRewriteAnUnchangedFutureHead) {
    Named a(&fired, 'a'), b(&fired, 'b');
    timers.add(0, a.timer, 100);
    timers.add(0, b.timer, 200);
    size_t arms = platform.arms.size();
    timers.expire(0, 100);
    EXPECT_EQ(platform.arms.size(), arms + 1); // new head 200 programmed once
    timers.expire(0, 150);                     // spurious: nothing due, head unchanged
    EXPECT_EQ(platform.arms.size(), arms + 1);
}

// add_pair is two adds in one lock hold: the same queue order (FIFO ties by add order) and
// the same arm() calls, including the interim one when a moved timer was the head, and when a
// timer has to leave another CPU's queue first.
TEST_F(TimerCoreTest, AddPairIsTwoAddsWithTheSameArms) {
    RecordingPlatform p2;
    TimerCore t2;
    t2.init(p2, 4);
    std::string fired2;
    Named a(&fired, 'a'), b(&fired, 'b'), c(&fired, 'c'), x(&fired, 'x');
    Named a2(&fired2, 'a'), b2(&fired2, 'b'), c2(&fired2, 'c'), x2(&fired2, 'x');
    // b is the head and moves; a is not queued; x sits on another CPU.
    timers.add(0, b.timer, 50);
    timers.add(0, c.timer, 300);
    timers.add(2, x.timer, 70);
    t2.add(0, b2.timer, 50);
    t2.add(0, c2.timer, 300);
    t2.add(2, x2.timer, 70);
    timers.add_pair(0, a.timer, 300, b.timer, 300);
    t2.add(0, a2.timer, 300);
    t2.add(0, b2.timer, 300);
    timers.add_pair(0, x.timer, 200, c.timer, 100);
    t2.add(0, x2.timer, 200);
    t2.add(0, c2.timer, 100);
    EXPECT_EQ(platform.arms, p2.arms);
    EXPECT_EQ(timers.pending(2), 0u);
    timers.expire(0, 1000);
    t2.expire(0, 1000);
    EXPECT_EQ(fired, "cxab");
    EXPECT_EQ(fired, fired2);
    EXPECT_EQ(platform.arms, p2.arms);
}

TEST_F(TimerCoreTest, CancelSyncOfAnIdleTimerReturnsAtOnce) {
    Named a(&fired, 'a');
    timers.add(0, a.timer, 100);
    EXPECT_TRUE(timers.cancel_sync(a.timer));
    EXPECT_FALSE(a.timer.running());
    EXPECT_FALSE(timers.cancel_sync(a.timer));
}

} // namespace
} // namespace rthv
