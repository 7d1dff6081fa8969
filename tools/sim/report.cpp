// JSON report: the scheduler's statistics per VCPU, plus what only the simulator knows
// (received CPU share, job response times and job deadline misses).
#include "tools/sim/report.hpp"

#include "tools/sim/json_writer.hpp"

#include <cstdio>

namespace rthv::sim {
namespace {

const char* workload_name(WorkloadKind k) {
    switch (k) {
    case WorkloadKind::Busy:
        return "busy";
    case WorkloadKind::Periodic:
        return "periodic";
    case WorkloadKind::Sporadic:
        return "sporadic";
    case WorkloadKind::Interactive:
        return "interactive";
    case WorkloadKind::Tasks:
        return "tasks";
    }
    return "?";
}

// "0-3,6" (empty string for no CPU).
std::string cpu_list(const CpuSet& set) {
    std::string out;
    for (CpuId c = set.first(); c != CpuSet::kNone;) {
        CpuId end = c;
        while (end + 1 < kMaxCpus && set.test(end + 1)) ++end;
        if (!out.empty()) out += ',';
        out += std::to_string(c);
        if (end > c) out += "-" + std::to_string(end);
        c = end + 1 < kMaxCpus ? set.next(end + 1) : CpuSet::kNone;
    }
    return out;
}

// ratio a/b as a fixed-point number with 6 decimals.
uint64_t ratio_e6(uint64_t a, uint64_t b) {
    return b == 0 ? 0 : static_cast<uint64_t>((static_cast<unsigned __int128>(a) * 1000000u) / b);
}

void write_vcpu(JsonWriter& j, const Engine& e, uint32_t v) {
    const Scenario& s = e.scenario();
    const VcpuSpec& spec = s.vcpus[v];
    const SchedStats st = e.port().stats(v);
    j.begin_object();
    j.key("name").value(spec.name).key("domain").value(spec.domain);
    j.key("pool").value(s.pools[spec.pool].name);
    j.key("period_us").value(spec.period_us).key("budget_us").value(spec.budget_us);
    j.key("extratime").value(spec.extratime);
    j.key("wake").value(spec.wake_rule == WakeRule::Cbs ? "cbs" : "deferrable");
    j.key("workload").value(workload_name(spec.workload.kind));
    j.key("run_ns").value(st.run_ns).key("budget_used_ns").value(st.budget_used_ns);
    j.key("extratime_ns").value(st.extratime_ns).key("stolen_ns").value(st.stolen_ns);
    j.key("periods").value(st.periods).key("misses").value(st.misses);
    j.key("late_wakes").value(st.late_wakes);
    j.key("overrun_ns_total").value(st.overrun_ns_total);
    j.key("overrun_ns_max").value(st.overrun_ns_max);
    j.key("dispatches").value(st.dispatches);
    j.key("latency_max_ns").value(st.latency_max_ns);
    j.key("latency_mean_ns").value(st.dispatches ? st.latency_sum_ns / st.dispatches : 0);
    j.key("received_ns").value(e.received_ns(v));
    j.key("share").fixed(ratio_e6(e.received_ns(v), s.duration), 6);
    j.key("reserved_share").fixed(ratio_e6(spec.budget_us, spec.period_us), 6);
    if (spec.workload.kind != WorkloadKind::Busy) {
        const JobStats& js = e.workload(v).stats();
        j.key("jobs").begin_object();
        j.key("released").value(js.released).key("completed").value(js.completed);
        j.key("misses").value(js.misses).key("response_max_ns").value(js.response_max);
        j.key("response_mean_ns").value(js.completed ? js.response_sum / js.completed : 0);
        j.end_object();
    }
    j.end_object();
}

} // namespace

void write_report(std::ostream& out, const Engine& engine) {
    const Scenario& s = engine.scenario();
    JsonWriter j(out);
    j.begin_object();
    j.key("scenario").begin_object();
    j.key("pcpus").value(uint64_t{s.pcpus}).key("duration_ns").value(s.duration);
    j.key("seed").value(s.seed);
    j.key("timer_late_ns").value(s.timers.late).key("timer_jitter_ns").value(s.timers.jitter);
    j.key("pools").begin_array();
    for (const PoolSpec& p : s.pools)
        j.begin_object().key("name").value(p.name).key("cpus").value(cpu_list(p.cpus)).end_object();
    j.end_array().end_object();
    j.key("vcpus").begin_array();
    for (uint32_t v = 0; v < s.vcpus.size(); ++v) write_vcpu(j, engine, v);
    j.end_array();
    j.key("errors").begin_array();
    for (const std::string& err : engine.errors()) j.value(err);
    j.end_array();
    j.end_object();
}

void print_summary(std::ostream& out, const Engine& engine) {
    const Scenario& s = engine.scenario();
    char line[256];
    std::snprintf(line, sizeof line, "%-16s %9s %9s %3s %8s %8s %7s %6s %8s %12s %12s\n", "vcpu",
                  "period", "budget", "ext", "reserved", "received", "misses", "late", "job_miss",
                  "lat_max_us", "resp_max_us");
    out << line;
    for (uint32_t v = 0; v < s.vcpus.size(); ++v) {
        const VcpuSpec& spec = s.vcpus[v];
        const SchedStats st = engine.port().stats(v);
        const JobStats& js = engine.workload(v).stats();
        const bool jobs = spec.workload.kind != WorkloadKind::Busy;
        double reserved =
            100.0 * static_cast<double>(spec.budget_us) / static_cast<double>(spec.period_us);
        double received =
            100.0 * static_cast<double>(engine.received_ns(v)) / static_cast<double>(s.duration);
        std::snprintf(line, sizeof line,
                      "%-16s %9llu %9llu %3s %7.2f%% %7.2f%% %7llu %6llu %8s %12.1f %12s\n",
                      spec.name.c_str(), static_cast<unsigned long long>(spec.period_us),
                      static_cast<unsigned long long>(spec.budget_us),
                      spec.extratime ? "yes" : "no", reserved, received,
                      static_cast<unsigned long long>(st.misses),
                      static_cast<unsigned long long>(st.late_wakes),
                      jobs ? std::to_string(js.misses).c_str() : "-",
                      static_cast<double>(st.latency_max_ns) / 1000.0,
                      jobs ? std::to_string(js.response_max / 1000).c_str() : "-");
        out << line;
    }
    out << "simulated " << s.duration / 1'000'000 << " ms on " << s.pcpus << " pCPUs, seed "
        << s.seed << "\n";
}

} // namespace rthv::sim
