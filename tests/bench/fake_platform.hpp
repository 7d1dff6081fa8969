// The smallest Platform that benchmarks and baseline tests need: time is whatever the caller
// sets, arm() only records the deadline per CPU, kick() only records which CPUs want to run
// their scheduler (each CPU once until it is popped, like a pending reschedule IPI).
#pragma once

#include "hv/lib/cpu_set.hpp"
#include "hv/platform.hpp"

namespace rthv::bench {

class FakePlatform final : public Platform {
public:
    FakePlatform() {
        for (Time& t : armed_) t = kTimeNever;
    }
    Time now() const override { return now_; }
    void arm(CpuId cpu, Time deadline) override { armed_[cpu] = deadline; }
    void kick(CpuId cpu) override {
        ++kicks_;
        if (pending_.test(cpu)) return;
        pending_.set(cpu);
        queue_[(head_ + count_) % kMaxCpus] = cpu;
        ++count_;
    }

    void set_now(Time t) { now_ = t; }
    void advance(Duration d) { now_ += d; }
    Time armed(CpuId cpu) const { return armed_[cpu]; }
    uint64_t kicks() const { return kicks_; }
    bool kicked(CpuId cpu) const { return pending_.test(cpu); }
    bool has_kicks() const { return count_ != 0; }

    // The oldest CPU kicked and not yet served; the caller runs its scheduler.
    CpuId pop_kick() {
        CpuId cpu = queue_[head_];
        head_ = (head_ + 1) % kMaxCpus;
        --count_;
        pending_.clear(cpu);
        return cpu;
    }
    void forget_kicks() {
        while (has_kicks()) pop_kick();
    }

private:
    Time now_ = 0;
    Time armed_[kMaxCpus];
    CpuSet pending_;
    CpuId queue_[kMaxCpus] = {};
    CpuId head_ = 0;
    CpuId count_ = 0;
    uint64_t kicks_ = 0;
};

// Serve every pending kick by calling `schedule(cpu)`, as the platform protocol requires;
// scheduling may kick further CPUs, which are served too.
template <typename Schedule>
void serve_kicks(FakePlatform& platform, Schedule schedule) {
    while (platform.has_kicks()) schedule(platform.pop_kick());
}

} // namespace rthv::bench
