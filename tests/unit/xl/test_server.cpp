// The hypervisor-side server against crafted requests xl would never send: every malformed
// request gets one well-formed error reply with the right code, and changes nothing.
#include "fake_hypervisor.hpp"
#include "frame_io.hpp"

#include <gtest/gtest.h>
#include <memory>

namespace rthv::test {
namespace {

using namespace rthv::ctl;

class CtlServerTest : public ::testing::Test {
protected:
    // Feeds bytes, returns the replies they produced.
    std::vector<DecodedReply> feed(const std::vector<uint8_t>& bytes) {
        sink.data.clear();
        endpoint->receive(bytes.data(), bytes.size());
        std::vector<DecodedReply> out;
        EXPECT_TRUE(decode_replies(sink.data, out));
        return out;
    }
    ErrorReply expect_error(const std::vector<uint8_t>& bytes, Error code, uint32_t seq) {
        const std::vector<DecodedReply> r = feed(bytes);
        ErrorReply e;
        if (r.size() != 1) {
            ADD_FAILURE() << "replies: " << r.size();
            return e;
        }
        EXPECT_EQ(r[0].header.type, kErrorType);
        EXPECT_EQ(r[0].header.seq, seq);
        Reader rd(r[0].payload.data(), r[0].payload.size());
        EXPECT_TRUE(decode(rd, e) && rd.done());
        EXPECT_EQ(e.code, code) << e.message;
        EXPECT_NE(e.message[0], '\0');
        return e;
    }
    static std::vector<uint8_t> set_request(uint32_t domid, uint8_t flags, uint16_t count,
                                            const std::vector<RtdsParams>& entries) {
        std::vector<uint8_t> p(4096);
        Writer w(p.data(), p.size());
        w.u32(domid);
        w.u8(flags);
        w.u16(count);
        for (const RtdsParams& e : entries) encode(w, e);
        p.resize(w.size());
        return p;
    }
    const uint8_t kSet = static_cast<uint8_t>(MsgType::RtdsSet);

    FakeDispatcher hv;
    CollectSink sink;
    std::unique_ptr<Endpoint> endpoint = std::make_unique<Endpoint>(hv, sink);
};

TEST_F(CtlServerTest, FrameLevelErrorsEchoTheSequence) {
    expect_error(frame(0x42, 5, {}), Error::UnknownType, 5);
    expect_error(frame(0x81, 6, {}), Error::UnknownType, 6); // a reply sent as a request
    expect_error(stuff(raw_frame(9, 1, 7, 0, {})), Error::BadVersion, 7);
    expect_error(stuff(raw_frame(kVersion, 1, 8, 0, {}, false)), Error::BadChecksum, 8);
    expect_error(stuff(raw_frame(kVersion, 1, 9, 4, {1, 2})), Error::BadLength, 9);
    expect_error(frame(0x01, 10, {0}), Error::BadLength, 10); // Info takes no payload
}

TEST_F(CtlServerTest, NoiseGetsNoReplyAndDoesNotDisturbTheNextFrame) {
    std::vector<uint8_t> bytes = {'g', 'a', 'r', 'b', 0, 0, 0xFF, 0x13};
    const std::vector<uint8_t> good = frame(0x01, 77, {});
    // A client that died mid-frame: the first half of a frame, never finished.
    const std::vector<uint8_t> half = frame(0x02, 76, {0, 0, 0, 0});
    bytes.insert(bytes.end(), half.begin(), half.begin() + static_cast<long>(half.size() / 2));
    bytes.insert(bytes.end(), good.begin(), good.end());
    const std::vector<DecodedReply> r = feed(bytes);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].header.seq, 77u);
    EXPECT_EQ(r[0].header.type, 0x81);
    EXPECT_EQ(endpoint->counters().noise, 3u); // "garb", [FF 13], the half frame
}

TEST_F(CtlServerTest, RtdsSetValidationNamesTheEntry) {
    const RtdsParams ok{0, 1000, 100, 0};
    expect_error(frame(kSet, 1, set_request(1, 0, 0, {})), Error::BadField, 1);
    expect_error(frame(kSet, 2, set_request(1, 0x02, 1, {ok})), Error::BadField, 2);
    expect_error(frame(kSet, 3, set_request(1, 0, 2, {ok})), Error::BadLength, 3);
    expect_error(frame(kSet, 4, set_request(1, 0, 1, {ok, ok})), Error::BadLength, 4);
    expect_error(frame(kSet, 5, set_request(1, 0, 300, {})), Error::BadField, 5);
    expect_error(frame(kSet, 6, set_request(42, 0, 1, {ok})), Error::NoSuchDomain, 6);
    struct Case {
        RtdsParams second;
        Error code;
    };
    const Case cases[] = {
        {{2, 1000, 100, 0}, Error::NoSuchVcpu},
        {{0xFFFFFFFF, 1000, 100, 0}, Error::NoSuchVcpu},
        {{0, 1000, 100, 0}, Error::DuplicateVcpu},
        {{1, 9, 9, 0}, Error::BadPeriod},
        {{1, 0xFFFFFFFF, 5, 0}, Error::BadBudget},
        {{1, 1000, 0, 0}, Error::BadBudget},
        {{1, 1000, 1001, 0}, Error::BudgetOverPeriod},
        {{1, 1000, 100, 2}, Error::BadExtratime},
    };
    for (const Case& c : cases) {
        const ErrorReply e =
            expect_error(frame(kSet, 7, set_request(1, 0, 2, {ok, c.second})), c.code, 7);
        EXPECT_EQ(e.index, 1u) << e.message;
    }
    EXPECT_EQ(hv.mutations, 0u);
    EXPECT_EQ(hv.domain(1)->vcpus[0].params.period_us, 300u);
}

