// How many records each pCPU's trace ring holds: the rings share one static pool (the
// hypervisor has no heap), so the default is the largest power of two that gives every CPU an
// equal share, and a requested size (kernel command line trace_ring=N, e.g. to force overflow
// in a test) must be a power of two (index masking, ring.hpp) that fits the same share.
#pragma once

#include "hv/lib/types.hpp"

namespace rthv::trace {

inline constexpr uint32_t kMinRingRecords = 16;

struct RingSize {
    uint32_t records = 0; // the capacity to use; 0 when the request is refused
    uint32_t largest = 0; // the largest capacity allowed (the default)
};

constexpr bool is_power_of_two(uint64_t v) { return v != 0 && (v & (v - 1)) == 0; }

// `pool` records for `ncpus` rings of at most `limit` records each; `requested` 0 = default.
constexpr RingSize ring_size(uint32_t pool, uint32_t limit, uint32_t ncpus, uint64_t requested) {
    RingSize r;
    const uint32_t share = pool / (ncpus == 0 ? 1 : ncpus);
    r.largest = limit;
    while (r.largest > share) r.largest /= 2;
    if (r.largest < kMinRingRecords) r.largest = 0;
    if (requested == 0)
        r.records = r.largest;
    else if (is_power_of_two(requested) && requested >= kMinRingRecords && requested <= r.largest)
        r.records = static_cast<uint32_t>(requested);
    return r;
}

} // namespace rthv::trace
