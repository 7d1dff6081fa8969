// The "hvm" section of the JSON report and the guest test's verdict. Per guest: identity,
// final state, VM entries, exits by kind, what the guest reported (times in µs) and console
// lines. Boot tests (tests/boot/test_vmx*.py) assert on these keys.
#include "arch/x86/hvm/blocking.hpp"
#include "arch/x86/hvm/guest_load.hpp"
#include "arch/x86/hvm/guest_test_state.hpp"
#include "arch/x86/json_writer.hpp"

namespace rthv::x86::hvm {
namespace {

using namespace guest_abi;

const char* state_name(const CpuGuest& g) {
    if (!g.created) return "not-started";
    if (g.vcpu.crashed) return "crashed";
    return g.vcpu.blocked ? "blocked" : "runnable";
}

uint64_t progress(const HvmVcpu& v) {
    const uint64_t* r = v.stats.reports;
    switch (v.workload) {
    case kWorkloadBusy:
    case kWorkloadCliSpin:
        return r[kReportWork];
    case kWorkloadPeriodic:
        return r[kReportJobs];
    case kWorkloadInteractive:
        return r[kReportWakeups];
    case kWorkloadExitStorm:
        return r[kReportExitsCaused];
    default:
        return 1; // the crashing workloads make no progress to count
    }
}

void write_guest(JsonWriter& out, const CpuGuest& g) {
    const HvmVcpu& v = g.vcpu;
    out.begin_object();
    out.field("domain", v.domain_id);
    out.field("name", v.name);
    out.field("workload", workload_name(v.workload));
    out.field("cpu", v.cpu);
    out.field("state", state_name(g));
    out.field("error", g.error != nullptr ? g.error : "");
    out.field("crash_reason", v.crash_reason);
    out.field("entries", v.stats.entries);
    out.begin_object("exits");
    for (size_t k = 0; k < static_cast<size_t>(ExitKind::kCount); ++k)
        out.field(exit_kind_name(static_cast<ExitKind>(k)), v.stats.exits[k]);
    out.field("total", v.stats.exits_total);
    out.end_object();
    const uint64_t* r = v.stats.reports;
    out.begin_object("reports");
    out.field("work", r[kReportWork]);
    out.field("jobs", r[kReportJobs]);
    out.field("misses", r[kReportMisses]);
    out.field("worst_response_us", guest_ticks_to_us(r[kReportWorstResponse]));
    out.field("wakeups", r[kReportWakeups]);
    out.field("worst_latency_us", guest_ticks_to_us(r[kReportWorstLatency]));
    out.field("exits_caused", r[kReportExitsCaused]);
    out.end_object();
    out.field("console_lines", v.console.lines());
    out.begin_object("pcpu_ns"); // where the guest's CPU spent the run (run_loop.hpp)
    out.field("elapsed", g.account.elapsed);
    out.field("guest", g.account.guest);
    out.field("idle", g.account.idle);
    out.field("overhead", g.account.overhead);
    out.end_object();
    out.field("progress", progress(v));
    out.end_object();
}

} // namespace

bool expected_to_crash(Workload w, ExitKind& cause) {
    if (w == kWorkloadEptEscape)
        cause = ExitKind::kMemoryViolation;
    else if (w == kWorkloadTripleFault)
        cause = ExitKind::kTripleFault;
    else
        return false;
    return true;
}

bool guest_test_passed() {
    const GuestTestState& s = guest_test_state();
    if (s.backend == nullptr || s.guests == 0) return false;
    for (CpuId c = 0; c < s.guests; ++c) {
        const CpuGuest& g = s.cpu[c];
        ExitKind cause = ExitKind::kOther;
        bool should_crash = expected_to_crash(g.vcpu.workload, cause);
        if (!g.created || !g.done || g.vcpu.stats.entries == 0) return false;
        if (g.vcpu.crashed != should_crash) return false;
        if (should_crash && g.vcpu.stats.exits[static_cast<size_t>(cause)] != 1) return false;
        if (progress(g.vcpu) == 0) return false;
    }
    return true;
}

void report_guest_test(JsonWriter& out) {
    const GuestTestState& s = guest_test_state();
    out.begin_object("hvm");
    out.field("selector", s.selector);
    out.field_bool("available", s.backend != nullptr);
    out.field("backend", s.backend != nullptr ? s.backend->name : "none");
    out.field("refusal", s.refusal != nullptr ? s.refusal : "");
    out.field("run_ns", s.end > s.start ? s.end - s.start : 0);
    out.field("slice_ns", s.slice);
    if (s.backend != nullptr && s.backend->write_report != nullptr) s.backend->write_report(out);
    out.begin_array("guests");
    for (CpuId c = 0; c < s.guests; ++c) write_guest(out, s.cpu[c]);
    out.end_array();
    out.end_object();
}

} // namespace rthv::x86::hvm
