// Issue 11.1: a reply meant for an earlier xl must not reach the next one. A script polls
// `until xl list; do sleep 1; done` while the hypervisor boots: each xl resends its query, gives
// up, and the hypervisor answers those requests later, when the next xl is already waiting.
// With every session numbering from 1 the late answer (another type, the same seq) was taken as
// this session's reply ("unexpected reply type"); with a random start per session it is dropped
// and counted.
#include "fake_hypervisor.hpp"
#include "hv/ctl/cobs.hpp"
#include "hv/ctl/frame.hpp"
#include "hv/ctl/messages.hpp"
#include "tools/xl/client.hpp"

#include <gtest/gtest.h>

#include <set>

namespace rthv::test {
namespace {

// The real socket to the fake hypervisor, with a late reply of an earlier session (type
// ListDomains, sequence number `stale_seq`) arriving ahead of the first real reply.
class LateReplyTransport final : public xl::Transport {
public:
    LateReplyTransport(const std::string& path, uint32_t stale_seq) : inner_(path) {
        uint8_t payload[16];
        ctl::Writer w(payload, sizeof payload);
        ctl::PageHeader page{0, 0, 0};
        ctl::encode(w, page);
        uint8_t wire[ctl::kMaxEncoded];
        const size_t n =
            ctl::encode_frame(static_cast<uint8_t>(ctl::MsgType::ListDomains) | ctl::kReplyBit,
                              stale_seq, payload, w.size(), wire, sizeof wire);
        late_.assign(wire, wire + n);
    }
    void send(const uint8_t* bytes, size_t n) override {
        sent_seqs.push_back(seq_of(bytes, n));
        inner_.send(bytes, n);
    }
    size_t receive(uint8_t* buf, size_t cap, int timeout_ms) override {
        if (!late_.empty() && cap >= late_.size()) {
            const size_t n = late_.size();
            std::copy(late_.begin(), late_.end(), buf);
            late_.clear();
            return n;
        }
        return inner_.receive(buf, cap, timeout_ms);
    }
    std::vector<uint32_t> sent_seqs;

private:
    static uint32_t seq_of(const uint8_t* bytes, size_t n) {
        ctl::FrameSplitter splitter;
        static uint8_t raw[ctl::kMaxFrame];
        for (size_t i = 0; i < n; ++i) {
            if (!splitter.push(bytes[i])) continue;
            size_t len = 0;
            ctl::FrameView view;
            if (ctl::cobs_decode(splitter.chunk(), splitter.chunk_length(), raw, sizeof raw, len) &&
                ctl::parse_frame(raw, len, view) == ctl::FrameStatus::Ok)
                return view.header.seq;
        }
        return 0;
    }
    xl::UnixTransport inner_;
    std::vector<uint8_t> late_;
};

TEST(ClientSession, EverySessionStartsItsOwnSequence) {
    std::set<uint32_t> starts;
    for (int i = 0; i < 64; ++i) starts.insert(xl::Client::session_first_seq());
    EXPECT_GE(starts.size(), 63u); // random 32-bit starts; a repeat among 64 is ~5e-7 likely
}

TEST(ClientSession, RequestsAreNumberedFromTheSessionStart) {
    FakeDispatcher hv;
    FakeHypervisor server(hv);
    LateReplyTransport line(server.path(), 0);
    xl::Client client(line, 2000, 0xFFFFFFFEu); // wraps past 2^32 like any counter
    client.info();
    client.info();
    client.info();
    EXPECT_EQ(line.sent_seqs, (std::vector<uint32_t>{0xFFFFFFFEu, 0xFFFFFFFFu, 0u}));
}

// What the old numbering did: the earlier session's late reply carries this one's seq.
TEST(ClientSession, SharedNumberingTakesAnotherSessionsReply) {
    FakeDispatcher hv;
    FakeHypervisor server(hv);
    LateReplyTransport line(server.path(), 1);
    xl::Client client(line, 2000, 1);
    EXPECT_THROW(client.pools(), xl::XlError);
}

TEST(ClientSession, AnEarlierSessionsLateReplyIsDroppedAndCounted) {
    FakeDispatcher hv;
    FakeHypervisor server(hv);
    LateReplyTransport line(server.path(), 1); // the earlier session's seq 1
    xl::Client client(line, 2000, 0x5eed0000u);
    const std::vector<ctl::PoolInfo> pools = client.pools();
    ASSERT_FALSE(pools.empty());
    EXPECT_STREQ(pools[0].name, "Pool-0");
    EXPECT_EQ(client.stale_replies(), 1u);
    EXPECT_EQ(line.sent_seqs.front(), 0x5eed0000u);
}

} // namespace
} // namespace rthv::test
