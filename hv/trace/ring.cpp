// Lamport's single-producer single-consumer ring with monotonically increasing 64-bit indices
// (they never wrap in practice: 2^64 records at one per ns is 584 years), so full is
// head - tail == capacity and no slot has to be sacrificed to tell full from empty.
#include "hv/trace/ring.hpp"

namespace rthv::trace {

bool TraceRing::init(TraceRecord* storage, uint32_t capacity, CpuId owner) {
    slots_ = nullptr;
    mask_ = 0;
    if (!storage || capacity < 2 || (capacity & (capacity - 1)) != 0) return false;
    slots_ = storage;
    mask_ = capacity - 1u;
    owner_ = owner;
    head_ = tail_ = unreported_ = dropped_ = kept_ = 0;
    return true;
}

bool TraceRing::push(const TraceRecord& r) {
    if (!slots_) return false;
    uint64_t head = head_; // only this producer writes it
    uint64_t tail = __atomic_load_n(&tail_, __ATOMIC_ACQUIRE);
    uint64_t free_slots = (mask_ + 1) - (head - tail);
    // After a gap the Lost marker must go in first, so a gap needs room for two.
    uint64_t needed = unreported_ ? 2 : 1;
    if (free_slots < needed) {
        ++unreported_;
        __atomic_store_n(&dropped_, dropped_ + 1, __ATOMIC_RELAXED);
        return false;
    }
    if (unreported_) {
        TraceRecord lost{};
        lost.time_ns = r.time_ns; // the gap ended before this record
        lost.arg = unreported_;
        lost.cpu = static_cast<uint16_t>(owner_);
        lost.domain = lost.vcpu = kNone16;
        lost.kind = kind_code(RecordKind::Lost);
        slots_[head & mask_] = lost;
        ++head;
        unreported_ = 0;
    }
    slots_[head & mask_] = r;
    __atomic_store_n(&head_, head + 1, __ATOMIC_RELEASE);
    __atomic_store_n(&kept_, kept_ + 1, __ATOMIC_RELAXED);
    return true;
}

uint32_t TraceRing::drain(TraceRecord* out, uint32_t max) {
    uint64_t tail = tail_; // only this consumer writes it
    uint32_t n = peek(tail, out, max);
    if (n != 0) __atomic_store_n(&tail_, tail + n, __ATOMIC_RELEASE);
    return n;
}

// The slots in [tail, head) are the consumer's until it moves tail: the producer never writes
// them, so copying them out needs no more than the acquire load of head.
uint32_t TraceRing::peek(uint64_t from, TraceRecord* out, uint32_t max) const {
    if (!slots_) return 0;
    uint64_t tail = tail_;
    uint64_t head = __atomic_load_n(&head_, __ATOMIC_ACQUIRE);
    if (from < tail || from > head) return 0;
    uint64_t n = head - from;
    if (n > max) n = max;
    for (uint64_t i = 0; i < n; ++i) out[i] = slots_[(from + i) & mask_];
    return static_cast<uint32_t>(n);
}

bool TraceRing::release_to(uint64_t pos) {
    if (!slots_) return false;
    uint64_t head = __atomic_load_n(&head_, __ATOMIC_ACQUIRE);
    if (pos < tail_ || pos > head) return false;
    __atomic_store_n(&tail_, pos, __ATOMIC_RELEASE);
    return true;
}

} // namespace rthv::trace
