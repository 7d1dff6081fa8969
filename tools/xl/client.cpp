#include "tools/xl/client.hpp"

#include "hv/ctl/cobs.hpp"
#include "hv/ctl/frame.hpp"

#include <chrono>
#include <memory>
#include <random>
#include <sys/random.h>

namespace rthv::xl {

using namespace rthv::ctl;

namespace {
std::vector<uint8_t> bytes_of(const Writer& w, const uint8_t* buf) {
    return std::vector<uint8_t>(buf, buf + w.size());
}

// Requests whose repetition changes nothing: queries, and TraceRead, whose `from` makes a
// repeated read return the same records. A frame lost on the serial line then costs one retry
// instead of the whole command; changes (RtdsSet, Pause, TraceControl, ...) are never resent.
bool repeatable(MsgType type) {
    switch (type) {
    case MsgType::Info:
    case MsgType::ListDomains:
    case MsgType::ListVcpus:
    case MsgType::ListPools:
    case MsgType::RtdsGet:
    case MsgType::Dmesg:
    case MsgType::RtdsStats:
    case MsgType::TraceRead:
    case MsgType::TraceNames:
        return true;
    default:
        return false;
    }
}
constexpr int kRetryAfterMs = 1000;
} // namespace

uint32_t Client::session_first_seq() {
    uint32_t seq = 0;
    if (getrandom(&seq, sizeof seq, 0) != static_cast<ssize_t>(sizeof seq))
        seq = std::random_device{}();
    return seq;
}

std::vector<uint8_t> Client::call(MsgType type, const std::vector<uint8_t>& payload) {
    if (!repeatable(type) || timeout_ms_ <= kRetryAfterMs)
        return attempt(type, payload, timeout_ms_);
    for (int waited = 0;; waited += kRetryAfterMs) {
        const int wait =
            timeout_ms_ - waited < 2 * kRetryAfterMs ? timeout_ms_ - waited : kRetryAfterMs;
        try {
            return attempt(type, payload, wait);
        } catch (const NoReply&) {
            if (waited + wait >= timeout_ms_) throw;
        }
    }
}

std::vector<uint8_t> Client::attempt(MsgType type, const std::vector<uint8_t>& payload,
                                     int timeout_ms) {
    const uint32_t seq = ++seq_;
    uint8_t wire[kMaxEncoded];
    const size_t n = encode_frame(static_cast<uint8_t>(type), seq, payload.data(), payload.size(),
                                  wire, sizeof wire);
    if (n == 0) throw XlError("request too large for one frame");
    transport_.send(wire, n);

    FrameSplitter splitter;
    uint8_t buf[4096];
    uint8_t raw[kMaxFrame];
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        const size_t got = left.count() > 0
                               ? transport_.receive(buf, sizeof buf, static_cast<int>(left.count()))
                               : 0;
        if (got == 0)
            throw NoReply("no reply from the hypervisor within " + std::to_string(timeout_ms_) +
                          " ms");
        for (size_t i = 0; i < got; ++i) {
            if (!splitter.push(buf[i])) continue;
            size_t len = 0;
            FrameView view;
            if (!cobs_decode(splitter.chunk(), splitter.chunk_length(), raw, sizeof raw, len) ||
                parse_frame(raw, len, view) != FrameStatus::Ok)
                continue;
            if (view.header.seq != seq) {
                ++stale_; // an answer to an earlier request (this session's or another's)
                continue;
            }
            Reader r(view.payload, view.length);
            if (view.header.type == kErrorType) {
                ErrorReply err;
                if (!decode(r, err) || !r.done())
                    throw XlError("the hypervisor sent a malformed error reply");
                throw RemoteError(err);
            }
            if (view.header.type != (static_cast<uint8_t>(type) | kReplyBit))
                throw XlError("the hypervisor answered with an unexpected reply type");
            return std::vector<uint8_t>(view.payload, view.payload + view.length);
        }
    }
}

template <typename Entry>
std::vector<Entry> Client::paged(MsgType type, const uint32_t* domid) {
    std::vector<Entry> all;
    uint32_t first = 0;
    for (;;) {
        uint8_t req[8];
        Writer w(req, sizeof req);
        if (domid != nullptr) w.u32(*domid);
        w.u32(first);
        const std::vector<uint8_t> reply = call(type, bytes_of(w, req));
        Reader r(reply.data(), reply.size());
        if (domid != nullptr && r.u32() != *domid) throw XlError("reply for the wrong domain");
        PageHeader page;
        if (!decode(r, page) || page.first != first)
            throw XlError("malformed list reply from the hypervisor");
        for (uint32_t i = 0; i < page.count; ++i) {
            Entry e;
            if (!decode(r, e)) throw XlError("malformed list entry from the hypervisor");
            all.push_back(e);
        }
        if (!r.done()) throw XlError("trailing bytes in a list reply from the hypervisor");
        first += page.count;
        if (first >= page.total) return all;
        if (page.count == 0) throw XlError("the hypervisor returned an empty page");
    }
}

