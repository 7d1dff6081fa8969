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
    // Inline, like the sifts below: it runs at every replenishment of a running VCPU and every
    // schedule(), and at small m it is a comparison or three that mostly find the key still
    // between its parent and children (the sifts then stop at once; the order is the same).
    void update(CpuId cpu) {
        sift_up(pos_[cpu]);
        sift_down(pos_[cpu]);
    }
    // Heap order and index consistency, O(size + |cpus|) (for verify()): every member is in
    // `cpus`, and no CPU of `cpus` outside the heap claims a position. Entries of CPUs outside
    // `cpus` are not looked at; the caller passes every CPU that may ever be inserted.
    bool consistent(const CpuSet& cpus) const;
    // The same over all kMaxCpus positions (O(kMaxCpus)).
    bool consistent() const { return consistent(CpuSet::first_n(kMaxCpus)); }

private:
    static constexpr uint16_t kAbsent = 0xffff;
    // CPU a less urgent than CPU b.
    bool above(uint16_t a, uint16_t b) const {
        return key_before(current_[b]->key(), current_[a]->key());
    }
    void place(uint16_t index, uint16_t cpu) {
        heap_[index] = cpu;
        pos_[cpu] = index;
    }
    void sift_up(uint16_t index) {
        uint16_t cpu = heap_[index];
        while (index > 0) {
            uint16_t parent = static_cast<uint16_t>((index - 1) / 2);
            if (!above(cpu, heap_[parent])) break;
            place(index, heap_[parent]);
            index = parent;
        }
        place(index, cpu);
    }
    void sift_down(uint16_t index) {
        uint16_t cpu = heap_[index];
        for (;;) {
            uint32_t child = 2u * index + 1u;
            if (child >= size_) break;
            if (child + 1 < size_ && above(heap_[child + 1], heap_[child])) ++child;
            if (!above(heap_[child], cpu)) break;
            place(index, heap_[child]);
            index = static_cast<uint16_t>(child);
        }
        place(index, cpu);
    }

    Vcpu* const* current_ = nullptr;
    uint16_t size_ = 0;
    uint16_t heap_[kMaxCpus] = {};
    uint16_t pos_[kMaxCpus] = {};
};

} // namespace rthv
