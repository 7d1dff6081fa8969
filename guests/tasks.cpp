// `tasks`: the domain's periodic task set (its `tasks` key, hv/plan/FORMAT.md), scheduled by the
// guest itself on its one VCPU under EDF or RM, as a guest OS would schedule it. It is what the
// domain's reservation was planned for (hv/plan, hv/config `tasks`), so a boot can check the
// plan end to end: the guest counts every job that misses its deadline.
//
// All tasks are released together at start (the critical instant), then every T. A job still
// unfinished at its task's next release has missed (D <= T) and is dropped, so one overload
// cannot cascade into every later job. Work is CPU time (consume_until): a gap in the TSC longer
// than a few µs is time the VCPU did not run and does not count, so a job takes its C whatever
// the preemption. Exits shorter than that (none under Bochs, where one costs ~16 µs; some on
// fast hardware) count as work, which makes the guest slightly optimistic there.
#include "guests/runtime.hpp"

namespace rthv::guest {
namespace {

struct TaskState {
    uint64_t next_release = 0; // of the task's next job
    uint64_t release = 0;      // of its current job
    uint64_t deadline = 0;     // absolute deadline of the current job
    uint64_t left = 0;         // CPU ticks the current job still needs (0: none pending)
    bool missed = false;       // the current job is already counted as a miss
};

TaskState g_tasks[kMaxGuestTasks];

struct Totals {
    uint64_t jobs = 0, misses = 0, worst = 0;
    uint64_t reported_misses = 0, reported_worst = 0;
};

void count_miss(TaskState& t, Totals& n) {
    if (t.missed) return;
    t.missed = true;
    ++n.misses;
}

// New jobs for every release due at `now`; an unfinished job is dropped as missed.
void release_due(const StartInfo& si, uint64_t now, Totals& n) {
    for (uint32_t i = 0; i < si.task_count; ++i) {
        TaskState& t = g_tasks[i];
        const GuestTask& spec = si.tasks[i];
        while (t.next_release <= now) {
            if (t.left > 0) count_miss(t, n);
            t.release = t.next_release;
            t.deadline = t.release + spec.deadline_ticks;
            t.left = spec.wcet_ticks;
            t.missed = false;
            t.next_release += spec.period_ticks;
        }
    }
}

// The pending job the guest scheduler runs: earliest absolute deadline (EDF) or shortest
// period (RM, ties by task order); -1 when none is pending.
int pick(const StartInfo& si) {
    int best = -1;
    for (uint32_t i = 0; i < si.task_count; ++i) {
        if (g_tasks[i].left == 0) continue;
        if (best < 0) {
            best = static_cast<int>(i);
            continue;
        }
        const uint32_t b = static_cast<uint32_t>(best);
        bool earlier = si.guest_sched == kGuestRm
                           ? si.tasks[i].period_ticks < si.tasks[b].period_ticks
                           : g_tasks[i].deadline < g_tasks[b].deadline;
        if (earlier) best = static_cast<int>(i);
    }
    return best;
}

uint64_t next_release(const StartInfo& si) {
    uint64_t next = ~uint64_t{0};
    for (uint32_t i = 0; i < si.task_count; ++i)
        if (g_tasks[i].next_release < next) next = g_tasks[i].next_release;
    return next;
}

// Each report is a hypercall, an exit charged to this VCPU's budget: jobs every 16th, the rest
// only when they change. Misses are sent as soon as they are counted (also a job dropped at its
// next release, when no job completes), so none is missing from the report at the run's end.
void report_misses(Totals& n) {
    if (n.misses != n.reported_misses) report(kReportMisses, n.reported_misses = n.misses);
}

void report_totals(Totals& n) {
    if (n.jobs % 16 == 0) report(kReportJobs, n.jobs);
    report_misses(n);
    if (n.worst != n.reported_worst) report(kReportWorstResponse, n.reported_worst = n.worst);
}

} // namespace

void run_tasks() {
    const StartInfo& si = start_info();
    if (si.task_count == 0 || si.task_count > kMaxGuestTasks) run_triple_fault();
    const uint64_t start = rdtsc();
    for (uint32_t i = 0; i < si.task_count; ++i) g_tasks[i].next_release = start;
    Totals n;
    for (;;) {
        release_due(si, rdtsc(), n);
        report_misses(n);
        const uint64_t next = next_release(si);
        int i = pick(si);
        if (i < 0) {
            set_timer(next);
            while (rdtsc() < next) halt();
            continue;
        }
        TaskState& t = g_tasks[i];
        // A job still running at its deadline has missed it (counted now, not at its end).
        if (rdtsc() > t.deadline) count_miss(t, n);
        uint64_t done = consume_until(t.left, next); // a release may preempt the job
        t.left -= done < t.left ? done : t.left;
        if (t.left > 0) continue;
        const uint64_t finish = rdtsc();
        if (finish > t.deadline) count_miss(t, n);
        if (finish - t.release > n.worst) n.worst = finish - t.release;
        ++n.jobs;
        report_totals(n);
    }
}

} // namespace rthv::guest
