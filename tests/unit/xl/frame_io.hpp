// Test helpers for talking to ctl::Endpoint in memory: build request frames, collect and
// decode reply frames.
#pragma once

#include "hv/ctl/cobs.hpp"
#include "hv/ctl/crc32.hpp"
#include "hv/ctl/server.hpp"

#include <vector>

namespace rthv::test {

struct CollectSink final : ctl::ByteSink {
    void write(const uint8_t* bytes, size_t n) override {
        data.insert(data.end(), bytes, bytes + n);
    }
    std::vector<uint8_t> data;
};

struct DecodedReply {
    ctl::FrameHeader header;
    std::vector<uint8_t> payload;
};

// Splits and decodes every frame in bytes; returns false if any chunk is not a valid frame.
inline bool decode_replies(const std::vector<uint8_t>& bytes, std::vector<DecodedReply>& out) {
    ctl::FrameSplitter splitter;
    static uint8_t raw[ctl::kMaxFrame];
    for (uint8_t b : bytes) {
        if (!splitter.push(b)) continue;
        size_t len = 0;
        ctl::FrameView view;
        if (!ctl::cobs_decode(splitter.chunk(), splitter.chunk_length(), raw, sizeof raw, len) ||
            ctl::parse_frame(raw, len, view) != ctl::FrameStatus::Ok)
            return false;
        out.push_back(
            {view.header, std::vector<uint8_t>(view.payload, view.payload + view.length)});
    }
    return true;
}

inline std::vector<uint8_t> frame(uint8_t type, uint32_t seq, const std::vector<uint8_t>& payload) {
    std::vector<uint8_t> out(ctl::kMaxEncoded);
    out.resize(
        ctl::encode_frame(type, seq, payload.data(), payload.size(), out.data(), out.size()));
    return out;
}

// Stuffs an arbitrary raw frame (header fields and CRC as given) for malformed-frame tests.
inline std::vector<uint8_t> stuff(const std::vector<uint8_t>& raw) {
    std::vector<uint8_t> out(ctl::cobs_max_encoded(raw.size()) + 2);
    out[0] = 0;
    const size_t n = ctl::cobs_encode(raw.data(), raw.size(), out.data() + 1, out.size() - 2);
    out[n + 1] = 0;
    out.resize(n + 2);
    return out;
}

// A raw (unstuffed) frame with a correct CRC unless crc_ok is false.
inline std::vector<uint8_t> raw_frame(uint8_t version, uint8_t type, uint32_t seq, uint16_t length,
                                      const std::vector<uint8_t>& payload, bool crc_ok = true) {
    std::vector<uint8_t> raw = {ctl::kMagic0, ctl::kMagic1, version, type};
    for (int i = 0; i < 4; ++i) raw.push_back(static_cast<uint8_t>(seq >> (8 * i)));
    raw.push_back(static_cast<uint8_t>(length));
    raw.push_back(static_cast<uint8_t>(length >> 8));
    raw.insert(raw.end(), payload.begin(), payload.end());
    uint32_t crc = ctl::crc32(raw.data(), raw.size()) ^ (crc_ok ? 0u : 1u);
    for (int i = 0; i < 4; ++i) raw.push_back(static_cast<uint8_t>(crc >> (8 * i)));
    return raw;
}

} // namespace rthv::test
