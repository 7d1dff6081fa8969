// TraceRing: exact drop counting, per-ring order, wrap-around, and the Lost marker after a gap.
#include "hv/trace/ring.hpp"
#include "hv/trace/ring_size.hpp"

#include <gtest/gtest.h>
#include <vector>

namespace rthv::trace {
namespace {

TraceRecord rec(uint64_t t) {
    TraceRecord r{};
    r.time_ns = t;
    r.arg = t * 10;
    r.cpu = 1;
    r.kind = kind_code(TraceKind::Pick);
    return r;
}

std::vector<TraceRecord> drain_all(TraceRing& ring) {
    std::vector<TraceRecord> out;
    TraceRecord buf[3]; // smaller than the ring: drain in several calls
    for (uint32_t n; (n = ring.drain(buf, 3)) != 0;) out.insert(out.end(), buf, buf + n);
    return out;
}

TEST(TraceRing, InitRejectsBadCapacity) {
    TraceRecord storage[8];
    TraceRing ring;
    EXPECT_FALSE(ring.init(storage, 6, 0));
    EXPECT_FALSE(ring.init(storage, 1, 0));
    EXPECT_FALSE(ring.init(nullptr, 8, 0));
    EXPECT_FALSE(ring.push(rec(1))) << "an uninitialised ring must refuse, not write";
    EXPECT_TRUE(ring.init(storage, 8, 0));
    EXPECT_EQ(ring.capacity(), 8u);
}

TEST(TraceRing, OverflowDropsNewestAndCountsExactly) {
    TraceRecord storage[8];
    TraceRing ring;
    ASSERT_TRUE(ring.init(storage, 8, 5));
    int accepted = 0;
    for (uint64_t t = 0; t < 20; ++t) accepted += ring.push(rec(t));
    EXPECT_EQ(accepted, 8);
    EXPECT_EQ(ring.kept(), 8u);
    EXPECT_EQ(ring.dropped(), 12u);
    std::vector<TraceRecord> got = drain_all(ring);
    ASSERT_EQ(got.size(), 8u);
    for (uint64_t i = 0; i < 8; ++i) EXPECT_EQ(got[i].time_ns, i) << "oldest kept, in order";

    // The next record that fits is announced by a Lost record carrying the gap's size.
    ASSERT_TRUE(ring.push(rec(20)));
    got = drain_all(ring);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].kind, kind_code(RecordKind::Lost));
    EXPECT_EQ(got[0].arg, 12u);
    EXPECT_EQ(got[0].cpu, 5u) << "the ring's owner";
    EXPECT_EQ(got[0].time_ns, 20u);
    EXPECT_EQ(got[1].time_ns, 20u);
    EXPECT_EQ(ring.dropped(), 12u) << "the marker is not a drop";
    EXPECT_EQ(ring.kept(), 9u);
}

TEST(TraceRing, GapMarkerNeedsRoomForTwo) {
    TraceRecord storage[4];
    TraceRing ring;
    ASSERT_TRUE(ring.init(storage, 4, 0));
    for (uint64_t t = 0; t < 5; ++t) ring.push(rec(t)); // 4 kept, 1 dropped
    TraceRecord one;
    ASSERT_EQ(ring.drain(&one, 1), 1u);
    EXPECT_FALSE(ring.push(rec(5))) << "one free slot cannot hold marker + record";
    EXPECT_EQ(ring.dropped(), 2u);
    ASSERT_EQ(ring.drain(&one, 1), 1u);
    ASSERT_TRUE(ring.push(rec(6)));
    std::vector<TraceRecord> got = drain_all(ring);
    ASSERT_EQ(got.size(), 4u);
    EXPECT_EQ(got[0].time_ns, 2u);
    EXPECT_EQ(got[1].time_ns, 3u);
    EXPECT_EQ(got[2].kind, kind_code(RecordKind::Lost));
    EXPECT_EQ(got[2].arg, 2u) << "both drops, records 4 and 5";
    EXPECT_EQ(got[3].time_ns, 6u);
}