TEST_F(CtlServerTest, RtdsSetAppliesAndReportsUtilisation) {
    const std::vector<DecodedReply> r =
        feed(frame(kSet, 3, set_request(1, 0, 1, {{1, 1000, 100, 1}})));
    ASSERT_EQ(r.size(), 1u);
    ASSERT_EQ(r[0].header.type, kSet | kReplyBit);
    Reader rd(r[0].payload.data(), r[0].payload.size());
    AdmissionReport rep;
    ASSERT_TRUE(decode(rd, rep) && rd.done());
    EXPECT_EQ(rep.current_ppm, 1'400'000u);
    EXPECT_EQ(rep.requested_ppm, 1'000'000u);
    EXPECT_EQ(hv.domain(1)->vcpus[1].params.budget_us, 100u);

    const ErrorReply e =
        expect_error(frame(kSet, 4, set_request(1, 0, 2, {{0, 10, 10, 0}, {1, 10, 10, 0}})),
                     Error::AdmissionRefused, 4);
    EXPECT_EQ(e.admission.capacity_ppm, 2'000'000u);
    EXPECT_NE(std::string(e.message).find("force"), std::string::npos);
    EXPECT_EQ(hv.mutations, 1u);
}

TEST_F(CtlServerTest, IdsAndLengthsAreCheckedEverywhere) {
    const auto u32 = [](uint32_t v) {
        return std::vector<uint8_t>{uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16),
                                    uint8_t(v >> 24)};
    };
    std::vector<uint8_t> req = u32(1);
    const std::vector<uint8_t> first = u32(3);
    req.insert(req.end(), first.begin(), first.end());
    expect_error(frame(uint8_t(MsgType::RtdsGet), 1, req), Error::NoSuchVcpu, 1);
    expect_error(frame(uint8_t(MsgType::ListVcpus), 2, u32(1)), Error::BadLength, 2);
    expect_error(frame(uint8_t(MsgType::ListDomains), 3, u32(99)), Error::BadField, 3);
    expect_error(frame(uint8_t(MsgType::Pause), 4, u32(99)), Error::NoSuchDomain, 4);
    std::vector<uint8_t> trailing = u32(1);
    trailing.push_back(0);
    expect_error(frame(uint8_t(MsgType::Pause), 5, trailing), Error::BadLength, 5);
    expect_error(frame(uint8_t(MsgType::DebugKeys), 6, {0}), Error::BadField, 6);
    expect_error(frame(uint8_t(MsgType::DebugKeys), 7, {3, 'r'}), Error::BadLength, 7);
    expect_error(frame(uint8_t(MsgType::DebugKeys), 8, {1, ' '}), Error::BadKey, 8);
    expect_error(frame(uint8_t(MsgType::Dmesg), 9, {1, 2, 3}), Error::BadLength, 9);
    EXPECT_EQ(hv.mutations, 0u);
    EXPECT_TRUE(hv.keys_run.empty());
}

// EndRun (the runner's Ctrl-C, SIGTERM, SIGHUP): accepted once; a second is refused as
// BadState with a message; a payload is refused as BadLength and changes nothing.
TEST_F(CtlServerTest, EndRunIsAcceptedOnceAndRefusedWithAPayload) {
    const uint8_t kEndRun = static_cast<uint8_t>(MsgType::EndRun);
    expect_error(frame(kEndRun, 20, {0x01}), Error::BadLength, 20);
    EXPECT_FALSE(hv.run_ending);
    const std::vector<DecodedReply> r = feed(frame(kEndRun, 21, {}));
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].header.type, kEndRun | kReplyBit);
    EXPECT_EQ(r[0].header.seq, 21u);
    EXPECT_TRUE(r[0].payload.empty());
    EXPECT_TRUE(hv.run_ending);
    const uint64_t mutations = hv.mutations;
    const ErrorReply e = expect_error(frame(kEndRun, 22, {}), Error::BadState, 22);
    EXPECT_STREQ(e.message, "the run is already ending");
    EXPECT_EQ(hv.mutations, mutations);
}

} // namespace
} // namespace rthv::test
