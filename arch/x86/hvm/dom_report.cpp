// The scenario's report sections (tools/run/rthv_run.py prints them as tables):
//   "scenario"         config source and summary, backend, run length
//   "vcpus"            per VCPU: RTDS parameters, share of one pCPU received, periods, misses,
//                      worst response/latency, extratime used (Scheduler::stats at the end of
//                      the run + what the guest reported), exits, guest time per pCPU,
//                      console lines (tests/boot/guest_check.py reads them per guest)
//   "pcpus"            per pCPU: busy (guest), idle and overhead, summing to elapsed
//   "domains_crashed"  names
// Shares are fractions with 6 decimals, percentages with 4 (integer maths: hv/dom).
#include "arch/x86/hvm/blocking.hpp"
#include "arch/x86/hvm/dom.hpp"
#include "arch/x86/hvm/dom_ctl.hpp"
#include "arch/x86/hvm/guest_load.hpp"
#include "arch/x86/hvm/linux_vcpu.hpp"
#include "arch/x86/json_writer.hpp"

namespace rthv::x86::hvm {
namespace {

using namespace guest_abi;
using dom::ppm_of;

// Periodic guests: their own job misses and worst release-to-finish time; interactive: the
// worst timer-to-running latency they measured; others: the scheduler's worst dispatch wait.
void write_timeliness(JsonWriter& out, const DomVcpu& v) {
    const uint64_t* r = v.hvm.stats.reports;
    const rthv::VcpuStats& st = v.final_stats;
    Workload w = v.hvm.workload;
    bool periodic = w == kWorkloadPeriodic || w == kWorkloadTasks;
    bool interactive = w == kWorkloadInteractive;
    out.field("periods", st.periods); // server periods the VCPU was eligible in (DESIGN.md)
    out.field("misses", periodic ? r[kReportMisses] : st.misses);
    out.field("server_misses", st.misses);
    out.field("late_wakes", st.late_wakes); // woke too late to use its budget (DESIGN.md)
    out.field("latency_kind", periodic ? "response" : interactive ? "wakeup" : "dispatch");
    out.field("worst_latency_us", periodic      ? guest_ticks_to_us(r[kReportWorstResponse])
                                  : interactive ? guest_ticks_to_us(r[kReportWorstLatency])
                                                : to_us(st.latency_max_ns));
    out.field("jobs", r[kReportJobs]);
    out.field("wakeups", r[kReportWakeups]);
    out.field("work", r[kReportWork]);
    out.field("exits_caused", r[kReportExitsCaused]);
}

// A domain planned from its task set (hv/config `tasks`): what the plan was made from.
void write_planned(JsonWriter& out, const config::PlannedFrom& p) {
    if (!p.active) return;
    out.begin_object("planned");
    out.field("guest_sched", plan::guest_name(p.guest));
    out.field("tasks", p.tasks);
    out.field_fixed("task_utilisation", p.task_ppm, 6);
    out.field_fixed("bandwidth", p.bandwidth_ppm, 6);
    out.field("overhead_us", p.overhead_us);
    out.end_object();
}

void write_vcpu(JsonWriter& out, const DomState& s, const DomVcpu& v) {
    const Params& p = v.sched.params(); // in force at the end (xl sched-rtds may change it)
    const Params& configured = v.domain->spec->params;
    const rthv::VcpuStats& st = v.final_stats;
    Duration window = s.end > v.grid_origin ? s.end - v.grid_origin : 0;
    out.begin_object();
    out.field("domain", v.domain->spec->name);
    out.field("domain_id", v.domain->id); // as the guest knows it (StartInfo)
    out.field("vcpu", v.vcpu_id);
    out.field("workload", v.hvm.platform == nullptr ? workload_name(v.hvm.workload)
                          : v.domain->spec->guest == config::GuestKind::Linux ? "linux"
                                                                              : "pvh");
    const config::WorkloadSpec& w = v.domain->spec->workload;
    // A periodic guest's job, an interactive one's burst; a tasks guest has many (`planned`).
    out.field("job_us", v.hvm.workload == kWorkloadPeriodic ? w.job_us
                        : v.hvm.workload == kWorkloadTasks  ? 0
                                                            : w.burst_us);
    out.field("release_offset_us", w.release_offset_us);
    out.field("period_us", p.period_us);
    out.field("budget_us", p.budget_us);
    out.field_bool("extratime", p.extratime);
    out.field_fixed("utilisation", ppm_of(p.budget_us, p.period_us), 6);
    // What share is to be compared with when the parameters changed during the run.
    out.field_fixed("reserved", v.reservation.average_ppm(s.end), 6);
    out.field("param_changes", v.reservation.changes());
    out.field("configured_period_us", configured.period_us);
    out.field("configured_budget_us", configured.budget_us);
    write_planned(out, v.domain->spec->planned);
    out.field_fixed("share", ppm_of(st.run_ns, window), 6);
    out.field("window_ns", window);
    out.field("run_ns", st.run_ns);
    write_timeliness(out, v);
    out.field("extratime_us", to_us(st.extratime_ns));
    out.field("stolen_us", to_us(st.stolen_ns));
    out.field("dispatches", st.dispatches);
    out.field("overruns", st.overruns);
    out.field("overrun_max_us", to_us(st.overrun_ns_max));
    out.field("state", v.domain->crashed ? "crashed" : v.hvm.blocked ? "blocked" : "runnable");
    out.field("crash_reason", v.hvm.crash_reason);
    out.field("entries", v.hvm.stats.entries);
    out.field("reinjected", v.hvm.stats.reinjected); // interrupted event deliveries redone
    out.field("console_lines", v.hvm.console.lines());
    out.begin_object("exits");
    for (size_t k = 0; k < static_cast<size_t>(ExitKind::kCount); ++k)
        out.field(exit_kind_name(static_cast<ExitKind>(k)), v.hvm.stats.exits[k]);
    out.field("total", v.hvm.stats.exits_total);
    out.end_object();
    out.begin_array("guest_ns_by_cpu");
    for (CpuId c = 0; c < s.ncpus; ++c) out.field(nullptr, v.guest_ns_on[c]);
    out.end_array();
    out.end_object();
}

void write_pcpu(JsonWriter& out, const CpuRun& run, CpuId cpu) {
    const dom::CpuLedger& l = run.ledger;
    out.begin_object();
    out.field("cpu", cpu);
    out.field_bool("started", run.started);
    out.field("elapsed_ns", l.elapsed());
    out.field("guest_ns", l.guest_ns());
    out.field("idle_ns", l.idle_ns());
    out.field("overhead_ns", l.overhead_ns());
    out.field("stolen_ns", run.stolen);
    out.field_fixed("busy_pct", ppm_of(l.guest_ns(), l.elapsed()), 4);
    out.field_fixed("idle_pct", ppm_of(l.idle_ns(), l.elapsed()), 4);
    out.field_fixed("overhead_pct", ppm_of(l.overhead_ns(), l.elapsed()), 4);
    out.field("switches", run.switches);
    out.field("migrations", run.migrations);
    out.field("handoff_waits", run.handoff_waits);
    out.field("loop_passes", run.loop_passes);
    static const char* const kPhaseNames[] = {"backend", "account", "ctl", "window", "schedule"};
    static_assert(sizeof kPhaseNames / sizeof kPhaseNames[0] ==
                  static_cast<size_t>(LoopPhase::kCount));
    out.begin_object("overhead_by_phase_ns");
    for (size_t i = 0; i < static_cast<size_t>(LoopPhase::kCount); ++i)
        out.field(kPhaseNames[i], run.phase_ns[i]);
    out.end_object();
    out.end_object();
}

// The workloads that must end in a crash of their own domain (and no other).
bool expected_to_crash(Workload w) { return w == kWorkloadEptEscape || w == kWorkloadTripleFault; }

} // namespace

void report_dom(JsonWriter& out) {
    const DomState& s = dom_state();
    ctl_report(out);
    out.begin_object("scenario");
    out.field_bool("available", s.backend != nullptr);
    out.field("backend", s.backend != nullptr ? s.backend->name : "none");
    out.field("refusal", s.refusal != nullptr ? s.refusal : "");
    out.field("config", s.config_source);
    out.field("config_summary", s.config_summary);
    out.field("config_errors", s.config.total_errors());
    out.field("refused_vcpus", s.refused_vcpus);
    out.field("run_ns", s.end > s.start ? s.end - s.start : 0);
    uint64_t exits = 0;
    for (uint32_t i = 0; i < s.vcpu_count; ++i) exits += s.vcpus[i].hvm.stats.exits_total;
    const uint64_t locks = s.pool_locks_at_end - s.pool_locks_at_start;
    out.field("vm_exits", exits);
    out.field("pool_lock_acquisitions", locks); // during the run, every pool
    out.field_fixed("pool_locks_per_exit", exits != 0 ? locks * 1'000'000 / exits : 0, 6);
    if (s.backend != nullptr && s.backend->write_report != nullptr) s.backend->write_report(out);
    out.end_object();
    out.begin_array("vcpus");
    for (uint32_t i = 0; i < s.vcpu_count; ++i) write_vcpu(out, s, s.vcpus[i]);
    out.end_array();
    out.begin_array("pcpus");
    for (CpuId c = 0; c < s.ncpus; ++c) write_pcpu(out, s.cpu[c], c);
    out.end_array();
    linux_report(out);
    out.begin_array("domains_crashed");
    for (uint32_t d = 0; d < s.domain_count; ++d)
        if (s.domains[d].dead()) out.field(nullptr, s.domains[d].spec->name);
    out.end_array();
}

// Every CPU ran its loop; every admitted VCPU was entered; a domain crashed iff its workload is
// one that must (ept-escape, triple-fault).
bool dom_passed(const DomState& s) {
    if (s.backend == nullptr || s.vcpu_count == 0) return false;
    for (CpuId c = 0; c < s.ncpus; ++c)
        if (!s.cpu[c].started || !s.cpu[c].stopped()) return false;
    for (uint32_t i = 0; i < s.vcpu_count; ++i) {
        const DomVcpu& v = s.vcpus[i];
        if (v.sched.place() == Place::Off) continue; // not admitted (logged, counted)
        if (v.hvm.stats.entries == 0) return false;
        if (v.domain->crashed != expected_to_crash(v.hvm.workload)) return false;
    }
    return true;
}

} // namespace rthv::x86::hvm
