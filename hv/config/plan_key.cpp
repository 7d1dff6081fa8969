// `tasks` and `guest_sched`: a domain states its guest's task set and the reservation is planned
// from it (hv/plan) instead of being given as `budget`. The planned period/budget go into the
// domain's Params as if written, so the boot applies them and admission control counts them.
#include "hv/config/parser.hpp"
#include "hv/lib/format.hpp"

namespace rthv::config::detail {
namespace {

using ull = unsigned long long;

// The task parser's messages start with "line 1, " (or "line 1: "): a config value is one line,
// whose number the config error already gives.
const char* without_line(const char* text) {
    const char* p = text;
    if (p[0] != 'l' || p[1] != 'i' || p[2] != 'n' || p[3] != 'e' || p[4] != ' ') return text;
    p += 5;
    while (*p >= '0' && *p <= '9') ++p;
    if ((p[0] == ',' || p[0] == ':') && p[1] == ' ') return p + 2;
    return text;
}

} // namespace

void Parser::tasks_key(const Statement& st) {
    Text t;
    if (!string(st, t)) return;
    plan::TaskError err;
    if (!plan::parse_tasks(t.ptr, t.len, cfg_.plan_request.tasks, err))
        key_error(st, "%s", without_line(err.text));
}

void Parser::guest_sched_key(const Statement& st) {
    Text t;
    if (!string(st, t)) return;
    if (t.equals("edf"))
        cfg_.plan_request.guest = plan::GuestSched::Edf;
    else if (t.equals("rm"))
        cfg_.plan_request.guest = plan::GuestSched::Rm;
    else
        key_error(st, "unknown guest scheduler (edf, rm)");
}

// With `period` the plan is for that period; without, the cheapest over min T / 8 .. min T. The
// wake rule decides which supply bound the plan assumes (hv/plan/SERVERS.md).
bool Parser::plan_domain(DomainSpec& d) {
    const uint32_t me = index_, line = key_line(Key::Tasks);
    if (key_line(Key::Budget) != 0) {
        error(key_line(Key::Budget), "budget", me,
              "budget is planned from tasks (line %u): leave it out", line);
        return false;
    }
    plan::Request& r = cfg_.plan_request;
    r.vcpus = d.vcpus;
    r.server =
        d.params.wake_rule == WakeRule::Cbs ? plan::ServerRule::Cbs : plan::ServerRule::Deferrable;
    if (key_line(Key::Period) != 0) r.period_min = r.period_max = d.params.period_us;
    plan::Plan& p = cfg_.plan_scratch;
    plan::make_plan(r, p);
    if (!p.ok) {
        error(line, "tasks", me,
              "no reservation on %u VCPU%s makes these tasks schedulable (guest %s, wake %s): %s",
              d.vcpus, d.vcpus == 1 ? "" : "s", plan::guest_name(r.guest),
              describe(d.params.wake_rule), p.why);
        return false;
    }
    d.params.period_us = p.period_us;
    d.params.budget_us = p.budget_us;
    d.planned.active = true;
    d.planned.guest = r.guest;
    d.planned.tasks = r.tasks.count;
    d.planned.set = r.tasks;
    d.planned.overhead_us = r.overhead_us;
    d.planned.task_ppm = p.task_ppm;
    d.planned.bandwidth_ppm = p.bandwidth_ppm;
    return true;
}

// kernel "tasks" runs the planned task set itself, one guest scheduler on one VCPU: without
// `tasks` it has nothing to run, and on several VCPUs the guest would have to share its jobs
// between them (global EDF) or be told the task-to-VCPU map (rm), which the toy cannot.
void Parser::finish_tasks_workload(const DomainSpec& d) {
    if (key_line(Key::Tasks) == 0)
        error(line_of(Key::Kernel), "kernel", index_,
              "kernel \"tasks\" runs the domain's task set: add `tasks`");
    else if (d.vcpus != 1)
        error(line_of(Key::Vcpus), "vcpus", index_,
              "kernel \"tasks\" schedules its tasks on one VCPU (vcpus = %u)", d.vcpus);
}

} // namespace rthv::config::detail
