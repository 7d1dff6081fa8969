// xl's Client resends repeatable requests (queries, TraceRead) when a frame is lost on the
// line, and never resends a change: a lost Pause must fail rather than risk running twice.
#include "fake_hypervisor.hpp"
#include "tools/xl/client.hpp"

#include <gtest/gtest.h>

namespace rthv::test {
namespace {

// The real socket to the fake hypervisor, losing the first `drops` requests on the way.
class LossyTransport final : public xl::Transport {
public:
    LossyTransport(const std::string& path, int drops) : inner_(path), drops_(drops) {}
    void send(const uint8_t* bytes, size_t n) override {
        ++sends;
        if (drops_ > 0) {
            --drops_;
            return;
        }
        inner_.send(bytes, n);
    }
    size_t receive(uint8_t* buf, size_t cap, int timeout_ms) override {
        return inner_.receive(buf, cap, timeout_ms);
    }
    int sends = 0;

private:
    xl::UnixTransport inner_;
    int drops_;
};

constexpr int kTimeoutMs = 2500; // room for one 1 s retry and a last, longer wait

TEST(ClientRetry, LostQueryIsResentAndAnswered) {
    FakeDispatcher hv;
    FakeHypervisor server(hv);
    LossyTransport line(server.path(), 1);
    xl::Client client(line, kTimeoutMs);
    ctl::HostInfo info = client.info();
    EXPECT_EQ(line.sends, 2);
    EXPECT_GT(info.nr_cpus, 0u);
}

TEST(ClientRetry, LostChangeIsNotResent) {
    FakeDispatcher hv;
    FakeHypervisor server(hv);
    LossyTransport line(server.path(), 1);
    xl::Client client(line, kTimeoutMs);
    const uint32_t domid = hv.domains.at(0).info.id;
    EXPECT_THROW(client.pause(domid), xl::NoReply);
    EXPECT_EQ(line.sends, 1);
    EXPECT_EQ(hv.mutations, 0u);
}

TEST(ClientRetry, QueryGivesUpAtTheTimeout) {
    FakeDispatcher hv;
    FakeHypervisor server(hv);
    LossyTransport line(server.path(), 100);
    xl::Client client(line, kTimeoutMs);
    EXPECT_THROW(client.info(), xl::NoReply);
    EXPECT_EQ(line.sends, 2); // 1 s, then the remaining 1.5 s
}

} // namespace
} // namespace rthv::test
