// Protocol robustness: a seeded generator throws >= 1,000,000 random, structured and mutated
// frames at the hypervisor-side Endpoint as one continuous stream (as a serial line would).
// Checks: no crash or sanitizer report, bounded time, every reply a well-formed frame, every
// complete frame with our magic answered exactly once, and no invalid value ever reaching the
// dispatcher's tables.
#include "fake_hypervisor.hpp"
#include "frame_io.hpp"

#include <chrono>
#include <cstdlib>
#include <gtest/gtest.h>
#include <memory>
#include <random>

namespace rthv::test {
namespace {

using namespace rthv::ctl;

class Generator {
public:
    explicit Generator(uint64_t seed) : rng_(seed) {}
    uint32_t below(uint32_t n) { return static_cast<uint32_t>(rng_() % n); }
    uint8_t byte() { return static_cast<uint8_t>(rng_()); }

    // A plausible request payload for `type`: ids near the real ones, counts near the limits.
    std::vector<uint8_t> payload(uint8_t type) {
        std::vector<uint8_t> p(kMaxPayload);
        Writer w(p.data(), p.size());
        const uint32_t domid = below(4) == 0 ? static_cast<uint32_t>(rng_()) : below(9);
        switch (static_cast<MsgType>(type)) {
        case MsgType::Info:
            break;
        case MsgType::ListDomains:
        case MsgType::ListPools:
            w.u32(below(6));
            break;
        case MsgType::ListVcpus:
        case MsgType::RtdsGet:
        case MsgType::RtdsStats:
            w.u32(domid), w.u32(below(6));
            break;
        case MsgType::Pause:
        case MsgType::Unpause:
            w.u32(domid);
            break;
        case MsgType::Dmesg:
            w.u64(below(3) == 0 ? rng_() : below(200));
            break;
        case MsgType::Console: { // input lengths around the limit, offsets near the output's
            const uint16_t n = static_cast<uint16_t>(below(3) == 0 ? below(200) : below(70));
            w.u32(domid), w.u16(n);
            for (uint16_t i = 0; i < n && w.ok(); ++i) w.u8(byte());
            w.u64(below(3) == 0 ? rng_() : below(200));
            break;
        }
        case MsgType::DebugKeys: {
            const uint8_t n = static_cast<uint8_t>(below(20));
            w.u8(n);
            for (uint8_t i = 0; i < n; ++i) w.u8(below(2) ? 'r' : byte());
            break;
        }
        case MsgType::TraceControl:
            w.u8(static_cast<uint8_t>(below(4)));
            break;
        case MsgType::TraceRead: // positions near the ring's, sometimes anywhere
            w.u32(below(4)), w.u64(below(4) == 0 ? rng_() : below(600));
            w.u16(static_cast<uint16_t>(below(4) == 0 ? below(400) : below(256)));
            break;
        case MsgType::TraceNames:
            w.u32(below(12));
            break;
        case MsgType::EndRun: // no payload; sometimes a stray byte
            if (below(2) == 0) w.u8(byte());
            break;
        case MsgType::RtdsSet: {
            const uint16_t n = static_cast<uint16_t>(below(8) == 0 ? below(300) : 1 + below(4));
            w.u32(domid), w.u8(below(8) == 0 ? byte() : static_cast<uint8_t>(below(2))), w.u16(n);
            for (uint16_t i = 0; i < n && w.ok(); ++i)
                encode(w, RtdsParams{below(6), value(), value(), static_cast<uint8_t>(below(3))});
            break;
        }
        }
        p.resize(w.ok() ? w.size() : 0);
        return p;
    }

    uint32_t value() {
        switch (below(4)) {
        case 0:
            return static_cast<uint32_t>(rng_());
        case 1:
            return below(20);
        default:
            return 10 + below(20000);
        }
    }

