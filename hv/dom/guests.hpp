// The vendor-neutral guest backend the domain layer drives: what it needs from whatever runs a
// VCPU (VT-x or AMD-V in the hypervisor, a scripted guest in host tests), and nothing more.
// The domain layer owns scheduling, switching, blocking and time accounting; the backend owns
// the guest's CPU state and its virtual platform.
#pragma once

#include "hv/lib/types.hpp"

namespace rthv::dom {

struct DomVcpu;

// What the run loop does after a stint (the backend has handled the exit).
enum class ExitAction : uint8_t {
    kResume, // enter the guest again
    kBlock,  // the VCPU halted: it sleeps until its timer or an interrupt
    kYield,  // runnable, but let others run first
    kCrash,  // the domain is dead; never enter it again
};

// One stint in the guest, as the backend measured it.
struct Stint {
    bool entered = false;      // the guest ran at all (a failed entry did not)
    Time entered_at = 0;       // stamps as close to the hardware transition as the backend gets:
    Time exited_at = 0;        // [entered_at, exited_at) is the guest's time, the rest is not
    bool guest_caused = false; // the guest's own exit (CPUID, I/O, HLT, ...), no host event
    bool deadline_reached = false; // the entry's deadline ended it: due timers may not have fired
    ExitAction action = ExitAction::kResume;
};

class Guests {
public:
    // On the CPU about to run guests: turn virtualisation on. On false `why` says what is missing.
    virtual bool cpu_enable(CpuId cpu, const char*& why) = 0;

    // On `cpu`, after the hand-off made `v` this CPU's (dom/switch.hpp): its CPU state moves in.
    virtual void load(DomVcpu& v, CpuId cpu) = 0;
    // On the CPU that ran `v` last: its state goes back to memory, so another CPU may load it.
    virtual void unload(DomVcpu& v) = 0;

    // Before the stolen time is reported and the timer programmed for an entry: events for the
    // guest (a virtual platform's interrupts) are queued for that entry.
    virtual void prepare(DomVcpu& v) = 0;
    // Runs `v` until one exit, which it handles; the guest exits by `deadline` (absolute ns;
    // kTimeNever: no bound) at the latest, whatever it does.
    virtual Stint run(DomVcpu& v, CpuId cpu, Time deadline) = 0;

    // The guest's one-shot timer as it wants it now (kTimeNever: none). After an exit only.
    virtual Time timer_deadline(DomVcpu& v) = 0;
    // Under v.lock: an interrupt is pending for the guest, so a halt ends (or never begins).
    virtual bool interrupt_pending(DomVcpu& v) = 0;
    // Under v.lock: the halt the guest asked for is over (it runs on from the halt).
    virtual void halt_over(DomVcpu& v) = 0;
    // Whether the guest's timer is an interrupt of a virtual platform (timer_fired then raises
    // it) rather than the end of a halt (a toy guest's one-shot wake-up).
    virtual bool timer_is_interrupt(DomVcpu& v) = 0;
    // Under v.lock, on the CPU whose queue held the timer: its interrupt is raised; returns the
    // deadline the timer must be re-armed for at once (kTimeNever: none).
    virtual Time timer_fired(DomVcpu& v) = 0;
    // The backend has marked `v` dead (a fault, an impossible state): never enter it again.
    virtual bool crashed(DomVcpu& v) = 0;

protected:
    ~Guests() = default;
};

} // namespace rthv::dom
