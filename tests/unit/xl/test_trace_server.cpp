// The trace messages at the server: start/stop/query rules, reads that free only what the
// client acknowledged, every refusal with its code and no change, and the compact record
// encoding (round trip, and a full reply leaving the rest pending).
#include "fake_hypervisor.hpp"
#include "frame_io.hpp"

#include <gtest/gtest.h>
#include <memory>

namespace rthv::test {
namespace {

using namespace rthv::ctl;

trace::TraceRecord rec(uint64_t t, uint16_t cpu, uint16_t dom, uint64_t arg, uint8_t kind = 8) {
    trace::TraceRecord r{};
    r.time_ns = t;
    r.arg = arg;
    r.cpu = cpu;
    r.domain = dom;
    r.vcpu = dom == trace::kNone16 ? trace::kNone16 : 0;
    r.kind = kind;
    return r;
}

class TraceServerTest : public ::testing::Test {
protected:
    // One request; returns the reply payload, or the error code (payload empty).
    std::pair<std::vector<uint8_t>, Error> call(MsgType type, const std::vector<uint8_t>& p) {
        sink.data.clear();
        const std::vector<uint8_t> bytes = frame(static_cast<uint8_t>(type), ++seq, p);
        endpoint->receive(bytes.data(), bytes.size());
        std::vector<DecodedReply> r;
        EXPECT_TRUE(decode_replies(sink.data, r));
        EXPECT_EQ(r.size(), 1u);
        if (r.size() != 1) return {{}, Error::Internal};
        if (r[0].header.type != kErrorType) return {r[0].payload, Error::Ok};
        Reader rd(r[0].payload.data(), r[0].payload.size());
        ErrorReply e;
        EXPECT_TRUE(decode(rd, e) && rd.done() && e.message[0] != '\0');
        return {{}, e.code};
    }
    Error control(uint8_t op) { return call(MsgType::TraceControl, {op}).second; }
    static std::vector<uint8_t> read_req(uint32_t cpu, uint64_t from, uint16_t max) {
        std::vector<uint8_t> p(14);
        Writer w(p.data(), p.size());
        w.u32(cpu), w.u64(from), w.u16(max);
        return p;
    }
    Error read(uint32_t cpu, uint64_t from, uint16_t max, TraceChunk& out) {
        auto [payload, e] = call(MsgType::TraceRead, read_req(cpu, from, max));
        if (e != Error::Ok) return e;
        Reader r(payload.data(), payload.size());
        EXPECT_TRUE(decode(r, out) && r.done());
        return e;
    }

