// The per-CPU run loop of the one-guest-per-CPU mode (test=vmx-...): enter the guest, handle
// the exit, repeat; a blocked guest idles the CPU until its one-shot timer. While the guest
// runs, the CPU's timer is armed for the end of its current slice (or of the run), so even a
// guest spinning with interrupts disabled gets an external-interrupt exit every `slice`: the
// hypervisor gets the CPU back on time whatever the guest does.
#pragma once

#include "arch/x86/hvm/backend.hpp"

namespace rthv::x86::hvm {

// Where one physical CPU's time went while it ran the loop. Every interval between the loop's
// start and end is charged to exactly one of guest (VM entry stamp to exit stamp), idle (the
// halted wait for an interrupt) and overhead (everything else: exit handling, the loop,
// timer programming, interrupt handlers), so the three sum to `elapsed` by construction.
struct CpuAccounting {
    Duration elapsed = 0;
    Duration guest = 0;
    Duration idle = 0;
    Duration overhead = 0;
};

void run_until(HvmVcpu& v, const Backend& backend, Time end, Duration slice,
               CpuAccounting& account);

} // namespace rthv::x86::hvm
