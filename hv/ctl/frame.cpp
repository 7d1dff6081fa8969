// Frame encoding, checking and stream splitting.
#include "hv/ctl/frame.hpp"

#include "hv/ctl/cobs.hpp"
#include "hv/ctl/crc32.hpp"

namespace rthv::ctl {

size_t encode_frame(uint8_t type, uint32_t seq, const uint8_t* payload, size_t len, uint8_t* out,
                    size_t cap) {
    if (len > kMaxPayload || cap < 2) return 0;
    uint8_t raw[kMaxFrame];
    Writer w(raw, sizeof raw);
    w.u8(kMagic0);
    w.u8(kMagic1);
    w.u8(kVersion);
    w.u8(type);
    w.u32(seq);
    w.u16(static_cast<uint16_t>(len));
    w.bytes(payload, len);
    w.u32(crc32(raw, w.size()));
    if (!w.ok()) return 0;
    out[0] = 0;
    const size_t n = cobs_encode(raw, w.size(), out + 1, cap - 2);
    if (n == 0) return 0;
    out[n + 1] = 0;
    return n + 2;
}

FrameStatus parse_frame(const uint8_t* raw, size_t n, FrameView& view) {
    view = FrameView{};
    if (n < kHeaderSize + kTrailerSize || raw[0] != kMagic0 || raw[1] != kMagic1)
        return FrameStatus::NotAFrame;
    Reader r(raw + 2, kHeaderSize - 2);
    view.header.version = r.u8();
    view.header.type = r.u8();
    view.header.seq = r.u32();
    view.header.length = r.u16();
    Reader tail(raw + n - kTrailerSize, kTrailerSize);
    if (crc32(raw, n - kTrailerSize) != tail.u32()) return FrameStatus::BadChecksum;
    if (view.header.version != kVersion) return FrameStatus::BadVersion;
    const size_t payload = n - kHeaderSize - kTrailerSize;
    if (view.header.length != payload || payload > kMaxPayload) return FrameStatus::BadLength;
    view.payload = raw + kHeaderSize;
    view.length = payload;
    return FrameStatus::Ok;
}

bool FrameSplitter::push(uint8_t byte) {
    if (ready_) {
        ready_ = false;
        len_ = 0;
    }
    if (byte == 0) {
        if (discarding_) {
            discarding_ = false;
            len_ = 0;
            return false;
        }
        ready_ = len_ > 0;
        return ready_;
    }
    if (discarding_) return false;
    if (len_ == sizeof buf_) {
        ++oversized_;
        discarding_ = true;
        len_ = 0;
        return false;
    }
    buf_[len_++] = byte;
    return false;
}

void FrameSplitter::reset() {
    len_ = 0;
    ready_ = false;
    discarding_ = false;
}

} // namespace rthv::ctl
