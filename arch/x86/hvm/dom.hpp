// Domains scheduled by the RTDS core (what the hypervisor runs): the boot configuration's, one
// HvmVcpu + one scheduler Vcpu per VCPU, one TimerCore for the machine, and a run loop on every
// CPU that asks Scheduler::schedule(cpu) what to run. Files:
//   dom_setup.cpp   config module -> domains, guest memory, VMCS, scheduler insertion
//   dom_events.cpp  the guest one-shot timer, blocking, crashes (vcpu lock, then pool lock)
//   dom_switch.cpp  loading/unloading a VCPU on a CPU, with the SMP hand-off rule
//   dom_run.cpp     the per-CPU loop and its time accounting
//   dom_main.cpp    start, hooks, end-of-run barrier;  dom_report.cpp  the report sections
#pragma once

#include "arch/x86/hvm/backend.hpp"
#include "arch/x86/json_writer.hpp"
#include "arch/x86/percpu.hpp"
#include "hv/config/config.hpp"
#include "hv/dom/cpu_ledger.hpp"
#include "hv/dom/reservation_ledger.hpp"
#include "hv/lib/spinlock.hpp"
#include "hv/sched/rtds.hpp"

namespace rthv::x86::hvm {

inline constexpr uint32_t kMaxDomVcpus = 32; // VCPUs over all domains

struct Domain {
    const config::DomainSpec* spec = nullptr;
    uint32_t id = 0;
    uint32_t first_vcpu = 0; // index into DomState::vcpus
    volatile bool crashed = false;
};

struct DomVcpu {
    HvmVcpu hvm;
    Vcpu sched{0, 0};
    Domain* domain = nullptr;
    uint32_t index = 0; // in DomState::vcpus
    uint32_t vcpu_id = 0;
    Time grid_origin = 0; // start of its first RTDS period (the periodic guest's release grid)
    dom::ReservationLedger reservation; // its utilisation over the run (xl may change it)

    // Guest one-shot timer and blocking (dom_events.cpp), under `lock`.
    Spinlock lock;
    Timer guest_timer;
    Time armed = kTimeNever; // deadline guest_timer is queued for
    bool sleeping = false;   // blocked in the scheduler, waiting for guest_timer

    // SMP hand-off: true from the moment a CPU loads this VCPU until that CPU has unloaded it
    // (DESIGN.md "SMP hand-off"); another CPU may load it only once this reads false.
    volatile bool context_busy = false;

    Duration guest_ns_on[kMaxArchCpus] = {}; // guest-mode time per pCPU
    rthv::VcpuStats final_stats{};           // Scheduler::stats at the end of the run
};

// Where a CPU's overhead goes (the report's "overhead_by_phase_ns"), stamped around each step of
// the run loop (dom_run.cpp): what the hypervisor spends per VM exit, by step.
enum class LoopPhase : uint8_t {
    kBackend,  // vcpu_run less the guest's time: entry, exit and the exit's handler
    kAccount,  // after an exit: ledger, steal, the guest's timer, block/yield/crash
    kCtl,      // serving the control channel (CPU 0)
    kWindow,   // the interrupt window: timer expiries (replenishments, guest timers), IPIs
    kSchedule, // schedule() and the switch (unload, hand-off wait)
    kCount,
};

struct CpuRun {
    DomVcpu* loaded = nullptr; // VMCS current on this CPU (what schedule() returned last)
    volatile bool resched = true;
    volatile bool stop = false;
    volatile bool stopped = false;
    bool started = false;
    const char* error = nullptr;
    Timer end_timer;
    dom::CpuLedger ledger;
    dom::OverheadSplit split; // which overhead is stolen from the current VCPU (dom_run.cpp)
    Duration stolen = 0;      // overhead reported with Scheduler::steal
    Duration unreported = 0;  // overhead of the current VCPU not yet reported (dom_run.cpp)
    uint64_t switches = 0;    // a different VCPU (or idle) was loaded
    uint64_t migrations = 0;  // a VCPU arrived that last ran on another CPU
    uint64_t handoff_waits = 0;
    Duration phase_ns[static_cast<size_t>(LoopPhase::kCount)] = {};
    uint64_t loop_passes = 0;
};

struct DomState {
    const Backend* backend = nullptr;
    const char* refusal = nullptr;
    config::Config config;
    char config_summary[160] = {};
    const char* config_source = "none";
    Domain domains[config::kMaxDomains];
    uint32_t domain_count = 0;
    DomVcpu vcpus[kMaxDomVcpus];
    uint32_t vcpu_count = 0;
    uint32_t refused_vcpus = 0; // not admitted by the scheduler (logged)
    Scheduler sched;
    TimerCore timers;
    CpuId ncpus = 0;
    Time start = 0, end = 0;
    volatile bool go = false;     // APs may enter their loops
    volatile bool ending = false; // EndRun was accepted: every CPU's `stop` is set
    uint64_t pool_locks_at_start = 0, pool_locks_at_end = 0; // Scheduler::pool_lock_acquisitions
    CpuRun cpu[kMaxArchCpus];
};

DomState& dom_state();

// dom_setup.cpp: everything before the CPUs start (false: nothing can run; reason logged).
bool dom_setup(DomState& s);
// dom_events.cpp
void guest_timer_sync(DomState& s, DomVcpu& v, CpuId cpu);
bool guest_block(DomState& s, DomVcpu& v); // false: its timer already passed, keep running
void guest_crashed(DomState& s, DomVcpu& v);
void on_guest_timer(void* context, Time now);
// dom_switch.cpp
void switch_to(DomState& s, CpuRun& run, DomVcpu* next);
// dom_run.cpp
void dom_cpu_loop(DomState& s, CpuId cpu);
// dom_report.cpp
void report_dom(JsonWriter& out);
bool dom_passed(const DomState& s);

} // namespace rthv::x86::hvm
