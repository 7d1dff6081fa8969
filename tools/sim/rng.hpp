// A tiny seeded generator (SplitMix64) with our own range helpers. The standard library's
// distributions are implementation-defined, and scenarios must replay bit for bit on any host.
#pragma once

#include <cstdint>

namespace rthv::sim {

class Rng {
public:
    explicit Rng(uint64_t seed) : state_(seed) {}

    uint64_t next() {
        uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    // Uniform in [lo, hi] (inclusive). The modulo bias is irrelevant at our range sizes.
    uint64_t range(uint64_t lo, uint64_t hi) {
        if (hi <= lo) return lo;
        return lo + next() % (hi - lo + 1);
    }
    bool chance(uint32_t percent) { return next() % 100 < percent; }

private:
    uint64_t state_;
};

// Derive independent streams (one per VCPU) from one scenario seed.
inline uint64_t mix_seed(uint64_t seed, uint64_t stream) {
    return Rng(seed ^ (stream * 0xd1b54a32d192ed03ull)).next();
}

} // namespace rthv::sim
