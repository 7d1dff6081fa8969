#include "arch/x86/hvm/guest_test.hpp"

#include "arch/x86/boot_state.hpp"
#include "arch/x86/console.hpp"
#include "arch/x86/cr.hpp"
#include "arch/x86/hvm/guest_load.hpp"
#include "arch/x86/hvm/guest_test_state.hpp"
#include "arch/x86/hvm/run_loop.hpp"
#include "arch/x86/lapic.hpp"
#include "arch/x86/report.hpp"
#include "arch/x86/timer.hpp"
#include "arch/x86/tsc.hpp"
#include "arch/x86/x86_platform.hpp"

namespace rthv::x86::hvm {

void report_guest_test(JsonWriter& out); // guest_report.cpp

namespace {

using namespace guest_abi;

constexpr const char kSmokeList[] = "periodic+exit-storm+busy+interactive";
constexpr Duration kPeriod = 2'000'000;   // periodic: T = 2 ms
constexpr Duration kJob = 300'000;        // periodic: C = 300 us
constexpr Duration kSleep = 3'000'000;    // interactive: mean sleep 3 ms
constexpr Duration kBurst = 100'000;      // interactive: 100 us bursts
constexpr Duration kApWait = 200'000'000; // how long the BSP waits for late APs
constexpr Duration kSlice = 5'000'000;    // the hypervisor takes the CPU back every 5 ms

GuestTestState state;
Workload list[kMaxArchCpus];
CpuId list_len = 0;
volatile bool entered[kMaxArchCpus];

bool starts_with(const char* s, const char* prefix) {
    while (*prefix != '\0' && *s == *prefix) ++s, ++prefix;
    return *prefix == '\0';
}

// Parses "<w>+<w>+..." into `list`; false on an unknown name.
bool parse_list(const char* s) {
    list_len = 0;
    while (*s != '\0' && list_len < kMaxArchCpus) {
        const char* end = s;
        while (*end != '\0' && *end != '+') ++end;
        if (!workload_from_name(s, static_cast<size_t>(end - s), list[list_len])) return false;
        ++list_len;
        s = *end == '+' ? end + 1 : end;
    }
    return list_len > 0;
}

void cpu_main(CpuId cpu) {
    CpuGuest& g = state.cpu[cpu];
    const char* why = nullptr;
    if (!state.backend->cpu_enable(why) ||
        !state.backend->vcpu_create(g.vcpu, kGuestEntry, kGuestStackTop, why)) {
        g.error = why;
        log(LogLevel::kError, "cpu%u: cannot start %s: %s", cpu, g.vcpu.name, why);
    } else {
        g.created = true;
        run_until(g.vcpu, *state.backend, state.end, state.slice, g.account);
        g.vcpu.console.flush(g.vcpu.name);
    }
    __atomic_store_n(&g.done, true, __ATOMIC_RELEASE);
}

// APs sit in ap_idle(); the reschedule IPI brings them here the first time. The handler does
// not return (the AP runs its guest from it), so the IPI is acknowledged first to keep the
// timer vector (same priority class) deliverable.
void on_reschedule(CpuId cpu) {
    if (cpu == 0 || __atomic_exchange_n(&entered[cpu], true, __ATOMIC_ACQ_REL)) return;
    lapic::eoi();
    cpu_main(cpu);
    for (;;) idle_wait();
}

[[noreturn]] void refuse(const char* why) {
    state.refusal = why;
    log(LogLevel::kError, "neither VT-x nor AMD-V usable, refusing to start guests: %s", why);
    report_and_exit(false);
}

bool load_all(CpuId n) {
    Time origin = now() + 1'000'000; // releases start on the grid 1 ms from now
    for (CpuId c = 0; c < n; ++c) {
        Workload w = list[c % list_len];
        bool periodic = w == kWorkloadPeriodic;
        WorkloadParams p{w, origin, periodic ? kPeriod : kSleep, periodic ? kJob : kBurst};
        if (!load_guest(state.cpu[c].vcpu, c + 1, c, p)) return false;
        state.cpu[c].loaded = true;
    }
    return true;
}

} // namespace

GuestTestState& guest_test_state() { return state; }

void run_guest_test_if_selected(const char* test) {
    const char* workloads = nullptr;
    if (starts_with(test, "vmx-smoke"))
        workloads = kSmokeList;
    else if (starts_with(test, "vmx:"))
        workloads = test + 4;
    else
        return;
    state.selector = test;
    report_add_section(report_guest_test);
    if (!parse_list(workloads)) {
        log(LogLevel::kError, "bad guest list \"%s\"", workloads);
        report_and_exit(false);
    }
    const char* why = "no backend";
    state.backend = select_backend(why);
    if (state.backend == nullptr) refuse(why);
    state.guests = cpus_started();
    if (!load_all(state.guests)) {
        log(LogLevel::kError, "out of memory for the guests");
        report_and_exit(false);
    }
    // The console line first: the emulated UART runs at its baud rate and costs run time.
    log(LogLevel::kInfo, "starting %u guests (%s) for %llu ms", state.guests, workloads,
        static_cast<unsigned long long>(boot_state().options.runtime_ms));
    state.slice = kSlice;
    state.start = now();
    state.end = state.start + boot_state().options.runtime_ms * 1'000'000;
    set_reschedule_hook(on_reschedule);
    for (CpuId c = 1; c < state.guests; ++c) platform().kick(c);
    cpu_main(0);
    Time give_up = now() + kApWait;
    for (CpuId c = 1; c < state.guests; ++c)
        while (!__atomic_load_n(&state.cpu[c].done, __ATOMIC_ACQUIRE) && now() < give_up)
            asm volatile("pause");
    report_and_exit(guest_test_passed());
}

} // namespace rthv::x86::hvm
