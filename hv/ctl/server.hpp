// The hypervisor side of the control protocol. Endpoint turns the serial byte stream into
// frames and frames into replies; Server validates each request against the protocol limits
// and the Dispatcher's tables before anything is called that could change state.
// All storage is inside the objects (about 18 KiB for an Endpoint): no heap, no recursion.
#pragma once

#include "hv/ctl/dispatcher.hpp"
#include "hv/ctl/frame.hpp"

namespace rthv::ctl {

struct ServerCounters {
    uint64_t frames = 0; // frames that got a reply
    uint64_t error_replies = 0;
    uint64_t noise = 0; // chunks that were not frames: dropped silently
};

class Server {
public:
    explicit Server(Dispatcher& dispatcher) : d_(dispatcher) {}

    // Handles one delimiter-separated chunk (still COBS-stuffed). Writes the encoded reply
    // frame (delimiters included) to out and returns its length; 0 if the chunk was noise.
    // cap must be at least kMaxEncoded.
    size_t handle_chunk(const uint8_t* chunk, size_t n, uint8_t* out, size_t cap);
    const ServerCounters& counters() const { return counters_; }

private:
    Error dispatch(uint8_t type, Reader& req, Writer& reply, ErrorReply& err);
    Error info(Reader& req, Writer& reply, ErrorReply& err);
    Error list_domains(Reader& req, Writer& reply, ErrorReply& err);
    Error list_pools(Reader& req, Writer& reply, ErrorReply& err);
    Error per_vcpu(uint8_t type, Reader& req, Writer& reply, ErrorReply& err);
    Error dmesg(Reader& req, Writer& reply, ErrorReply& err);
    Error rtds_set(Reader& req, Writer& reply, ErrorReply& err);
    Error check_entries(const DomainInfo& dom, uint32_t count, ErrorReply& err);
    Error pause(bool pause, Reader& req, ErrorReply& err);
    Error debug_keys(Reader& req, ErrorReply& err);
    Error end_run(Reader& req, ErrorReply& err);
    Error guest_console(Reader& req, Writer& reply, ErrorReply& err);
    Error trace_control(Reader& req, Writer& reply, ErrorReply& err);
    Error trace_read(Reader& req, Writer& reply, ErrorReply& err);
    Error trace_names(Reader& req, Writer& reply, ErrorReply& err);
    Error lookup(Reader& req, DomainInfo& dom, ErrorReply& err);
    size_t reply_error(uint8_t type, uint32_t seq, ErrorReply& err, uint8_t* out, size_t cap);

    Dispatcher& d_;
    ServerCounters counters_;
    // As large as the longest chunk the splitter passes on, so that any frame that arrives
    // whole decodes and is answered (an oversized one with BadLength), never silently dropped.
    uint8_t frame_[kMaxEncoded];
    uint8_t payload_[kMaxPayload];
    RtdsParams entries_[kMaxSetEntries];
    ConsoleChunk console_;
    TraceChunk trace_chunk_;
};

// Where replies go: the serial port's transmit path in the hypervisor, a socket in tests.
class ByteSink {
public:
    virtual void write(const uint8_t* bytes, size_t n) = 0;

protected:
    ~ByteSink() = default;
};

class Endpoint {
public:
    Endpoint(Dispatcher& dispatcher, ByteSink& sink) : server_(dispatcher), sink_(sink) {}
    void receive(const uint8_t* bytes, size_t n);
    // Forget a partial frame, e.g. when the line was idle for long or the peer reconnected.
    void reset_link() { splitter_.reset(); }
    const ServerCounters& counters() const { return server_.counters(); }
    uint64_t oversized() const { return splitter_.oversized(); }

private:
    FrameSplitter splitter_;
    Server server_;
    ByteSink& sink_;
    uint8_t reply_[kMaxEncoded];
};

} // namespace rthv::ctl
