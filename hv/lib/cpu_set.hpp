// A fixed-size set of physical CPUs (hard affinity, pool membership, idle/tickled masks).
// Fixed size so it needs no allocation in the hypervisor.
#pragma once

#include "hv/lib/types.hpp"

namespace rthv {

class CpuSet {
public:
    static constexpr CpuId kNone = kMaxCpus;

    constexpr CpuSet() = default;
    static constexpr CpuSet first_n(CpuId n) {
        CpuSet s;
        for (CpuId c = 0; c < n && c < kMaxCpus; ++c) s.set(c);
        return s;
    }
    static constexpr CpuSet single(CpuId c) {
        CpuSet s;
        s.set(c);
        return s;
    }

    constexpr void set(CpuId c) { words_[c / 64] |= bit(c); }
    constexpr void clear(CpuId c) { words_[c / 64] &= ~bit(c); }
    constexpr bool test(CpuId c) const { return c < kMaxCpus && (words_[c / 64] & bit(c)) != 0; }

    constexpr bool empty() const {
        for (uint64_t w : words_)
            if (w != 0) return false;
        return true;
    }
    constexpr CpuId count() const {
        CpuId n = 0;
        for (uint64_t w : words_) n += static_cast<CpuId>(__builtin_popcountll(w));
        return n;
    }
    // Lowest member >= from, or kNone.
    constexpr CpuId next(CpuId from) const {
        for (CpuId wi = from / 64; wi < kWords; ++wi) {
            uint64_t w = words_[wi];
            if (wi == from / 64) w &= ~uint64_t{0} << (from % 64);
            if (w != 0) return wi * 64 + static_cast<CpuId>(__builtin_ctzll(w));
        }
        return kNone;
    }
    constexpr CpuId first() const { return next(0); }
    // First member at or after `start`, wrapping around: "prefer the CPU it last ran on".
    constexpr CpuId next_wrapping(CpuId start) const {
        CpuId c = start < kMaxCpus ? next(start) : kNone;
        return c != kNone ? c : first();
    }

    constexpr CpuSet operator&(const CpuSet& o) const {
        CpuSet r;
        for (CpuId i = 0; i < kWords; ++i) r.words_[i] = words_[i] & o.words_[i];
        return r;
    }
    constexpr CpuSet operator|(const CpuSet& o) const {
        CpuSet r;
        for (CpuId i = 0; i < kWords; ++i) r.words_[i] = words_[i] | o.words_[i];
        return r;
    }
    constexpr CpuSet operator~() const {
        CpuSet r;
        for (CpuId i = 0; i < kWords; ++i) r.words_[i] = ~words_[i];
        return r;
    }
    constexpr bool operator==(const CpuSet&) const = default;
    constexpr bool subset_of(const CpuSet& o) const { return (*this & o) == *this; }

private:
    static constexpr CpuId kWords = kMaxCpus / 64;
    static constexpr uint64_t bit(CpuId c) { return uint64_t{1} << (c % 64); }
    uint64_t words_[kWords] = {};
};

} // namespace rthv
