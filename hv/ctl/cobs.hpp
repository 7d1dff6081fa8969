// Consistent Overhead Byte Stuffing: removes every 0x00 from a frame so that 0x00 can delimit
// frames on the byte stream. A receiver that lost sync (garbage, a dropped byte, a client that
// disconnected mid-frame) is back in sync at the next 0x00, whatever lengths the damaged bytes
// claimed - the reason we stuff instead of trusting a length prefix.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace rthv::ctl {

// Worst-case encoded size of n bytes.
constexpr size_t cobs_max_encoded(size_t n) { return n + n / 254 + 1; }

// Encodes in[0..n) into out; returns the encoded length, or 0 if cap is too small.
size_t cobs_encode(const uint8_t* in, size_t n, uint8_t* out, size_t cap);

// Decodes in[0..n) (no delimiters) into out; returns false on malformed input (a 0x00 inside,
// a code byte running past the end) or if the result does not fit in cap.
bool cobs_decode(const uint8_t* in, size_t n, uint8_t* out, size_t cap, size_t& out_len);

} // namespace rthv::ctl