    FakeDispatcher hv;
    CollectSink sink;
    std::unique_ptr<Endpoint> endpoint = std::make_unique<Endpoint>(hv, sink);
    uint32_t seq = 0;
    std::unique_ptr<TraceChunk> chunk = std::make_unique<TraceChunk>();
};

TEST_F(TraceServerTest, StartStopQueryAndTheirRefusals) {
    EXPECT_EQ(control(kTraceStop), Error::BadState) << "stop when off";
    EXPECT_EQ(control(3), Error::BadField) << "unknown operation";
    EXPECT_EQ(call(MsgType::TraceControl, {}).second, Error::BadLength);
    EXPECT_EQ(call(MsgType::TraceControl, {1, 0}).second, Error::BadLength);
    EXPECT_EQ(hv.trace_toggles, 0u) << "refusals changed nothing";
    auto [payload, e] = call(MsgType::TraceControl, {kTraceStart});
    ASSERT_EQ(e, Error::Ok);
    Reader r(payload.data(), payload.size());
    TraceStatus st;
    ASSERT_TRUE(decode(r, st) && r.done());
    EXPECT_EQ(st.enabled, 1);
    EXPECT_EQ(st.nr_cpus, 2u);
    EXPECT_EQ(st.ring_capacity, 1024u);
    EXPECT_EQ(control(kTraceStart), Error::BadState) << "enabling twice";
    EXPECT_EQ(hv.trace_toggles, 1u);
    EXPECT_EQ(control(kTraceQuery), Error::Ok);
    EXPECT_EQ(control(kTraceStop), Error::Ok);
    EXPECT_FALSE(hv.trace_on);
    hv.trace_rings.clear(); // a hypervisor without rings cannot start
    EXPECT_EQ(control(kTraceStart), Error::BadState);
}

TEST_F(TraceServerTest, ReadsFreeOnlyWhatWasAcknowledged) {
    for (uint64_t t = 0; t < 10; ++t) ASSERT_TRUE(hv.trace_push(1, rec(t * 1000, 1, 3, t)));
    ASSERT_EQ(read(1, kTraceFromReader, 4, *chunk), Error::Ok);
    EXPECT_EQ(chunk->cpu, 1u);
    EXPECT_EQ(chunk->first, 0u);
    EXPECT_EQ(chunk->count, 4);
    EXPECT_EQ(chunk->pending, 6u);
    // A lost reply: asking again from the same place gives the same records.
    ASSERT_EQ(read(1, 0, 4, *chunk), Error::Ok);
    EXPECT_EQ(chunk->records[3].arg, 3u);
    EXPECT_EQ(hv.trace_freed, 0u);
    ASSERT_EQ(read(1, 4, 255, *chunk), Error::Ok); // acknowledges 0..3
    EXPECT_EQ(hv.trace_freed, 4u);
    EXPECT_EQ(chunk->count, 6);
    EXPECT_EQ(chunk->records[0].time_ns, 4000u);
    EXPECT_EQ(read(1, 2, 1, *chunk), Error::BadField) << "already freed";
    EXPECT_EQ(read(1, 11, 1, *chunk), Error::BadField) << "beyond what is held";
    EXPECT_EQ(read(2, kTraceFromReader, 1, *chunk), Error::NoSuchCpu);
    EXPECT_EQ(read(0, kTraceFromReader, 256, *chunk), Error::BadField);
    EXPECT_EQ(call(MsgType::TraceRead, {0, 0, 0, 0}).second, Error::BadLength);
    EXPECT_EQ(hv.trace_freed, 4u) << "refusals freed nothing";
    EXPECT_EQ(hv.trace_rings[1].read_pos(), 4u);
    ASSERT_EQ(read(1, 10, 0, *chunk), Error::Ok); // a read of none only acknowledges
    EXPECT_EQ(chunk->count, 0);
    EXPECT_EQ(hv.trace_rings[1].read_pos(), 10u);
}

TEST_F(TraceServerTest, FullReplyLeavesTheRestPending) {
    hv.trace_setup(1, 512);
    // Worst-case records (every varint at its longest) cannot all fit one frame.
    for (uint64_t i = 0; i < 300; ++i)
        ASSERT_TRUE(hv.trace_push(0, rec(i % 2 ? ~uint64_t{0} - i : i, 0xfffe, 0xfffe, ~i, 17)));
    ASSERT_EQ(read(0, kTraceFromReader, 255, *chunk), Error::Ok);
    EXPECT_GT(chunk->count, 0);
    EXPECT_LT(chunk->count, 255);
    EXPECT_EQ(chunk->pending, 300u - chunk->count);
    for (uint16_t i = 0; i < chunk->count; ++i) {
        EXPECT_EQ(chunk->records[i].time_ns, i % 2 ? ~uint64_t{0} - i : i);
        EXPECT_EQ(chunk->records[i].arg, ~uint64_t{i});
        EXPECT_EQ(chunk->records[i].cpu, 0xfffe);
    }
}

TEST(TraceCodec, CompactRecordsRoundTrip) {
    auto in = std::make_unique<TraceChunk>();
    in->cpu = 3, in->first = 1'000'000, in->pending = 7, in->dropped = 42, in->count = 5;
    in->records[0] = rec(5'000'000'000, 0, 1, 0);
    in->records[1] = rec(4'999'999'000, trace::kNone16, trace::kNone16, 123456789); // earlier
    in->records[2] = rec(~uint64_t{0}, 1, 2, ~uint64_t{0}, 16);
    in->records[3] = rec(0, 0xfffe, 0, 1, 17);
    in->records[4] = rec(7, 2, 0xfffe, 300, 9);
    std::vector<uint8_t> buf(kMaxPayload);
    Writer w(buf.data(), buf.size());
    ASSERT_EQ(encode_trace_chunk(w, *in), 5);
    EXPECT_LT(w.size(), 30u + 5 * 24) << "compact: smaller than the in-memory records";
    Reader r(buf.data(), w.size());
    auto out = std::make_unique<TraceChunk>();
    ASSERT_TRUE(decode(r, *out) && r.done());
    EXPECT_EQ(out->first, in->first);
    EXPECT_EQ(out->pending, 7u);
    EXPECT_EQ(out->dropped, 42u);
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(out->records[i].time_ns, in->records[i].time_ns) << i;
        EXPECT_EQ(out->records[i].arg, in->records[i].arg) << i;
        EXPECT_EQ(out->records[i].cpu, in->records[i].cpu) << i;
        EXPECT_EQ(out->records[i].domain, in->records[i].domain) << i;
        EXPECT_EQ(out->records[i].vcpu, in->records[i].vcpu) << i;
        EXPECT_EQ(out->records[i].kind, in->records[i].kind) << i;
    }
    // Truncated, an unknown kind, an over-long varint: refused.
    Reader cut(buf.data(), w.size() - 1);
    EXPECT_FALSE(decode(cut, *out));
    std::vector<uint8_t> bad(buf.begin(), buf.begin() + static_cast<long>(w.size()));
    bad[30] = trace::kKindCount;
    Reader rk(bad.data(), bad.size());
    EXPECT_FALSE(decode(rk, *out));
    std::vector<uint8_t> longer(buf.begin(), buf.begin() + 31);
    longer[28] = 1, longer[29] = 0;
    longer.insert(longer.end(), 11, 0xff);
    Reader rl(longer.data(), longer.size());
    EXPECT_FALSE(decode(rl, *out));
}

} // namespace
} // namespace rthv::test
