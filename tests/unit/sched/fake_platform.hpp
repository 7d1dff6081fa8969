// Minimal platform for scheduler unit tests: manual time, records arms and kicks, and a rig that
// fires due timers and answers kicks deterministically (FIFO), like the simulator does.
#pragma once

#include "hv/sched/rtds.hpp"

#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace rthv::test {

inline constexpr Time kUs = 1000;
inline constexpr Time kMs = 1000 * kUs;

class FakePlatform final : public Platform {
public:
    FakePlatform() {
        for (Time& d : armed) d = kTimeNever;
    }
    Time now() const override { return time; }
    void arm(CpuId cpu, Time deadline) override {
        armed[cpu] = deadline;
        ++arm_calls;
    }
    void kick(CpuId cpu) override {
        kicks.push_back(cpu);
        kick_log.push_back(cpu);
    }

    Time time = 0;
    Time armed[kMaxCpus];
    unsigned arm_calls = 0;
    std::deque<CpuId> kicks;     // not yet answered
    std::vector<CpuId> kick_log; // every kick ever sent
};

inline Params params(uint64_t period_us, uint64_t budget_us, bool extratime = false,
                     WakeRule rule = WakeRule::Deferrable) {
    return Params{period_us, budget_us, extratime, rule};
}

// One scheduler over `ncpus` CPUs with the fake platform.
class Rig {
public:
    explicit Rig(CpuId ncpus) : ncpus_(ncpus), sched(std::make_unique<Scheduler>()) {
        timers.init(platform, ncpus);
        sched->init(platform, timers, ncpus);
    }

    // Answer every pending kick (and kicks those schedules cause) at the current time.
    void settle() {
        while (!platform.kicks.empty()) {
            CpuId cpu = platform.kicks.front();
            platform.kicks.pop_front();
            sched->schedule(cpu);
        }
    }

    // Move time to `until`, firing every CPU's armed deadline in time order (lowest CPU first on
    // ties) and settling after each.
    void advance_to(Time until) {
        settle();
        for (;;) {
            CpuId first = kMaxCpus;
            for (CpuId c = 0; c < ncpus_; ++c)
                if (platform.armed[c] <= until &&
                    (first == kMaxCpus || platform.armed[c] < platform.armed[first]))
                    first = c;
            if (first == kMaxCpus) break;
            if (platform.armed[first] > platform.time) platform.time = platform.armed[first];
            platform.armed[first] = kTimeNever;
            timers.expire(first, platform.time);
            settle();
        }
        if (until > platform.time) platform.time = until;
    }
    void advance(Time delta) { advance_to(platform.time + delta); }

    Status insert(Vcpu& v, const Params& p, CpuSet affinity = CpuSet::first_n(kMaxCpus),
                  PoolId pool = 0, bool force = false) {
        return sched->insert(v, pool, p, affinity, force);
    }

    Vcpu* cur(CpuId cpu) const { return sched->current(cpu); }
    Time now() const { return platform.time; }
    std::string dump() const {
        static char buf[1 << 16];
        BufferSink sink(buf, sizeof buf);
        sched->dump(sink);
        return buf;
    }
    const char* verify() const { return sched->verify(); }

    FakePlatform platform;
    TimerCore timers;

private:
    CpuId ncpus_;

public:
    std::unique_ptr<Scheduler> sched;
};

template <typename T>
std::string text_of(const T& formattable) {
    char buf[1024];
    BufferSink sink(buf, sizeof buf);
    formattable.format(sink);
    return buf;
}

} // namespace rthv::test
