// Frame-level handling: unstuff, check, dispatch, reply. Every frame that carries our magic
// gets exactly one reply, an error reply if anything about it is wrong.
#include "hv/ctl/server.hpp"

#include "hv/ctl/cobs.hpp"
#include "hv/ctl/text.hpp"

namespace rthv::ctl {

size_t Server::reply_error(uint8_t type, uint32_t seq, ErrorReply& err, uint8_t* out, size_t cap) {
    err.request_type = type;
    if (err.message[0] == '\0') Text(err.message, sizeof err.message).s(error_name(err.code));
    Writer w(payload_, sizeof payload_);
    encode(w, err);
    ++counters_.error_replies;
    ++counters_.frames;
    return encode_frame(kErrorType, seq, payload_, w.size(), out, cap);
}

size_t Server::handle_chunk(const uint8_t* chunk, size_t n, uint8_t* out, size_t cap) {
    size_t len = 0;
    FrameView view;
    const FrameStatus status = cobs_decode(chunk, n, frame_, sizeof frame_, len)
                                   ? parse_frame(frame_, len, view)
                                   : FrameStatus::NotAFrame;
    if (status == FrameStatus::NotAFrame) {
        ++counters_.noise;
        return 0;
    }
    ErrorReply err;
    const uint8_t type = view.header.type;
    const uint32_t seq = view.header.seq;
    if (status != FrameStatus::Ok) {
        err.code = status == FrameStatus::BadChecksum  ? Error::BadChecksum
                   : status == FrameStatus::BadVersion ? Error::BadVersion
                                                       : Error::BadLength;
        Text t(err.message, sizeof err.message);
        if (status == FrameStatus::BadVersion)
            t.s("protocol version ")
                .u(view.header.version)
                .s(" not supported (want ")
                .u(kVersion)
                .s(")");
        else if (status == FrameStatus::BadLength)
            t.s("header says ")
                .u(view.header.length)
                .s(" payload bytes, frame has ")
                .u(len - kHeaderSize - kTrailerSize);
        return reply_error(type, seq, err, out, cap);
    }
    Reader req(view.payload, view.length);
    Writer reply(payload_, sizeof payload_);
    const Error e = dispatch(type, req, reply, err);
    if (e != Error::Ok) {
        err.code = e;
        return reply_error(type, seq, err, out, cap);
    }
    if (!reply.ok()) {
        err.code = Error::Internal;
        return reply_error(type, seq, err, out, cap);
    }
    ++counters_.frames;
    return encode_frame(static_cast<uint8_t>(type | kReplyBit), seq, payload_, reply.size(), out,
                        cap);
}

Error Server::dispatch(uint8_t type, Reader& req, Writer& reply, ErrorReply& err) {
    if (type < kFirstRequest || type > kLastRequest) {
        Text(err.message, sizeof err.message).s("unknown request type ").u(type);
        return Error::UnknownType;
    }
    switch (static_cast<MsgType>(type)) {
    case MsgType::Info:
        return info(req, reply, err);
    case MsgType::ListDomains:
        return list_domains(req, reply, err);
    case MsgType::ListPools:
        return list_pools(req, reply, err);
    case MsgType::ListVcpus:
    case MsgType::RtdsGet:
    case MsgType::RtdsStats:
        return per_vcpu(type, req, reply, err);
    case MsgType::Dmesg:
        return dmesg(req, reply, err);
    case MsgType::RtdsSet:
        return rtds_set(req, reply, err);
    case MsgType::Pause:
        return pause(true, req, err);
    case MsgType::Unpause:
        return pause(false, req, err);
    case MsgType::DebugKeys:
        return debug_keys(req, err);
    case MsgType::TraceControl:
        return trace_control(req, reply, err);
    case MsgType::TraceRead:
        return trace_read(req, reply, err);
    case MsgType::TraceNames:
        return trace_names(req, reply, err);
    case MsgType::EndRun:
        return end_run(req, err);
    case MsgType::Console:
        return guest_console(req, reply, err);
    }
    return Error::UnknownType;
}

Error Server::lookup(Reader& req, DomainInfo& dom, ErrorReply& err) {
    const uint32_t domid = req.u32();
    if (!req.ok()) return Error::BadLength;
    if (!d_.find_domain(domid, dom) || dom.id != domid) {
        Text(err.message, sizeof err.message).s("domain ").u(domid).s(" does not exist");
        return Error::NoSuchDomain;
    }
    return Error::Ok;
}

void Endpoint::receive(const uint8_t* bytes, size_t n) {
    for (size_t i = 0; i < n; ++i) {
        if (!splitter_.push(bytes[i])) continue;
        const size_t len = server_.handle_chunk(splitter_.chunk(), splitter_.chunk_length(), reply_,
                                                sizeof reply_);
        if (len != 0) sink_.write(reply_, len);
    }
}

} // namespace rthv::ctl
