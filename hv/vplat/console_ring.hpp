// A domain's console output: every byte its UART transmits, kept in a fixed ring so that two
// readers can consume it at their own pace: the hypervisor's log (end-of-run dump) and
// `xl console` over the control channel. Each reader owns a Cursor; a reader that falls more
// than kCapacity bytes behind skips to the oldest byte still held and is told how many it lost.
//
// Concurrency: lock-free, ONE writer, any number of readers on any CPUs. The writer (the
// guest's CPU inside a THR write) never waits for a reader, so a slow `xl console` on CPU 0
// cannot stretch the guest's I/O exit; that is why this is not a Spinlock. Writers on several
// CPUs (a multi-VCPU guest) must be serialized by the caller (the lock that serializes the UART);
// its hand-off then orders them. Protocol (a seqlock per byte position):
//   writer:  claim_ = p+1; release fence; buf[p % N] = byte; head_ = p+1 (release)
//   reader:  h = head_ (acquire); copy [start, h); acquire fence; c = claim_
// A copied byte q is trusted only if q >= c - N: a writer that overwrote q's slot (position
// q+N) had published claim_ >= q+N+1 before its store, and the fence pair makes that visible.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace rthv::vplat {

class ConsoleRing {
public:
    // 16 KiB holds a full Linux boot log's tail (the last ~200 lines); a power of two so that a
    // position maps to a slot with a mask.
    static constexpr size_t kCapacity = 16384;
    static_assert((kCapacity & (kCapacity - 1)) == 0, "kCapacity must be a power of two");

    // A reader's position in the stream of all bytes ever written (not a slot index), so that
    // "how far behind" is a subtraction and never ambiguous after wraparound.
    struct Cursor {
        uint64_t pos = 0;
    };

    // Writer side. Never blocks; overwrites the oldest byte once the ring is full.
    void put(uint8_t byte);

    // Copies up to `cap` of the bytes after `c` into `dst`, in order, and advances `c` past them.
    // `lost` is set to the bytes skipped because they were overwritten before this reader got
    // to them (0 when it kept up). Returns the bytes copied; 0 with lost == 0 means caught up.
    // Invariant: new c.pos - old c.pos == returned + lost.
    size_t read(Cursor& c, uint8_t* dst, size_t cap, uint64_t& lost) const;

    // Bytes written since construction (the position the next put() fills).
    uint64_t total_written() const { return __atomic_load_n(&head_, __ATOMIC_ACQUIRE); }
    // Cursors for a reader that attaches late: at the oldest byte still held (a log dump), or at
    // the present (an `xl console` that wants only new output).
    Cursor oldest() const;
    Cursor now() const { return Cursor{total_written()}; }

private:
    uint64_t head_ = 0;  // bytes published; written by the writer only
    uint64_t claim_ = 0; // position the writer may be overwriting now + 1 (>= head_)
    uint8_t buf_[kCapacity] = {};
};

} // namespace rthv::vplat
