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
