// The reference model's timers: a flat list scanned linearly. Same observable contract as
// hv/timer's TimerCore: per CPU, fire in (deadline, order of add) order, everything <= now,
// including timers added by callbacks; the platform is armed with each CPU's earliest deadline.
#pragma once

#include "hv/platform.hpp"

#include <cstdint>
#include <functional>
#include <vector>

namespace rthv::simtest {

class ReferenceTimers {
public:
    using Callback = std::function<void(Time now)>;

    ReferenceTimers(Platform& platform, CpuId cpus)
        : platform_(platform), next_seq_(cpus, 0), programmed_(cpus, kTimeNever) {}

    // Timer ids are small integers chosen by the caller; add() moves a queued timer.
    void add(uint32_t id, CpuId cpu, Time deadline, Callback fn) {
        cancel(id);
        entries_.push_back({id, cpu, deadline, next_seq_[cpu]++, std::move(fn)});
        reprogram(cpu);
    }
    void cancel(uint32_t id) {
        for (size_t i = 0; i < entries_.size(); ++i) {
            if (entries_[i].id != id) continue;
            CpuId cpu = entries_[i].cpu;
            entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(i));
            reprogram(cpu);
            return;
        }
    }
    void expire(CpuId cpu, Time now) {
        for (;;) {
            size_t best = entries_.size();
            for (size_t i = 0; i < entries_.size(); ++i) {
                const Entry& e = entries_[i];
                if (e.cpu != cpu || e.deadline > now) continue;
                if (best == entries_.size() || e.deadline < entries_[best].deadline ||
                    (e.deadline == entries_[best].deadline && e.seq < entries_[best].seq))
                    best = i;
            }
            if (best == entries_.size()) break;
            Callback fn = std::move(entries_[best].fn);
            entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(best));
            fn(now);
        }
        if (programmed_[cpu] != kTimeNever && programmed_[cpu] <= now)
            programmed_[cpu] = kTimeNever;
        reprogram(cpu);
    }

private:
    struct Entry {
        uint32_t id;
        CpuId cpu;
        Time deadline;
        uint64_t seq;
        Callback fn;
    };
    void reprogram(CpuId cpu) {
        const Entry* head = nullptr;
        for (const Entry& e : entries_)
            if (e.cpu == cpu && (!head || e.deadline < head->deadline ||
                                 (e.deadline == head->deadline && e.seq < head->seq)))
                head = &e;
        Time want = head ? head->deadline : kTimeNever;
        if (want == programmed_[cpu]) return;
        programmed_[cpu] = want;
        platform_.arm(cpu, want);
    }

    Platform& platform_;
    std::vector<uint64_t> next_seq_;
    std::vector<Time> programmed_;
    std::vector<Entry> entries_;
};

} // namespace rthv::simtest
