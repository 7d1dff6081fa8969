// The debug dump (Xen key 'r') and the CPU heap's own invariants.
#include "fake_platform.hpp"

#include <gtest/gtest.h>

namespace rthv::test {
namespace {

TEST(Dump, ShowsPoolsCpusAndQueuesInPriorityOrder) {
    Rig rig(1);
    Vcpu run(1, 0), second(2, 0), third(3, 0), gone(4, 0);
    ASSERT_TRUE(rig.insert(run, params(5000, 4000)).ok());
    ASSERT_TRUE(rig.insert(third, params(30000, 1000)).ok());
    ASSERT_TRUE(rig.insert(second, params(20000, 1000)).ok());
    ASSERT_TRUE(rig.insert(gone, params(1000, 10, false)).ok());
    rig.advance_to(500 * kUs);
    std::string text = rig.dump();
    EXPECT_NE(text.find("Pool 0 Pool-0: cpus 0 utilisation"), std::string::npos) << text;
    EXPECT_NE(text.find("CPU 0: running d1v0"), std::string::npos) << text;
    size_t runq = text.find("runq class 0 cpus 0 (2 queued");
    ASSERT_NE(runq, std::string::npos) << text;
    size_t depleted = text.find("depletedq (1)");
    ASSERT_NE(depleted, std::string::npos) << text;
    size_t p2 = text.find("d2v0", runq), p3 = text.find("d3v0", runq);
    EXPECT_LT(p2, p3);
    EXPECT_LT(p3, depleted);
    EXPECT_NE(text.find("d4v0 [depleted]", depleted), std::string::npos) << text;
    // Dumping pops and re-pushes the runq: the schedule must not change.
    EXPECT_EQ(rig.verify(), nullptr);
    rig.sched->block(run);
    rig.settle();
    EXPECT_EQ(rig.cur(0), &second);
}

TEST(Dump, CpuHeapKeepsTheLeastUrgentCpuOnTop) {
    Vcpu v[6] = {{1, 0}, {1, 1}, {1, 2}, {1, 3}, {1, 4}, {1, 5}};
    Rig rig(1); // only to give v[i] the deadline (i + 1) ms
    for (uint64_t i = 0; i < 6; ++i) ASSERT_TRUE(rig.insert(v[i], params((i + 1) * 1000, 10)).ok());
    Vcpu* current[kMaxCpus] = {};
    auto heap = std::make_unique<CpuHeap>();
    heap->init(current);
    const uint64_t order[6] = {3, 1, 5, 0, 4, 2};
    for (CpuId c = 0; c < 6; ++c) {
        current[c] = &v[order[c]];
        heap->insert(c);
    }
    EXPECT_TRUE(heap->consistent());
    EXPECT_EQ(heap->top(), 2u); // runs v[5]
    heap->erase(2);
    EXPECT_EQ(heap->top(), 4u); // runs v[4]
    current[4] = &v[0];
    heap->update(4);
    EXPECT_EQ(heap->top(), 0u); // runs v[3]
    EXPECT_TRUE(heap->consistent());
}

// verify() checks each class heap over its members and the pool's CPUs only; that check must
// still catch a heap out of order and a member outside the CPUs it is given.
TEST(Dump, CpuHeapSelfCheckCatchesADistortedHeap) {
    Vcpu v[4] = {{1, 0}, {1, 1}, {1, 2}, {1, 3}};
    Rig rig(1); // only to give v[i] the deadline (i + 1) ms
    for (uint64_t i = 0; i < 4; ++i) ASSERT_TRUE(rig.insert(v[i], params((i + 1) * 1000, 10)).ok());
    Vcpu* current[kMaxCpus] = {};
    auto heap = std::make_unique<CpuHeap>();
    heap->init(current);
    for (CpuId c = 0; c < 4; ++c) {
        current[c + 8] = &v[c];
        heap->insert(c + 8);
    }
    CpuSet pool_cpus = CpuSet::first_n(12);
    EXPECT_TRUE(heap->consistent(pool_cpus));
    EXPECT_TRUE(heap->consistent());
    CpuSet without_11 = pool_cpus;
    without_11.clear(11);
    EXPECT_FALSE(heap->consistent(without_11)); // CPU 11 is a member outside the given CPUs
    ASSERT_EQ(heap->top(), 11u);                // runs v[3], the least urgent
    current[11] = &v[0];                        // its key changes without update(): disorder
    EXPECT_FALSE(heap->consistent(pool_cpus));
    EXPECT_FALSE(heap->consistent());
    heap->update(11);
    EXPECT_TRUE(heap->consistent(pool_cpus));
    EXPECT_EQ(heap->top(), 10u); // runs v[2]
}

} // namespace
} // namespace rthv::test
