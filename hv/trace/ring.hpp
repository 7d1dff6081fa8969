// A per-pCPU trace ring: single producer (the CPU it belongs to, or whoever holds the lock that
// serialises that CPU's events), single consumer (the reader that drains it). Lock-free: the
// producer never waits for the reader, it drops instead, and counts every record it drops.
//
// Why drop-newest and not overwrite-oldest: overwriting needs the producer to move the reader's
// index, i.e. a CAS race with the reader; dropping keeps both indices single-writer (the
// classic Lamport SPSC queue), and what was lost is still known exactly: `dropped()` counts it
// and the next record that fits is preceded by a Lost record saying how many went missing there.
#pragma once

#include "hv/trace/record.hpp"

namespace rthv::trace {

class TraceRing {
public:
    // `storage` must hold `capacity` records, capacity a power of two >= 2 (index masking).
    // Returns false (and leaves the ring unusable) otherwise. Not thread-safe: call before use.
    bool init(TraceRecord* storage, uint32_t capacity, CpuId owner);

    // Producer side. Returns false if the record was dropped because the ring was full.
    bool push(const TraceRecord& r);

    // Consumer side: copies up to `max` of the oldest records into `out`, in the order they
    // were pushed, frees their slots, and returns how many it copied.
    uint32_t drain(TraceRecord* out, uint32_t max);

    // Consumer side, in two steps for a reader whose copies may get lost on the way (the
    // control channel): records are numbered by position since init (read_pos() is the oldest
    // one still held, write_pos() one past the newest). peek() copies up to `max` records from
    // position `from` without freeing them; release_to(pos) frees everything before `pos`. A
    // reader that lost a reply asks for the same `from` again and gets the same records.
    // Both return false / 0 and change nothing for a position outside [read_pos, write_pos].
    uint64_t read_pos() const { return __atomic_load_n(&tail_, __ATOMIC_RELAXED); }
    uint64_t write_pos() const { return __atomic_load_n(&head_, __ATOMIC_ACQUIRE); }
    uint32_t peek(uint64_t from, TraceRecord* out, uint32_t max) const;
    bool release_to(uint64_t pos);

    // Any thread. Exact totals since init: kept + dropped == push() calls.
    uint64_t dropped() const { return __atomic_load_n(&dropped_, __ATOMIC_RELAXED); }
    uint64_t kept() const { return __atomic_load_n(&kept_, __ATOMIC_RELAXED); }
    uint32_t capacity() const { return static_cast<uint32_t>(mask_ + 1); }
    CpuId owner() const { return owner_; }

private:
    static constexpr size_t kLine = 64; // keep the two indices on different cache lines

    TraceRecord* slots_ = nullptr;
    uint64_t mask_ = 0;
    CpuId owner_ = 0;
    // Producer-owned line: head is published with release so the records before it are visible.
    alignas(kLine) uint64_t head_ = 0;
    uint64_t unreported_ = 0; // drops not yet announced by a Lost record (producer only)
    uint64_t dropped_ = 0;
    uint64_t kept_ = 0;
    // Consumer-owned line: tail is published with release so the producer may reuse the slots.
    alignas(kLine) uint64_t tail_ = 0;
};

} // namespace rthv::trace
