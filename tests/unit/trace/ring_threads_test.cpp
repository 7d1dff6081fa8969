// Real threads (run under ThreadSanitizer): one producer per ring pushes numbered records as fast
// as it can while one reader drains every ring concurrently. Checks: no data race, every ring's
// records arrive in order, and every gap is exactly announced (Lost records) or, at the very
// end, counted by dropped(): kept + dropped == pushed, with nothing unaccounted.
#include "hv/trace/ring.hpp"

#include <atomic>
#include <gtest/gtest.h>
#include <thread>
#include <vector>

namespace rthv::trace {
namespace {

constexpr CpuId kRings = 3;
constexpr uint32_t kCapacity = 256;
constexpr uint64_t kPerProducer = 200000;

struct Seen {
    uint64_t next = 0;      // the sequence number expected next
    uint64_t received = 0;  // records (not markers) received
    uint64_t announced = 0; // sum of Lost args
    bool ordered = true;
};

void consume(const TraceRecord& r, Seen& s) {
    if (r.kind == kind_code(RecordKind::Lost)) {
        s.announced += r.arg;
        s.next += r.arg; // the gap the marker announces
        return;
    }
    if (r.arg != s.next) s.ordered = false;
    s.next = r.arg + 1;
    ++s.received;
}

TEST(TraceRingThreads, ConcurrentProducersAndReaderAccountForEveryRecord) {
    static TraceRecord storage[kRings][kCapacity];
    TraceRing rings[kRings];
    for (CpuId c = 0; c < kRings; ++c) ASSERT_TRUE(rings[c].init(storage[c], kCapacity, c));
    std::atomic<CpuId> finished{0};
    std::vector<std::thread> producers;
    for (CpuId c = 0; c < kRings; ++c)
        producers.emplace_back([&rings, &finished, c] {
            for (uint64_t i = 0; i < kPerProducer; ++i) {
                TraceRecord r{};
                r.time_ns = i;
                r.arg = i;
                r.cpu = static_cast<uint16_t>(c);
                r.kind = kind_code(TraceKind::Burn);
                rings[c].push(r);
                if (i % 1024 == 0) std::this_thread::yield(); // let the reader catch up at times
            }
            finished.fetch_add(1, std::memory_order_release);
        });
    Seen seen[kRings];
    TraceRecord buf[64];
    for (bool last_pass = false;;) {
        bool done = finished.load(std::memory_order_acquire) == kRings;
        for (CpuId c = 0; c < kRings; ++c)
            for (uint32_t n; (n = rings[c].drain(buf, 64)) != 0;)
                for (uint32_t k = 0; k < n; ++k) consume(buf[k], seen[c]);
        if (last_pass) break;
        last_pass = done; // one more full pass after every producer finished
    }
    for (std::thread& t : producers) t.join();
    for (CpuId c = 0; c < kRings; ++c) {
        SCOPED_TRACE(c);
        EXPECT_TRUE(seen[c].ordered);
        EXPECT_EQ(seen[c].received, rings[c].kept());
        EXPECT_EQ(rings[c].kept() + rings[c].dropped(), kPerProducer);
        // Drops after the last kept record have no marker yet: they are the tail of the run.
        uint64_t tail = kPerProducer - seen[c].next;
        EXPECT_EQ(seen[c].announced + tail, rings[c].dropped());
    }
}

} // namespace
} // namespace rthv::trace
