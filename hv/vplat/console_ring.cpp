// ConsoleRing: the single-writer, lock-free byte ring of a domain's console (see the header for
// the protocol). Bytes are accessed with atomics: a reader may copy a slot while the writer
// overwrites it, and that race must be defined behaviour (then detected via claim_).
#include "hv/vplat/console_ring.hpp"

namespace rthv::vplat {

namespace {
constexpr uint64_t kMask = ConsoleRing::kCapacity - 1;
constexpr uint64_t kCap64 = ConsoleRing::kCapacity;
} // namespace

void ConsoleRing::put(uint8_t byte) {
    // Only the writer stores head_, so a relaxed load of it reads our own last store.
    uint64_t p = __atomic_load_n(&head_, __ATOMIC_RELAXED);
    // Announce the overwrite of slot p % N (which held position p - N) before doing it.
    // Sequentially consistent (not a fence: TSan cannot check fences): a reader that copies
    // this byte then sees this claim too.
    __atomic_store_n(&claim_, p + 1, __ATOMIC_SEQ_CST);
    __atomic_store_n(&buf_[p & kMask], byte, __ATOMIC_SEQ_CST);
    __atomic_store_n(&head_, p + 1, __ATOMIC_RELEASE);
}

ConsoleRing::Cursor ConsoleRing::oldest() const {
    uint64_t h = total_written();
    return Cursor{h > kCap64 ? h - kCap64 : 0};
}

size_t ConsoleRing::read(Cursor& c, uint8_t* dst, size_t cap, uint64_t& lost) const {
    const uint64_t old_pos = c.pos;
    const uint64_t h = __atomic_load_n(&head_, __ATOMIC_ACQUIRE);
    lost = 0;
    if (old_pos > h) { // not a cursor of this ring's stream (or from before a reset): resync
        c.pos = h;
        return 0;
    }
    uint64_t start = old_pos;
    if (h - start > kCap64) start = h - kCap64; // fell behind: the ring no longer holds these
    uint64_t n = h - start;
    if (n > cap) n = cap;
    for (uint64_t i = 0; i < n; ++i) {
        dst[i] = __atomic_load_n(&buf_[(start + i) & kMask], __ATOMIC_SEQ_CST);
    }
    // Which of the copied bytes may the writer have overwritten meanwhile? Those below the
    // oldest position its claim still leaves intact.
    const uint64_t claim = __atomic_load_n(&claim_, __ATOMIC_SEQ_CST);
    const uint64_t valid_from = claim > kCap64 ? claim - kCap64 : 0;
    uint64_t end = start + n;
    const uint64_t from = start > valid_from ? start : valid_from;
    if (from > end) end = from; // everything copied is suspect: resume at the oldest intact
    const uint64_t kept = end - from;
    const uint64_t shift = from - start;
    if (shift != 0) {
        for (uint64_t i = 0; i < kept; ++i) dst[i] = dst[i + shift];
    }
    c.pos = end;
    lost = end - old_pos - kept;
    return static_cast<size_t>(kept);
}

} // namespace rthv::vplat
