// COBS encoder/decoder over caller storage; every index is checked against both buffers.
#include "hv/ctl/cobs.hpp"

namespace rthv::ctl {

size_t cobs_encode(const uint8_t* in, size_t n, uint8_t* out, size_t cap) {
    if (cap < cobs_max_encoded(n)) return 0;
    size_t code_at = 0;
    size_t o = 1;
    uint8_t code = 1;
    for (size_t i = 0; i < n; ++i) {
        if (in[i] == 0) {
            out[code_at] = code;
            code_at = o++;
            code = 1;
            continue;
        }
        out[o++] = in[i];
        if (++code == 0xFF) {
            out[code_at] = code;
            code_at = o++;
            code = 1;
        }
    }
    out[code_at] = code;
    return o;
}

bool cobs_decode(const uint8_t* in, size_t n, uint8_t* out, size_t cap, size_t& out_len) {
    size_t i = 0;
    size_t o = 0;
    out_len = 0;
    while (i < n) {
        const uint8_t code = in[i++];
        if (code == 0) return false;
        const size_t run = code - 1u;
        if (run > n - i || run > cap - o) return false;
        for (size_t k = 0; k < run; ++k) {
            if (in[i] == 0) return false;
            out[o++] = in[i++];
        }
        // A full block (0xFF) implies no zero; any shorter block ends in one unless it is last.
        if (code != 0xFF && i < n) {
            if (o >= cap) return false;
            out[o++] = 0;
        }
    }
    out_len = o;
    return true;
}

} // namespace rthv::ctl
