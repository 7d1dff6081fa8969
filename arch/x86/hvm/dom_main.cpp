// What the hypervisor is for: boot the configuration module's domains and schedule them with
// RTDS on every CPU for runtime_ms, then report. The machine has one TimerCore, driven by the x86
// timer hook (TimerCore::expire on the expiring CPU), and one Scheduler on the x86 Platform (now =
// TSC, arm = LAPIC deadline, kick = reschedule IPI, whose hook sets the CPU's `resched` flag).
#include "arch/x86/hvm/dom_main.hpp"

#include "arch/x86/boot_state.hpp"
#include "arch/x86/console.hpp"
#include "arch/x86/cr.hpp"
#include "arch/x86/hvm/dom.hpp"
#include "arch/x86/hvm/dom_ctl.hpp"
#include "arch/x86/hvm/dom_trace.hpp"
#include "arch/x86/hvm/guest_memory.hpp"
#include "arch/x86/percpu_area.hpp"
#include "arch/x86/report.hpp"
#include "arch/x86/smp.hpp"
#include "arch/x86/timer.hpp"
#include "arch/x86/tsc.hpp"
#include "arch/x86/x86_platform.hpp"

namespace rthv::x86::hvm {
namespace {

constexpr Duration kStopWait = 200'000'000; // how long the BSP waits for the other CPUs

DomState state;
// Per CPU: its loop has been entered, or the door closed on it (snapshot). Its own area of the
// CPU's block (percpu_area.hpp), like every per-CPU state of the hypervisor.
PerCpuArea<bool> entered;
volatile bool snapshot_done = false;

void on_timer(CpuId cpu) { state.timers.expire(cpu, now()); }

// After its loop a CPU stays out of the scheduler, interrupts off, until the BSP has taken
// the statistics, so that they describe one instant.
void stop_cpu(CpuId cpu) {
    state.cpu[cpu].mark_stopped();
    while (!__atomic_load_n(&snapshot_done, __ATOMIC_ACQUIRE)) cpu_relax();
}

void on_reschedule(CpuId cpu) { state.cpu[cpu].request_resched(); }

// This CPU's domain loop (hv/dom/run_loop.hpp, with this machine's own types) until the end.
void run_cpu(CpuId cpu) {
    if (!dom_cpu_loop(state, cpu))
        log(LogLevel::kError, "cpu%u: cannot enable %s: %s", cpu, state.backend->name,
            state.cpu[cpu].error);
}

// An AP's part of the run (set_ap_work, smp.hpp: the idle AP runs it from its own context once
// kicked): its loop, then out of the scheduler until the statistics are taken. Once only: a
// later wake-up of the idle AP finds it done.
void ap_run(CpuId cpu) {
    if (!state.go || __atomic_exchange_n(&entered.on(cpu), true, __ATOMIC_ACQ_REL)) return;
    run_cpu(cpu);
    stop_cpu(cpu);
}

// The domain layer's view of the machine: this state's scheduler, timers, backend and CPUs.
void wire_system() {
    dom::System& sys = state.system;
    state.guests.backend = state.backend;
    sys.platform = &platform();
    sys.sched = &state.sched;
    sys.timers = &state.timers;
    sys.guests = &state.guests;
    sys.machine = &state.machine;
    sys.cpus = state.cpu;
    sys.ncpus = state.ncpus;
    sys.control_cpu = 0; // CPU 0 polls COM2 (dom_ctl_poll.cpp)
    sys.vcpus = state.vcpu_ptrs;
}

// The domain layer's per-CPU run states, as many as CPUs run, in one array: the loop indexes
// them by CPU (hv/dom System::cpus), so they are not in the per-CPU blocks' areas.
void alloc_cpu_runs() {
    state.cpu = alloc_array<CpuRun>(state.ncpus);
    if (state.cpu != nullptr) return;
    log(LogLevel::kError, "out of memory for the run state of %u CPUs", state.ncpus);
    report_and_exit(false);
}

[[noreturn]] void refuse(const char* why) {
    state.refusal = why;
    log(LogLevel::kError, "neither VT-x nor AMD-V usable, refusing to start guests: %s", why);
    report_and_exit(false);
}

void snapshot() {
    Time give_up = now() + kStopWait;
    // Claiming `entered` closes the door on an AP that has not entered its loop by now (ap_run
    // then finds it taken), so none can start scheduling while the statistics are read.
    for (CpuId c = 1; c < state.ncpus; ++c) {
        if (!__atomic_exchange_n(&entered.on(c), true, __ATOMIC_ACQ_REL)) continue;
        while (!state.cpu[c].stopped() && now() < give_up) cpu_relax();
    }
    for (uint32_t i = 0; i < state.vcpu_count; ++i) {
        DomVcpu& v = state.vcpus[i];
        if (v.sched.place() != Place::Off) v.final_stats = state.sched.stats(v.sched);
    }
    dom_trace_stop(); // the trace ends where the statistics do
    state.end = now();
    state.pool_locks_at_end = state.sched.pool_lock_acquisitions();
    __atomic_store_n(&snapshot_done, true, __ATOMIC_RELEASE);
    for (uint32_t i = 0; i < state.vcpu_count; ++i)
        state.vcpus[i].hvm.console.flush(state.vcpus[i].hvm.name);
    console_defer(false);
}

} // namespace

DomState& dom_state() { return state; }

void run_domains() {
    report_add_section(report_dom);
    const char* why = "no backend";
    state.backend = select_backend(why);
    if (state.backend == nullptr) refuse(why);
    state.ncpus = cpus_started();
    alloc_cpu_runs();
    state.timers.init(platform(), state.ncpus);
    state.sched.init(platform(), state.timers, state.ncpus);
    wire_system();
    set_timer_hook(on_timer);
    set_reschedule_hook(on_reschedule);
    dom_trace_start(state);
    ctl_start(state); // before the run starts: its log line costs ms on the emulated UART
    if (!dom_setup(state)) report_and_exit(false);
    Duration runtime = boot_state().options.runtime_ms * 1'000'000;
    dom::start(state.system, state.start + runtime);
    console_defer(true); // until the statistics are taken: see console.hpp
    state.pool_locks_at_start = state.sched.pool_lock_acquisitions();
    state.go = true;
    __atomic_store_n(&entered.on(0), true, __ATOMIC_RELEASE);
    set_ap_work(ap_run);
    for (CpuId c = 1; c < state.ncpus; ++c) platform().kick(c);
    run_cpu(0);
    state.cpu[0].mark_stopped();
    snapshot();
    dom_trace_finish(state);
    report_and_exit(dom_passed(state));
}

} // namespace rthv::x86::hvm
