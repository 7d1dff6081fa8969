// Where one physical CPU's time goes: every instant between start() and the last stamp is
// charged to exactly one of guest (VM entry stamp to VM exit stamp), idle (the halted wait for
// an interrupt) and overhead (everything else: exit handling, scheduling, switching, interrupt
// handlers), so the three sum to elapsed() by construction, whatever order the events come in.
//
// Overhead is split once more for the scheduler (OverheadSplit below): the part that accrued
// while a VCPU was current and that the VCPU did not cause (timer and IPI exits, scheduling,
// switching) is reported with Scheduler::steal() and not charged to its budget; exit handling
// the guest asked for (CPUID, I/O, hypercalls) is charged to it, so an exit storm cannot run
// beyond its reservation.
#pragma once

#include "hv/lib/types.hpp"

namespace rthv::dom {

class CpuLedger {
public:
    void start(Time t) {
        start_ = t;
        mark_ = t;
    }

    // Hypervisor work up to `t` (a no-op for a stamp at or before the mark). Returns its length.
    Duration overhead_until(Time t) {
        if (t <= mark_) return 0;
        Duration d = t - mark_;
        overhead_ += d;
        mark_ = t;
        return d;
    }

    // A guest stint [entered, exited): the time before `entered` is overhead (returned).
    Duration guest(Time entered, Time exited) {
        Duration before = overhead_until(entered);
        if (exited > mark_) {
            guest_ += exited - mark_;
            mark_ = exited;
        }
        return before;
    }

    // A halted wait [from, to): the time before `from` is overhead (returned).
    Duration idle(Time from, Time to) {
        Duration before = overhead_until(from);
        if (to > mark_) {
            idle_ += to - mark_;
            mark_ = to;
        }
        return before;
    }

    Time started() const { return start_; }
    Time mark() const { return mark_; }
    Duration elapsed() const { return mark_ - start_; }
    Duration guest_ns() const { return guest_; }
    Duration idle_ns() const { return idle_; }
    Duration overhead_ns() const { return overhead_; }

private:
    Time start_ = 0;
    Time mark_ = 0; // everything before it is accounted for
    Duration guest_ = 0;
    Duration idle_ = 0;
    Duration overhead_ = 0;
};

// Whose overhead it is, settled piece by piece as the run loop stamps it (CpuLedger's returns):
// stolen from the current VCPU (Scheduler::steal: its budget runs out that much later) or its
// own (charged to its budget). From a VM exit the guest asked for (CPUID, I/O, hypercall, HLT,
// a fault) to its next VM entry, the hypervisor works for that guest: exit handling, the run
// loop's bookkeeping and the next entry are all the guest's. Only part of that path used to be
// charged (the handler), while the rest of the loop pass went as stolen, so every exit a guest
// caused gave it several µs of CPU outside its budget: 26 % of a pCPU for an exit storm under
// QEMU TCG, and Linux's polled boot console took its neighbours' deadlines (issue 13).
// Work done for others on the way (an interrupt taken: timer expiries, IPIs; the control
// channel; a scheduling decision) is stolen, and so is everything up to the next entry after
// it, as after an exit the guest did not cause (a host interrupt, the preemption timer).
class OverheadSplit {
public:
    // A guest stint ended; `guest_caused`: no host interrupt ended it.
    void exited(bool guest_caused) { owed_ = guest_caused; }

    // The hypervisor works for others from now on (until the next exit).
    void for_others() { owed_ = false; }

    // `d` ns of overhead just accounted for: returns the part stolen from the current VCPU.
    // `for_others`: some of it was work for others, so all of it is stolen (and what follows).
    Duration stolen(Duration d, bool for_others = false) {
        if (for_others) owed_ = false;
        return owed_ ? 0 : d;
    }

    bool owed() const { return owed_; }

private:
    bool owed_ = false;
};

// part/whole in parts per million, rounded to nearest (no floating point in the hypervisor).
constexpr uint64_t ppm_of(uint64_t part, uint64_t whole) {
    if (whole == 0) return 0;
    return static_cast<uint64_t>((static_cast<unsigned __int128>(part) * 1000000u + whole / 2) /
                                 whole);
}

} // namespace rthv::dom
