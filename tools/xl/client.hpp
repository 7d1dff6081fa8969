// xl's side of the control protocol: one request, one matching reply (by sequence number),
// paged lists fetched to the end. Every Client numbers its requests from a random 32-bit start
// (session_first_seq), so a reply still on its way to an earlier client - one that resent its
// request while the hypervisor was not yet listening, then gave up - never matches a request of
// this one; such replies are dropped and counted (stale_replies).
#pragma once

#include "hv/ctl/messages.hpp"
#include "tools/xl/error.hpp"
#include "tools/xl/transport.hpp"

#include <string>
#include <vector>

namespace rthv::xl {

// The hypervisor refused a request; reply.message says why.
class RemoteError : public XlError {
public:
    explicit RemoteError(const ctl::ErrorReply& r) : XlError(r.message), reply(r) {}
    ctl::ErrorReply reply;
};

// No reply in time (the hypervisor is gone, or a frame was lost on the line).
class NoReply : public XlError {
public:
    using XlError::XlError;
};

class Client {
public:
    explicit Client(Transport& transport, int timeout_ms = 5000,
                    uint32_t first_seq = session_first_seq())
        : transport_(transport), timeout_ms_(timeout_ms), seq_(first_seq - 1) {}

    // A random start for a new client session's sequence numbers (getrandom(2)): the chance
    // that two sessions' ranges of a few thousand requests overlap is ~1e-6 or less.
    static uint32_t session_first_seq();
    // Replies that matched no request of this session (other sequence numbers), dropped.
    uint64_t stale_replies() const { return stale_; }
    uint32_t last_seq() const { return seq_; }

    ctl::HostInfo info();
    std::vector<ctl::DomainInfo> domains();
    std::vector<ctl::PoolInfo> pools();
    std::vector<ctl::VcpuInfo> vcpus(uint32_t domid);
    std::vector<ctl::RtdsParams> rtds(uint32_t domid);
    std::vector<ctl::RtdsStats> stats(uint32_t domid);
    ctl::AdmissionReport rtds_set(uint32_t domid, const std::vector<ctl::RtdsParams>& entries,
                                  bool force);
    void pause(uint32_t domid);
    void unpause(uint32_t domid);
    std::string dmesg();
    // One Console exchange: `input` (at most ctl::kMaxConsoleInput bytes) to domain `domid`'s
    // console, and its output from offset `from`; the caller continues at start + length.
    ctl::ConsoleChunk guest_console(uint32_t domid, const std::string& input, uint64_t from);
    void debug_keys(const std::string& keys);
    // Tracing (xl trace): op is kTraceQuery, kTraceStart or kTraceStop.
    ctl::TraceStatus trace_control(uint8_t op);
    // Frees ring `cpu`'s records before `from` and returns up to `max` from there
    // (ctl::kTraceFromReader: from the oldest held, freeing nothing).
    void trace_read(uint32_t cpu, uint64_t from, uint16_t max, ctl::TraceChunk& out);
    std::vector<ctl::TraceName> trace_names();

    // One raw round trip; returns the reply payload or throws RemoteError / XlError.
    // Repeatable requests (queries, TraceRead) are resent every second within the timeout.
    std::vector<uint8_t> call(ctl::MsgType type, const std::vector<uint8_t>& payload);

private:
    std::vector<uint8_t> attempt(ctl::MsgType type, const std::vector<uint8_t>& payload,
                                 int timeout_ms);
    template <typename Entry>
    std::vector<Entry> paged(ctl::MsgType type, const uint32_t* domid);

    Transport& transport_;
    int timeout_ms_;
    uint32_t seq_;
    uint64_t stale_ = 0;
};

} // namespace rthv::xl
