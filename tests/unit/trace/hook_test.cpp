// SchedTraceHook on the real Scheduler: what lands in which ring, with which fields, and that the
// Pick records reproduce the scheduler's own dispatch counts.
#include "tests/unit/trace/sched_rig.hpp"

#include <gtest/gtest.h>
#include <map>

namespace rthv::trace::test {
namespace {

std::vector<TraceRecord> drain(TraceRing& ring) {
    std::vector<TraceRecord> out(ring.capacity());
    out.resize(ring.drain(out.data(), ring.capacity()));
    return out;
}

TEST(SchedTraceHook, InsertRecordsCarryVcpuAndItsFirstDeadline) {
    SchedRig rig(2);
    rig.platform.time = 7000;
    Vcpu& v = rig.add(1000, 300, false);
    std::vector<TraceRecord> r0 = drain(rig.rings[0]);
    ASSERT_GE(r0.size(), 3u);
    EXPECT_EQ(r0[0].kind, kind_code(TraceKind::Insert)) << "routed to its last CPU, ring 0";
    EXPECT_EQ(r0[0].cpu, kNone16);
    EXPECT_EQ(r0[0].domain, v.domain());
    EXPECT_EQ(r0[0].vcpu, v.id());
    EXPECT_EQ(r0[0].time_ns, 7000u);
    EXPECT_EQ(r0[1].kind, kind_code(RecordKind::Deadline));
    EXPECT_EQ(r0[1].arg, 7000u + 1000u * 1000u);
    bool picked = false;
    for (const TraceRecord& r : r0)
        picked |= r.kind == kind_code(TraceKind::Pick) && r.cpu == 0 && r.domain == v.domain();
    EXPECT_TRUE(picked) << "CPU 0 was idle and must have picked the new VCPU";
}

TEST(SchedTraceHook, PicksReproduceDispatchCountsPerVcpu) {
    SchedRig rig(3);
    standard_workload(rig, 200);
    ASSERT_EQ(rig.sched->verify(), nullptr);
    std::map<uint16_t, uint64_t> dispatches;
    for (CpuId c = 0; c < rig.ncpus; ++c) {
        uint16_t running = kNone16;
        for (const TraceRecord& r : drain(rig.rings[c])) {
            EXPECT_NE(r.kind, kind_code(RecordKind::Lost)) << "the rings are large enough";
            if (r.kind != kind_code(TraceKind::Pick)) continue;
            EXPECT_EQ(r.cpu, c) << "a CPU's picks are in its own ring";
            if (r.domain != running && r.domain != kNone16) ++dispatches[r.domain];
            running = r.domain;
        }
        EXPECT_EQ(rig.rings[c].dropped(), 0u);
    }
    for (const auto& v : rig.vcpus) {
        uint64_t expected = rig.sched->stats(*v).dispatches;
        EXPECT_GT(expected, 0u);
        EXPECT_EQ(dispatches[static_cast<uint16_t>(v->domain())], expected) << "vm" << v->domain();
    }
}

TEST(SchedTraceHook, DisabledHookRecordsNothing) {
    SchedRig rig(2);
    rig.hook.set_enabled(false);
    standard_workload(rig, 10);
    EXPECT_EQ(rig.rings[0].kept() + rig.rings[1].kept(), 0u);
    rig.hook.set_enabled(true);
    rig.run_workload(10);
    EXPECT_GT(rig.rings[0].kept() + rig.rings[1].kept(), 0u);
}

CpuId fixed_cpu(void* context) { return *static_cast<CpuId*>(context); }

TEST(SchedTraceHook, ThisCpuCallbackChoosesTheProducerRing) {
    SchedRig rig(2);
    CpuId producer = 1;
    rig.hook.init(rig.rings.get(), 2, fixed_cpu, &producer);
    rig.add(1000, 300, false);
    EXPECT_EQ(rig.rings[0].kept(), 0u);
    std::vector<TraceRecord> r1 = drain(rig.rings[1]);
    ASSERT_FALSE(r1.empty());
    bool pick_on_cpu0 = false;
    for (const TraceRecord& r : r1)
        pick_on_cpu0 |= r.kind == kind_code(TraceKind::Pick) && r.cpu == 0;
    EXPECT_TRUE(pick_on_cpu0) << "the record still names the CPU it is about";

    producer = 9; // a CPU without a ring: counted, never written out of bounds
    uint64_t before = rig.rings[1].kept();
    rig.add(1000, 300, false);
    EXPECT_GT(rig.hook.unroutable(), 0u);
    EXPECT_EQ(rig.rings[1].kept(), before);
}

TEST(SchedTraceHook, ReplenishmentAnnouncesTheNextDeadline) {
    SchedRig rig(1);
    Vcpu& v = rig.add(1000, 200, false);
    drain(rig.rings[0]);
    rig.advance_to(1000 * 1000);
    std::vector<TraceRecord> r = drain(rig.rings[0]);
    bool found = false;
    for (size_t i = 0; i + 1 < r.size(); ++i)
        if (r[i].kind == kind_code(TraceKind::Replenish)) {
            EXPECT_EQ(r[i + 1].kind, kind_code(RecordKind::Deadline));
            EXPECT_EQ(r[i + 1].arg, v.deadline());
            EXPECT_EQ(v.deadline(), 2000u * 1000u);
            found = true;
        }
    EXPECT_TRUE(found);
}

} // namespace
} // namespace rthv::trace::test
