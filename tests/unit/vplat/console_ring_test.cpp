// ConsoleRing: ordered reads, independent cursors, wraparound with loss counting, late-attach
// cursors, and a real writer thread racing a reader (the lock-free protocol's claim check).
#include "hv/vplat/console_ring.hpp"

#include <gtest/gtest.h>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace rthv::vplat {
namespace {

constexpr uint64_t kCap = ConsoleRing::kCapacity;

// A byte that differs between positions q and q + kCap (the same slot one lap later), so that
// reading an overwritten slot is visible.
uint8_t pattern(uint64_t pos) { return static_cast<uint8_t>(pos * 3u + (pos / kCap)); }

void write_n(ConsoleRing& r, uint64_t from, uint64_t n) {
    for (uint64_t p = from; p < from + n; ++p) r.put(pattern(p));
}

TEST(ConsoleRing, ReadsWhatWasWrittenInOrder) {
    auto r = std::make_unique<ConsoleRing>();
    const char* msg = "Linux version 6.1";
    for (const char* p = msg; *p; ++p) r->put(static_cast<uint8_t>(*p));
    ConsoleRing::Cursor c;
    uint8_t buf[64] = {};
    uint64_t lost = 99;
    size_t n = r->read(c, buf, sizeof buf, lost);
    ASSERT_EQ(n, 17u);
    EXPECT_EQ(lost, 0u);
    EXPECT_EQ(std::string(reinterpret_cast<char*>(buf), n), msg);
    EXPECT_EQ(c.pos, 17u);
    EXPECT_EQ(r->total_written(), 17u);
    EXPECT_EQ(r->read(c, buf, sizeof buf, lost), 0u); // caught up
    EXPECT_EQ(lost, 0u);
}

TEST(ConsoleRing, CapLimitsEachRead) {
    auto r = std::make_unique<ConsoleRing>();
    write_n(*r, 0, 10);
    ConsoleRing::Cursor c;
    uint8_t buf[4];
    uint64_t lost = 0;
    for (uint64_t base = 0; base < 8; base += 4) {
        ASSERT_EQ(r->read(c, buf, 4, lost), 4u);
        for (uint64_t i = 0; i < 4; ++i) EXPECT_EQ(buf[i], pattern(base + i));
    }
    EXPECT_EQ(r->read(c, buf, 4, lost), 2u);
    EXPECT_EQ(buf[1], pattern(9));
}

TEST(ConsoleRing, TwoCursorsWrapAroundAndCountTheirOwnLoss) {
    auto r = std::make_unique<ConsoleRing>();
    ConsoleRing::Cursor log, console;
    std::vector<uint8_t> buf(kCap);
    uint64_t lost = 0;
    write_n(*r, 0, 60);
    ASSERT_EQ(r->read(console, buf.data(), 50, lost), 50u); // console keeps up a little
    write_n(*r, 60, kCap + 40);                             // total kCap + 100 bytes
    ASSERT_EQ(r->total_written(), kCap + 100);

    // The log never read: the first 100 bytes are gone, the rest is intact and in order.
    size_t n = r->read(log, buf.data(), buf.size(), lost);
    EXPECT_EQ(lost, 100u);
    ASSERT_EQ(n, kCap);
    for (uint64_t i = 0; i < n; ++i) ASSERT_EQ(buf[i], pattern(100 + i)) << i;
    EXPECT_EQ(log.pos, kCap + 100);

    // The console had read 50: it lost 50, not 100, and resumes at the same oldest byte.
    n = r->read(console, buf.data(), 10, lost);
    EXPECT_EQ(lost, 50u);
    ASSERT_EQ(n, 10u);
    EXPECT_EQ(buf[0], pattern(100));
    n = r->read(console, buf.data(), buf.size(), lost); // then no more loss
    EXPECT_EQ(lost, 0u);
    EXPECT_EQ(n, kCap - 10);
}

TEST(ConsoleRing, LateAttachCursors) {
    auto r = std::make_unique<ConsoleRing>();
    EXPECT_EQ(r->oldest().pos, 0u);
    write_n(*r, 0, 3 * kCap + 5);
    ConsoleRing::Cursor c = r->oldest();
    EXPECT_EQ(c.pos, 2 * kCap + 5);
    uint8_t b = 0;
    uint64_t lost = 1;
    ASSERT_EQ(r->read(c, &b, 1, lost), 1u);
    EXPECT_EQ(lost, 0u);
    EXPECT_EQ(b, pattern(2 * kCap + 5));
    ConsoleRing::Cursor live = r->now();
    EXPECT_EQ(r->read(live, &b, 1, lost), 0u);
    r->put(0x42);
    ASSERT_EQ(r->read(live, &b, 1, lost), 1u);
    EXPECT_EQ(b, 0x42);
}

TEST(ConsoleRing, CursorAheadOfTheStreamResyncsWithoutLoss) {
    auto r = std::make_unique<ConsoleRing>();
    write_n(*r, 0, 5);
    ConsoleRing::Cursor c{1000};
    uint8_t b = 0;
    uint64_t lost = 7;
    EXPECT_EQ(r->read(c, &b, 1, lost), 0u);
    EXPECT_EQ(lost, 0u);
    EXPECT_EQ(c.pos, 5u);
}

// A writer thread laps readers: every byte a read returns must be the one written at its
// position (never one of a later lap), and returned + lost must account for every position.
// Reader 1 reads in small bites; reader 2 always starts at the oldest byte held and copies a
// whole ring's worth, so the writer overwrites the front of its copy while it is being made:
// without the claim check those bytes would be handed out.
TEST(ConsoleRing, ConcurrentWriterNeverHandsOutOverwrittenBytes) {
    auto r = std::make_unique<ConsoleRing>();
    constexpr uint64_t kTotal = 1u << 23; // 512 laps; the readers run until the writer is done
    std::thread writer([&] { write_n(*r, 0, kTotal); });
    std::vector<uint8_t> buf(kCap);
    uint64_t bad = 0, torn = 0;
    ConsoleRing::Cursor c;
    uint64_t returned = 0, lost_total = 0;
    while (r->total_written() < kTotal) {
        uint64_t lost = 0;
        const uint64_t before = c.pos;
        size_t n = r->read(c, buf.data(), 700, lost);
        ASSERT_EQ(c.pos - before, n + lost);
        for (size_t k = 0; k < n; ++k) bad += buf[k] != pattern(c.pos - n + k);
        returned += n;
        lost_total += lost;

        ConsoleRing::Cursor lagging = r->oldest();
        const uint64_t from = lagging.pos;
        n = r->read(lagging, buf.data(), buf.size(), lost);
        torn += lagging.pos - n > from;
        for (size_t k = 0; k < n; ++k) bad += buf[k] != pattern(lagging.pos - n + k);
    }
    writer.join();
    EXPECT_EQ(bad, 0u);
    EXPECT_EQ(returned + lost_total, c.pos);
    RecordProperty("torn_copies_detected", static_cast<int>(torn));
}

} // namespace
} // namespace rthv::vplat
