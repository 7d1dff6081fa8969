// Frames of the control protocol (layout in hv/ctl/PROTOCOL.md): header, payload and CRC-32,
// COBS-stuffed and surrounded by 0x00 delimiters on the byte stream.
#pragma once

#include "hv/ctl/wire.hpp"

namespace rthv::ctl {

struct FrameHeader {
    uint8_t version = kVersion;
    uint8_t type = 0;
    uint32_t seq = 0;
    uint16_t length = 0;
};

// Builds delimiter + COBS(header, payload, crc) + delimiter in out. Returns the number of bytes,
// or 0 if len > kMaxPayload or out is too small.
size_t encode_frame(uint8_t type, uint32_t seq, const uint8_t* payload, size_t len, uint8_t* out,
                    size_t cap);

enum class FrameStatus : uint8_t {
    Ok,
    NotAFrame,   // too short or no magic: line noise, dropped without a reply
    BadChecksum, // header fields are unverified; a reply echoes the sequence number anyway
    BadVersion,
    BadLength, // header length disagrees with the bytes received
};

struct FrameView {
    FrameHeader header;
    const uint8_t* payload = nullptr;
    size_t length = 0;
};

// Checks a decoded (unstuffed) frame. Fills view.header whenever status != NotAFrame.
FrameStatus parse_frame(const uint8_t* raw, size_t n, FrameView& view);

// Cuts a byte stream into delimiter-separated chunks held in a fixed buffer. A chunk longer than
// any legal frame is discarded up to the next delimiter instead of overflowing anything.
class FrameSplitter {
public:
    // Feeds one byte; returns true when a complete non-empty chunk is ready in chunk().
    // The chunk stays valid until the next push().
    bool push(uint8_t byte);
    const uint8_t* chunk() const { return buf_; }
    size_t chunk_length() const { return len_; }
    // Drops a partial chunk (the link went idle or the peer reconnected).
    void reset();
    uint64_t oversized() const { return oversized_; }

private:
    uint8_t buf_[kMaxEncoded];
    size_t len_ = 0;
    bool ready_ = false;
    bool discarding_ = false;
    uint64_t oversized_ = 0;
};

} // namespace rthv::ctl