TEST(TraceRing, WrapsManyTimesWithoutLossWhenDrained) {
    TraceRecord storage[4];
    TraceRing ring;
    ASSERT_TRUE(ring.init(storage, 4, 0));
    uint64_t next_in = 0, next_out = 0;
    TraceRecord buf[2];
    for (int round = 0; round < 1000; ++round) { // 1..4 records a round: never full
        for (int i = 0; i <= round % 4; ++i) ASSERT_TRUE(ring.push(rec(next_in++)));
        for (uint32_t n; (n = ring.drain(buf, 2)) != 0;)
            for (uint32_t k = 0; k < n; ++k) ASSERT_EQ(buf[k].time_ns, next_out++);
    }
    EXPECT_EQ(next_out, next_in);
    EXPECT_GT(next_in, 4u * 500) << "the indices went round the ring many times";
    EXPECT_EQ(ring.dropped(), 0u);
    EXPECT_EQ(ring.kept(), next_in);
}

TEST(TraceRing, DrainRespectsMaxAndEmptyRing) {
    TraceRecord storage[8];
    TraceRing ring;
    ASSERT_TRUE(ring.init(storage, 8, 0));
    TraceRecord buf[8];
    EXPECT_EQ(ring.drain(buf, 8), 0u);
    for (uint64_t t = 0; t < 5; ++t) ring.push(rec(t));
    EXPECT_EQ(ring.drain(buf, 2), 2u);
    EXPECT_EQ(buf[1].time_ns, 1u);
    EXPECT_EQ(ring.drain(buf, 8), 3u);
    EXPECT_EQ(buf[0].time_ns, 2u);
    EXPECT_EQ(buf[2].arg, 40u);
}

TEST(TraceRing, PeekKeepsRecordsUntilReleased) {
    TraceRecord storage[8];
    TraceRing ring;
    ASSERT_TRUE(ring.init(storage, 8, 0));
    for (uint64_t t = 0; t < 6; ++t) ASSERT_TRUE(ring.push(rec(t)));
    TraceRecord buf[8];
    ASSERT_EQ(ring.peek(0, buf, 4), 4u);
    ASSERT_EQ(ring.peek(0, buf, 4), 4u) << "a peek frees nothing: the same records again";
    EXPECT_EQ(buf[3].time_ns, 3u);
    ASSERT_EQ(ring.peek(2, buf, 8), 4u);
    EXPECT_EQ(buf[0].time_ns, 2u);
    EXPECT_EQ(ring.peek(7, buf, 8), 0u) << "beyond write_pos";
    EXPECT_FALSE(ring.release_to(7));
    EXPECT_TRUE(ring.release_to(4));
    EXPECT_EQ(ring.read_pos(), 4u);
    EXPECT_FALSE(ring.release_to(3)) << "cannot go back";
    EXPECT_EQ(ring.peek(3, buf, 8), 0u) << "freed records are gone";
    // Freed slots are reusable: 6 more fit (2 still held), the seventh is dropped.
    for (uint64_t t = 6; t < 13; ++t) ring.push(rec(t));
    EXPECT_EQ(ring.write_pos(), 12u);
    EXPECT_EQ(ring.dropped(), 1u);
    ASSERT_EQ(ring.peek(ring.read_pos(), buf, 8), 8u);
    EXPECT_EQ(buf[0].time_ns, 4u);
    EXPECT_EQ(buf[7].time_ns, 11u);
}

TEST(TraceRingSize, DefaultsAndRequestsWithinTheShare) {
    EXPECT_EQ(ring_size(65536, 16384, 4, 0).records, 16384u);
    EXPECT_EQ(ring_size(65536, 16384, 8, 0).records, 8192u);
    EXPECT_EQ(ring_size(65536, 16384, 6, 0).records, 8192u) << "largest power of two in 10922";
    EXPECT_EQ(ring_size(65536, 16384, 2, 64).records, 64u);
    EXPECT_EQ(ring_size(65536, 16384, 2, 16).records, 16u);
    EXPECT_EQ(ring_size(65536, 16384, 2, 100).records, 0u) << "not a power of two";
    EXPECT_EQ(ring_size(65536, 16384, 2, 8).records, 0u) << "below the minimum";
    EXPECT_EQ(ring_size(65536, 16384, 8, 16384).records, 0u) << "more than the share";
    EXPECT_EQ(ring_size(65536, 16384, 8, 16384).largest, 8192u);
    EXPECT_EQ(ring_size(65536, 16384, 2, uint64_t{1} << 40).records, 0u);
}

} // namespace
} // namespace rthv::trace
