// Indexed max-heap of CPUs by running key (see cpu_heap.hpp).
#include "hv/sched/cpu_heap.hpp"

namespace rthv {

void CpuHeap::init(Vcpu* const* current) {
    current_ = current;
    clear();
}

void CpuHeap::clear() {
    size_ = 0;
    for (uint16_t& p : pos_) p = kAbsent;
}

bool CpuHeap::above(uint16_t a, uint16_t b) const {
    return key_before(current_[b]->key(), current_[a]->key());
}

void CpuHeap::place(uint16_t index, uint16_t cpu) {
    heap_[index] = cpu;
    pos_[cpu] = index;
}

void CpuHeap::sift_up(uint16_t index) {
    uint16_t cpu = heap_[index];
    while (index > 0) {
        uint16_t parent = static_cast<uint16_t>((index - 1) / 2);
        if (!above(cpu, heap_[parent])) break;
        place(index, heap_[parent]);
        index = parent;
    }
    place(index, cpu);
}

void CpuHeap::sift_down(uint16_t index) {
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

void CpuHeap::insert(CpuId cpu) {
    uint16_t index = size_++;
    place(index, static_cast<uint16_t>(cpu));
    sift_up(index);
}

void CpuHeap::erase(CpuId cpu) {
    uint16_t index = pos_[cpu];
    pos_[cpu] = kAbsent;
    --size_;
    if (index == size_) return;
    place(index, heap_[size_]);
    update(heap_[index]);
}

void CpuHeap::update(CpuId cpu) {
    uint16_t index = pos_[cpu];
    sift_up(index);
    sift_down(pos_[cpu]);
}

bool CpuHeap::consistent(const CpuSet& cpus) const {
    for (uint16_t i = 0; i < size_; ++i) {
        uint16_t cpu = heap_[i];
        if (!cpus.test(cpu) || pos_[cpu] != i || current_[cpu] == nullptr) return false;
        if (i > 0 && above(cpu, heap_[(i - 1) / 2])) return false;
    }
    // Every member is in `cpus` at a distinct index (checked above), so exactly size_ of them
    // claim a position unless a stale pos_ entry survived an erase.
    uint16_t members = 0;
    for (CpuId c = cpus.first(); c != CpuSet::kNone;
         c = c + 1 < kMaxCpus ? cpus.next(c + 1) : CpuSet::kNone)
        members = static_cast<uint16_t>(members + (pos_[c] != kAbsent ? 1 : 0));
    return members == size_;
}

} // namespace rthv