    void mutate(std::vector<uint8_t>& raw) {
        const uint32_t n = 1 + below(4);
        for (uint32_t i = 0; i < n && !raw.empty(); ++i) {
            const size_t at = below(static_cast<uint32_t>(raw.size()));
            switch (below(4)) {
            case 0:
                raw[at] ^= static_cast<uint8_t>(1u << below(8));
                break;
            case 1:
                raw[at] = byte();
                break;
            case 2:
                raw.erase(raw.begin() + static_cast<long>(at));
                break;
            default:
                raw.insert(raw.begin() + static_cast<long>(at), byte());
                break;
            }
        }
    }

private:
    std::mt19937_64 rng_;
};

void fix_crc(std::vector<uint8_t>& raw) {
    if (raw.size() < kTrailerSize) return;
    const uint32_t crc = crc32(raw.data(), raw.size() - kTrailerSize);
    for (size_t i = 0; i < kTrailerSize; ++i)
        raw[raw.size() - kTrailerSize + i] = static_cast<uint8_t>(crc >> (8 * i));
}

TEST(CtlFuzz, MillionFramesNoCrashNoHangWellFormedReplies) {
    const uint64_t seed = std::getenv("RTHV_FUZZ_SEED")
                              ? std::strtoull(std::getenv("RTHV_FUZZ_SEED"), nullptr, 0)
                              : 0x5EED;
    constexpr uint32_t kCases = 1'000'000;
    Generator gen(seed);
    FakeDispatcher hv;
    hv.capacity_percent = 10'000; // let random valid changes through so they reach the tables
    CollectSink sink;
    auto endpoint = std::make_unique<Endpoint>(hv, sink);
    const auto start = std::chrono::steady_clock::now();
    uint64_t answered = 0;
    uint64_t replies_total = 0;
    std::vector<DecodedReply> replies;
    uint64_t pushed = 0;
    for (uint32_t c = 0; c < kCases; ++c) {
        // The hypervisor's CPUs keep tracing while requests arrive.
        for (uint32_t cpu = 0; cpu < hv.trace_rings.size(); ++cpu) {
            trace::TraceRecord r{};
            r.time_ns = c;
            r.kind = static_cast<uint8_t>(c % trace::kKindCount);
            r.cpu = static_cast<uint16_t>(cpu);
            pushed += hv.trace_push(cpu, r) ? 1 : 0;
        }
        const uint8_t type =
            static_cast<uint8_t>(gen.below(10) == 0 ? gen.byte() : 1 + gen.below(kLastRequest));
        uint32_t seq = c;
        std::vector<uint8_t> payload = gen.payload(type);
        std::vector<uint8_t> raw =
            raw_frame(kVersion, type, seq, static_cast<uint16_t>(payload.size()), payload);
        std::vector<uint8_t> bytes;
        bool complete_frame = false; // our magic, COBS-valid, delimited: must be answered
        switch (gen.below(6)) {
        case 0: // random bytes, sometimes with delimiters inside
            bytes.resize(gen.below(64));
            for (auto& b : bytes) b = gen.below(8) == 0 ? 0 : gen.byte();
            bytes.push_back(0);
            break;
        case 1: // mutated raw frame with a repaired CRC: reaches the request decoders
            gen.mutate(raw);
            if (raw.size() >= 2 && raw[0] == kMagic0 && raw[1] == kMagic1) fix_crc(raw);
            bytes = stuff(raw);
            // Chunks longer than the splitter's buffer cannot be frames and are dropped.
            complete_frame = raw.size() >= kHeaderSize + kTrailerSize && raw[0] == kMagic0 &&
                             raw[1] == kMagic1 && bytes.size() - 2 <= kMaxEncoded;
            if (complete_frame) { // the mutation may have hit the sequence number itself
                Reader r(raw.data() + 4, 4);
                seq = r.u32();
            }
            break;
        case 2: // mutated stuffed bytes: COBS errors, split frames, checksum failures
            bytes = stuff(raw);
            gen.mutate(bytes);
            break;
        case 3: // truncated frame (a client that vanished); the next case's delimiter ends it
            bytes = stuff(raw);
            bytes.resize(gen.below(static_cast<uint32_t>(bytes.size())));
            break;
        default: // a well-formed request
            bytes = stuff(raw);
            complete_frame = true;
        }
        sink.data.clear();
        endpoint->receive(bytes.data(), bytes.size());
        replies.clear();
        ASSERT_TRUE(decode_replies(sink.data, replies)) << "case " << c;
        replies_total += replies.size();
        for (const DecodedReply& r : replies) {
            ASSERT_TRUE(r.header.type == kErrorType || (r.header.type & kReplyBit) != 0) << c;
            if (r.header.type == kErrorType) {
                Reader rd(r.payload.data(), r.payload.size());
                ErrorReply e;
                ASSERT_TRUE(decode(rd, e) && rd.done() && e.message[0] != '\0') << c;
            }
        }
        // At most one reply per delimiter: a chunk is answered once or not at all.
        size_t delimiters = 0;
        for (uint8_t b : bytes) delimiters += b == 0 ? 1 : 0;
        ASSERT_LE(replies.size(), delimiters) << "case " << c;
        if (complete_frame) {
            // Our frame is the last chunk this feed completed, so its reply comes last (an
            // earlier one may answer what a truncated previous case left on the line).
            ASSERT_FALSE(replies.empty()) << "case " << c << " got no reply";
            ASSERT_EQ(replies.back().header.seq, seq) << "case " << c;
            ++answered;
        }
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(seconds, 120.0); // "no hang": generous even under ASan on a shared machine
    EXPECT_GT(answered, kCases / 3);
    EXPECT_GT(hv.mutations, 0u); // the generator did reach the state-changing paths
    for (const FakeDomain& d : hv.domains) {
        for (const FakeVcpu& v : d.vcpus) {
            EXPECT_GE(v.params.period_us, kMinPeriodUs);
            EXPECT_LE(v.params.period_us, rthv::ctl::kMaxPeriodUs);
            EXPECT_GE(v.params.budget_us, kMinBudgetUs);
            EXPECT_LE(v.params.budget_us, v.params.period_us);
            EXPECT_LE(v.params.extratime, 1);
        }
    }
    // The reads freed exactly what they acknowledged, and the rings lost nothing uncounted.
    uint64_t read = 0, kept = 0;
    for (const trace::TraceRing& ring : hv.trace_rings)
        read += ring.read_pos(), kept += ring.kept();
    EXPECT_EQ(hv.trace_freed, read);
    EXPECT_EQ(kept, pushed);
    EXPECT_GT(hv.trace_freed, 0u);
    std::printf("fuzz: seed %#llx, %u cases, %llu answered frames, %llu replies, %llu changes, "
                "%.1f s\n",
                static_cast<unsigned long long>(seed), kCases,
                static_cast<unsigned long long>(answered),
                static_cast<unsigned long long>(replies_total),
                static_cast<unsigned long long>(hv.mutations), seconds);
}

} // namespace
} // namespace rthv::test
