// The domain layer's objects, shared by the hypervisor and the host tests: a domain, its VCPUs
// (the scheduler's Vcpu, the guest timer, blocking, the SMP hand-off) and each pCPU's run
// state. What runs a VCPU is behind dom::Guests (guests.hpp), the machine behind dom::Machine
// (machine.hpp) and rthv::Platform. The x86 build derives its VCPU from DomVcpu and adds the
// hardware context (arch/x86/hvm/dom.hpp).
#pragma once

#include "hv/config/config.hpp"
#include "hv/dom/cpu_ledger.hpp"
#include "hv/dom/guests.hpp"
#include "hv/dom/machine.hpp"
#include "hv/dom/reservation_ledger.hpp"
#include "hv/lib/spinlock.hpp"
#include "hv/sched/rtds.hpp"

namespace rthv::dom {

inline constexpr CpuId kMaxDomCpus = 64; // pCPUs the per-VCPU guest-time rows cover

struct Domain {
    const config::DomainSpec* spec = nullptr;
    uint32_t id = 0;
    uint32_t first_vcpu = 0; // index of its VCPU 0 in System::vcpus; spec->vcpus follow
    bool crashed = false;    // written under its VCPUs' locks, read by every CPU (atomics)

    bool dead() const { return __atomic_load_n(&crashed, __ATOMIC_ACQUIRE); }
};

struct System;

struct DomVcpu {
    Vcpu sched{0, 0};
    System* system = nullptr; // attach()
    Domain* domain = nullptr;
    uint32_t index = 0; // in System::vcpus
    uint32_t vcpu_id = 0;
    Time grid_origin = 0; // start of its first RTDS period (the periodic guest's release grid)
    ReservationLedger reservation; // its utilisation over the run (xl may change it)

    // Guest one-shot timer and blocking (guest_events.cpp), under `lock`.
    Spinlock lock;
    Timer guest_timer;
    Time armed = kTimeNever; // deadline guest_timer is queued for
    CpuId armed_on = 0;      // the CPU whose queue it is on (where its callback runs)
    bool sleeping = false;   // blocked in the scheduler, waiting for its timer or an interrupt

    // SMP hand-off: true from the moment a CPU loads this VCPU until that CPU has unloaded it
    // (hv/sched/DESIGN.md "SMP hand-off"); another CPU may load it only once this reads false.
    bool context_busy = false;
    CpuId cpu = 0; // the CPU that loaded it last (where it runs while context_busy)

    Duration guest_ns_on[kMaxDomCpus] = {}; // guest-mode time per pCPU
    VcpuStats final_stats{};                // Scheduler::stats at the end of the run
};

// Where a CPU's overhead goes (the report's "overhead_by_phase_ns"), stamped around each step of
// the run loop: what the hypervisor spends per VM exit, by step.
enum class LoopPhase : uint8_t {
    kBackend,  // Guests::run less the guest's time: entry, exit and the exit's handler
    kAccount,  // after an exit: ledger, steal, the guest's timer, block/yield/crash
    kCtl,      // serving the control channel (CPU 0)
    kWindow,   // the interrupt window: timer expiries (replenishments, guest timers), IPIs
    kSchedule, // schedule() and the switch (unload, hand-off wait)
    kCount,
};

struct CpuRun {
    DomVcpu* loaded = nullptr; // what schedule() returned last, its context on this CPU
    bool started = false;
    const char* error = nullptr;
    Timer end_timer;
    CpuLedger ledger;
    OverheadSplit split;     // which overhead is stolen from the current VCPU (run_loop.hpp)
    Duration stolen = 0;     // overhead reported to the scheduler as stolen
    Duration unreported = 0; // overhead of the current VCPU not yet reported (run_loop.hpp)
    uint64_t switches = 0;   // a different VCPU (or idle) was loaded
    uint64_t migrations = 0; // a VCPU was loaded that another CPU loaded last (switch.hpp)
    uint64_t handoff_waits = 0;
    Duration phase_ns[static_cast<size_t>(LoopPhase::kCount)] = {};
    uint64_t loop_passes = 0;

    // Set from interrupt handlers and other CPUs, hence atomics.
    void request_resched() { __atomic_store_n(&resched_, true, __ATOMIC_RELEASE); }
    bool take_resched() { return __atomic_exchange_n(&resched_, false, __ATOMIC_ACQ_REL); }
    void request_stop() { __atomic_store_n(&stop_, true, __ATOMIC_RELEASE); }
    bool stop_requested() const { return __atomic_load_n(&stop_, __ATOMIC_ACQUIRE); }
    void mark_stopped() { __atomic_store_n(&stopped_, true, __ATOMIC_RELEASE); }
    bool stopped() const { return __atomic_load_n(&stopped_, __ATOMIC_ACQUIRE); }

private:
    bool resched_ = true;
    bool stop_ = false;
    bool stopped_ = false;
};

// Everything the domain layer works with, wired up by its user (arch/x86/hvm/dom_main.cpp, the
// host tests): one scheduler and timer core for the machine, the backend, the machine services,
// the per-CPU runs and the VCPUs of every domain.
struct System {
    Platform* platform = nullptr;
    Scheduler* sched = nullptr;
    TimerCore* timers = nullptr;
    Guests* guests = nullptr;
    Machine* machine = nullptr;
    CpuRun* cpus = nullptr;          // ncpus of them
    CpuId ncpus = 0;                 // at most kMaxDomCpus (DomVcpu::guest_ns_on)
    DomVcpu* const* vcpus = nullptr; // vcpu_count of them, each domain's consecutive
    uint32_t vcpu_count = 0;
    CpuId control_cpu = kMaxCpus; // serves the control channel between passes (kMaxCpus: none)

    Time now() const { return platform->now(); }
    DomVcpu& vcpu(uint32_t i) const { return *vcpus[i]; }
};

// The VCPU the scheduler's Vcpu belongs to.
inline DomVcpu& dom_vcpu(Vcpu& v) { return *static_cast<DomVcpu*>(v.owner()); }

// Before the run. attach() (guest_events.cpp): `v` belongs to `s` (its guest timer's callback);
// start() (system.cpp): every CPU's loop stops at `end` (its end timer).
void attach(System& s, DomVcpu& v);
void start(System& s, Time end);

// guest_events.cpp: the guest's timer, halts, interrupts and crashes as scheduler events.
// guest_timer_sync: after an exit, on the CPU running `v`, whose guest now wants its timer at
// `want` (Guests::timer_deadline).
void guest_timer_sync(System& s, DomVcpu& v, CpuId cpu, Time want);
bool guest_block(System& s, DomVcpu& v); // false: a wake-up is already due, it keeps running
void guest_crashed(System& s, DomVcpu& v);
// An interrupt became pending for `v` (from any CPU): a sleeping `v` wakes, a `v` running on
// another CPU is kicked there so it exits and takes it.
void guest_interrupt(System& s, DomVcpu& v, CpuId here);

// switch.cpp: loads `next` (nullptr: idle) on `cpu` with the SMP hand-off rule (switch.hpp).
void switch_to(System& s, CpuId cpu, DomVcpu* next);

// run_loop.cpp: the per-CPU loop over s.machine and s.guests until the CPU's stop is requested
// (false: the CPU cannot run guests, run.error says why), and one pass of it, for tests. The
// hypervisor runs run_loop.hpp's template with its own types.
bool run_cpu(System& s, CpuId cpu);
bool run_pass(System& s, CpuId cpu, Time& mark);

} // namespace rthv::dom
