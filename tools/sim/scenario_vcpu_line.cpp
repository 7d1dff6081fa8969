// Parses one "vcpu NAME key=value..." line: scheduling parameters and the workload.
#include "tools/sim/parse_util.hpp"

#include "hv/plan/taskset.hpp"

namespace rthv::sim::parse {
namespace {

WorkloadKind workload_kind(const std::string& text) {
    if (text == "busy") return WorkloadKind::Busy;
    if (text == "periodic") return WorkloadKind::Periodic;
    if (text == "sporadic") return WorkloadKind::Sporadic;
    if (text == "interactive") return WorkloadKind::Interactive;
    if (text == "tasks") return WorkloadKind::Tasks;
    throw Failure{"workload must be busy, periodic, sporadic, interactive or tasks, got '" + text +
                  "'"};
}

Duration us_key(Pairs& kv, const std::string& key, uint64_t fallback_us) {
    uint64_t us = kv.count(key) ? to_u64(key, kv[key]) : fallback_us;
    if (us > kMaxPeriodUs) throw Failure{"'" + key + "' is too large (max 2^32 us)"};
    return from_us(us);
}

// A guest task set in hv/plan's syntax (hv/plan/FORMAT.md), the same text `rthv plan` reads.
WorkloadSpec tasks_workload(Pairs& kv) {
    WorkloadSpec w;
    w.kind = WorkloadKind::Tasks;
    for (const char* key : {"wcet", "job_period", "min_gap", "max_gap"})
        if (kv.count(key)) throw Failure{std::string("'") + key + "' is not for a tasks workload"};
    if (!kv.count("tasks")) throw Failure{"workload=tasks needs tasks=C/T[/D],..."};
    plan::TaskSet ts;
    plan::TaskError err;
    const std::string& text = kv["tasks"];
    if (!plan::parse_tasks(text.data(), text.size(), ts, err))
        throw Failure{"tasks: " + std::string(err.text)};
    for (uint32_t i = 0; i < ts.count; ++i)
        w.tasks.push_back({from_us(ts.tasks[i].wcet_us), from_us(ts.tasks[i].period_us),
                           from_us(ts.tasks[i].deadline_us)});
    const std::string guest = kv.count("guest") ? kv["guest"] : "edf";
    if (guest != "edf" && guest != "rm")
        throw Failure{"guest must be edf or rm, got '" + guest + "'"};
    w.guest_rm = guest == "rm";
    w.offset = us_key(kv, "offset", 0);
    w.jitter = us_key(kv, "jitter", 0);
    if (kv.count("group")) w.group = kv["group"];
    return w;
}

WorkloadSpec workload(Pairs& kv, uint64_t period_us) {
    WorkloadSpec w;
    w.kind = workload_kind(kv.count("workload") ? kv["workload"] : "busy");
    for (const char* key : {"tasks", "guest", "group"})
        if (w.kind != WorkloadKind::Tasks && kv.count(key))
            throw Failure{std::string("'") + key + "' is only for a tasks workload"};
    if (w.kind == WorkloadKind::Tasks) return tasks_workload(kv);
    const bool busy = w.kind == WorkloadKind::Busy;
    const bool periodic = w.kind == WorkloadKind::Periodic;
    for (const char* key : {"wcet", "offset"})
        if (busy && kv.count(key)) throw Failure{std::string("busy workload takes no ") + key};
    for (const char* key : {"job_period", "jitter"})
        if (!periodic && kv.count(key))
            throw Failure{std::string("'") + key + "' is only for periodic workloads"};
    for (const char* key : {"min_gap", "max_gap"})
        if ((busy || periodic) && kv.count(key))
            throw Failure{std::string("'") + key + "' is only for sporadic/interactive workloads"};
    if (busy) return w;
    if (!kv.count("wcet")) throw Failure{"workload needs wcet=US"};
    w.wcet = us_key(kv, "wcet", 0);
    if (w.wcet == 0) throw Failure{"wcet must be > 0"};
    w.offset = us_key(kv, "offset", 0);
    if (periodic) {
        w.job_period = us_key(kv, "job_period", period_us);
        w.jitter = us_key(kv, "jitter", 0);
        if (w.job_period == 0) throw Failure{"job_period must be > 0"};
        return w;
    }
    if (!kv.count("min_gap")) throw Failure{"workload needs min_gap=US"};
    w.min_gap = us_key(kv, "min_gap", 0);
    w.max_gap = us_key(kv, "max_gap", 2 * to_us(w.min_gap));
    if (w.min_gap == 0) throw Failure{"min_gap must be > 0"};
    if (w.max_gap < w.min_gap) throw Failure{"max_gap must be >= min_gap"};
    return w;
}

} // namespace

VcpuSpec vcpu_line(const std::vector<std::string>& words,
                   const std::map<std::string, size_t>& pools, CpuId pcpus) {
    if (words.size() < 2 || words[1].find('=') != std::string::npos)
        throw Failure{"usage: vcpu NAME key=value..."};
    Pairs kv = to_pairs(words, 2,
                        {"domain", "period", "budget", "extratime", "wake", "affinity", "pool",
                         "workload", "wcet", "job_period", "offset", "jitter", "min_gap", "max_gap",
                         "tasks", "guest", "group"});
    VcpuSpec v;
    v.name = words[1];
    v.domain = kv.count("domain") ? kv["domain"] : v.name.substr(0, v.name.find('.'));
    if (kv.count("period")) v.period_us = to_u64("period", kv["period"]);
    if (kv.count("budget")) v.budget_us = to_u64("budget", kv["budget"]);
    if (v.budget_us < kMinBudgetUs)
        throw Failure{"budget " + std::to_string(v.budget_us) + " us is below the 10 us minimum"};
    if (v.budget_us > v.period_us)
        throw Failure{"budget " + std::to_string(v.budget_us) + " us exceeds period " +
                      std::to_string(v.period_us) + " us"};
    if (v.period_us > kMaxPeriodUs) throw Failure{"period exceeds the 2^32 us maximum"};
    if (kv.count("extratime")) v.extratime = to_bool("extratime", kv["extratime"]);
    if (kv.count("wake")) {
        if (kv["wake"] == "deferrable")
            v.wake_rule = WakeRule::Deferrable;
        else if (kv["wake"] == "cbs")
            v.wake_rule = WakeRule::Cbs;
        else
            throw Failure{"wake must be deferrable or cbs, got '" + kv["wake"] + "'"};
    }
    if (kv.count("affinity")) {
        v.affinity = parse_cpu_list(kv["affinity"], pcpus);
        if (!v.affinity)
            throw Failure{"bad affinity '" + kv["affinity"] + "' (CPUs are 0.." +
                          std::to_string(pcpus - 1) + ")"};
    }
    if (kv.count("pool")) {
        auto it = pools.find(kv["pool"]);
        if (it == pools.end()) throw Failure{"unknown pool '" + kv["pool"] + "'"};
        v.pool = it->second;
    }
    v.workload = workload(kv, v.period_us);
    return v;
}

} // namespace rthv::sim::parse
