// hv/platform.hpp implemented on x86: now() from the TSC, arm() on the LAPIC timer (remote CPUs
// by IPI), kick() as the reschedule IPI. The portable timer and scheduler cores use only this.
#pragma once

#include "hv/platform.hpp"

namespace rthv::x86 {

class X86Platform final : public Platform {
public:
    Time now() const override;
    void arm(CpuId cpu, Time deadline) override;
    void kick(CpuId cpu) override;
};

X86Platform& platform();

} // namespace rthv::x86
