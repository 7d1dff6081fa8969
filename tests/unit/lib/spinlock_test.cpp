// Ticket spinlock under real threads (run with ThreadSanitizer): mutual exclusion of a plain
// counter, try_lock semantics, and LockGuard release.
#include "hv/lib/spinlock.hpp"

#include <gtest/gtest.h>
#include <thread>
#include <vector>

namespace rthv {
namespace {

TEST(Spinlock, TryLockFailsWhileHeld) {
    Spinlock lock;
    EXPECT_FALSE(lock.is_locked());
    ASSERT_TRUE(lock.try_lock());
    EXPECT_TRUE(lock.is_locked());
    EXPECT_FALSE(lock.try_lock());
    lock.unlock();
    EXPECT_FALSE(lock.is_locked());
    {
        LockGuard guard(lock);
        EXPECT_TRUE(lock.is_locked());
    }
    EXPECT_FALSE(lock.is_locked());
}

TEST(Spinlock, CountsAcquisitions) {
    Spinlock lock;
    EXPECT_EQ(lock.acquisitions(), 0u);
    for (int i = 0; i < 3; ++i) {
        LockGuard guard(lock);
        EXPECT_EQ(lock.acquisitions(), static_cast<uint32_t>(i)); // counted at release
    }
    ASSERT_TRUE(lock.try_lock());
    EXPECT_FALSE(lock.try_lock()); // a refused try_lock is no acquisition
    lock.unlock();
    EXPECT_EQ(lock.acquisitions(), 4u);
}

TEST(Spinlock, ProtectsAPlainCounterAcrossThreads) {
    Spinlock lock;
    long counter = 0; // deliberately not atomic: TSan reports a race if exclusion fails
    constexpr int kThreads = 4, kRounds = 20000;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < kRounds; ++i) {
                if (i % 2 == 0) {
                    LockGuard guard(lock);
                    ++counter;
                } else {
                    while (!lock.try_lock()) cpu_relax();
                    ++counter;
                    lock.unlock();
                }
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(counter, long{kThreads} * kRounds);
}

} // namespace
} // namespace rthv
