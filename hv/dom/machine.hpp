// The per-CPU machine services of the run loop (hv/dom/run_loop.hpp), beside rthv::Platform's
// clock, timer and kick: on x86 the interrupt window, HLT, the timer flush before an entry and
// the control channel; in host tests a fake or a thread.
#pragma once

#include "hv/lib/types.hpp"

namespace rthv::dom {

class Machine {
public:
    // The clock (rthv::Platform::now's), read at every step of a pass.
    virtual Time now() = 0;
    // Interrupts this CPU has taken so far (timer expiries, IPIs, self-kicks): the loop tells
    // work done for others from work for the current guest by their change.
    virtual uint64_t interrupts_taken(CpuId cpu) = 0;
    // Pending interrupts are taken now (timer expiries run TimerCore::expire, a kick sets the
    // CPU's resched flag). Between them the loop runs with interrupts off.
    virtual void interrupt_window(CpuId cpu) = 0;
    // Nothing to run: wait for an interrupt (and take it), without losing one that comes first.
    virtual void idle(CpuId cpu) = 0;
    // Right before an entry: the timer hardware is programmed for TimerCore's earliest deadline.
    virtual void before_entry(CpuId cpu) = 0;
    // The control channel, served by one CPU between passes; true if it served a request.
    virtual bool serve_control(CpuId cpu) = 0;

protected:
    ~Machine() = default;
};

} // namespace rthv::dom
