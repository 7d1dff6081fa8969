// A Platform for tests where real threads act as pCPUs (under ThreadSanitizer): steady-clock
// time, and per-CPU armed deadlines and kick flags that each CPU thread polls and consumes.
#pragma once

#include "hv/platform.hpp"

#include <atomic>
#include <chrono>

namespace rthv::testing {

template <CpuId kCpus>
class ThreadPlatform final : public Platform {
public:
    ThreadPlatform() : start_(std::chrono::steady_clock::now()) {
        for (auto& a : armed) a.store(kTimeNever);
        for (auto& k : kicked) k.store(false);
    }
    Time now() const override {
        auto d = std::chrono::steady_clock::now() - start_;
        return static_cast<Time>(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count());
    }
    void arm(CpuId cpu, Time deadline) override { armed[cpu].store(deadline); }
    void kick(CpuId cpu) override { kicked[cpu].store(true); }

    std::atomic<Time> armed[kCpus];
    std::atomic<bool> kicked[kCpus];

private:
    std::chrono::steady_clock::time_point start_;
};

} // namespace rthv::testing