HostInfo Client::info() {
    const std::vector<uint8_t> reply = call(MsgType::Info, {});
    Reader r(reply.data(), reply.size());
    HostInfo h;
    if (!decode(r, h) || !r.done()) throw XlError("malformed info reply from the hypervisor");
    return h;
}

std::vector<DomainInfo> Client::domains() {
    return paged<DomainInfo>(MsgType::ListDomains, nullptr);
}
std::vector<PoolInfo> Client::pools() { return paged<PoolInfo>(MsgType::ListPools, nullptr); }
std::vector<VcpuInfo> Client::vcpus(uint32_t d) { return paged<VcpuInfo>(MsgType::ListVcpus, &d); }
std::vector<RtdsParams> Client::rtds(uint32_t d) { return paged<RtdsParams>(MsgType::RtdsGet, &d); }
std::vector<RtdsStats> Client::stats(uint32_t d) {
    return paged<RtdsStats>(MsgType::RtdsStats, &d);
}

AdmissionReport Client::rtds_set(uint32_t domid, const std::vector<RtdsParams>& entries,
                                 bool force) {
    std::vector<uint8_t> req(kMaxPayload);
    Writer w(req.data(), req.size());
    w.u32(domid);
    w.u8(force ? kSetForce : 0);
    w.u16(static_cast<uint16_t>(entries.size()));
    for (const RtdsParams& e : entries) encode(w, e);
    if (!w.ok() || entries.size() > kMaxSetEntries) throw XlError("too many VCPUs in one change");
    req.resize(w.size());
    const std::vector<uint8_t> reply = call(MsgType::RtdsSet, req);
    Reader r(reply.data(), reply.size());
    AdmissionReport report;
    if (!decode(r, report) || !r.done()) throw XlError("malformed reply to sched-rtds set");
    return report;
}

void Client::pause(uint32_t domid) {
    uint8_t req[4];
    Writer w(req, sizeof req);
    w.u32(domid);
    call(MsgType::Pause, bytes_of(w, req));
}

void Client::unpause(uint32_t domid) {
    uint8_t req[4];
    Writer w(req, sizeof req);
    w.u32(domid);
    call(MsgType::Unpause, bytes_of(w, req));
}

std::string Client::dmesg() {
    std::string text;
    uint64_t from = 0;
    auto chunk = std::make_unique<ConsoleChunk>();
    for (;;) {
        uint8_t req[8];
        Writer w(req, sizeof req);
        w.u64(from);
        const std::vector<uint8_t> reply = call(MsgType::Dmesg, bytes_of(w, req));
        Reader r(reply.data(), reply.size());
        if (!decode(r, *chunk) || !r.done() || chunk->start < from)
            throw XlError("malformed console reply from the hypervisor");
        text.append(reinterpret_cast<const char*>(chunk->data), chunk->length);
        from = chunk->start + chunk->length;
        if (from >= chunk->end || chunk->length == 0) return text;
    }
}

ctl::ConsoleChunk Client::guest_console(uint32_t domid, const std::string& input, uint64_t from) {
    std::vector<uint8_t> req(4 + 2 + input.size() + 8);
    Writer w(req.data(), req.size());
    w.u32(domid);
    w.u16(static_cast<uint16_t>(input.size()));
    w.bytes(reinterpret_cast<const uint8_t*>(input.data()), input.size());
    w.u64(from);
    const std::vector<uint8_t> reply = call(MsgType::Console, req);
    Reader r(reply.data(), reply.size());
    ConsoleChunk chunk;
    if (!decode(r, chunk) || !r.done() || chunk.start + chunk.length > chunk.end)
        throw XlError("malformed console reply from the hypervisor");
    return chunk;
}

void Client::debug_keys(const std::string& keys) {
    std::vector<uint8_t> req;
    req.push_back(static_cast<uint8_t>(keys.size()));
    req.insert(req.end(), keys.begin(), keys.end());
    call(MsgType::DebugKeys, req);
}

TraceStatus Client::trace_control(uint8_t op) {
    const std::vector<uint8_t> reply = call(MsgType::TraceControl, {op});
    Reader r(reply.data(), reply.size());
    TraceStatus status;
    if (!decode(r, status) || !r.done())
        throw XlError("malformed trace status from the hypervisor");
    return status;
}

void Client::trace_read(uint32_t cpu, uint64_t from, uint16_t max, TraceChunk& out) {
    uint8_t req[14];
    Writer w(req, sizeof req);
    w.u32(cpu);
    w.u64(from);
    w.u16(max);
    const std::vector<uint8_t> reply = call(MsgType::TraceRead, bytes_of(w, req));
    Reader r(reply.data(), reply.size());
    if (!decode(r, out) || !r.done() || out.cpu != cpu || out.count > max ||
        (from != kTraceFromReader && out.first != from))
        throw XlError("malformed trace chunk from the hypervisor");
}

std::vector<TraceName> Client::trace_names() {
    return paged<TraceName>(MsgType::TraceNames, nullptr);
}

} // namespace rthv::xl
