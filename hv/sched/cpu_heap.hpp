// Indexed binary max-heap of pCPUs ordered by the priority key of the VCPU each one runs: the
// top is the CPU running the least urgent VCPU, i.e. the one a newcomer should preempt (tickle).
// O(1) top, O(log m) insert/erase/update, no allocation (fixed arrays of kMaxCpus).
#pragma once

#include "hv/sched/vcpu.hpp"

namespace rthv {

class CpuHeap {
public:
    // `current` is the scheduler's array of running VCPUs indexed by CPU; the key of
    // current[c] orders CPU c. Callers keep every member's current[c] non-null.
    void init(Vcpu* const* current);
    void clear();

    bool contains(CpuId cpu) const { return pos_[cpu] != kAbsent; }
    bool empty() const { return size_ == 0; }
    uint16_t size() const { return size_; }
    // CPU running the VCPU with the largest key, kMaxCpus if empty.
    CpuId top() const { return size_ ? heap_[0] : kMaxCpus; }

    void insert(CpuId cpu);
    void erase(CpuId cpu);
    // The key of cpu's current VCPU changed (or cpu got a new current): restore the order.
    void update(CpuId cpu);
    // Heap order and index consistency, O(size + |cpus|) (for verify()): every member is in
    // `cpus`, and no CPU of `cpus` outside the heap claims a position. Entries of CPUs outside
    // `cpus` are not looked at; the caller passes every CPU that may ever be inserted.
    bool consistent(const CpuSet& cpus) const;
    // The same over all kMaxCpus positions (O(kMaxCpus)).
    bool consistent() const { return consistent(CpuSet::first_n(kMaxCpus)); }

private:
    static constexpr uint16_t kAbsent = 0xffff;
    bool above(uint16_t a, uint16_t b) const; // CPU a less urgent than CPU b
    void place(uint16_t index, uint16_t cpu);
    void sift_up(uint16_t index);
    void sift_down(uint16_t index);

    Vcpu* const* current_ = nullptr;
    uint16_t size_ = 0;
    uint16_t heap_[kMaxCpus] = {};
    uint16_t pos_[kMaxCpus] = {};
};

} // namespace rthv
