// A guest's periodic task set (WCET C, period T, deadline D, all µs) and its text form, shared by
// the `rthv plan` CLI and the boot configuration's `tasks` key (hv/plan/FORMAT.md).
//
// Freestanding like the rest of hv/: fixed capacity, no heap, integers only.
#pragma once

#include "hv/lib/types.hpp"

namespace rthv::plan {

inline constexpr uint32_t kMaxTasks = 32;
// The same ceiling as an RTDS period (hv/sched/params.hpp): every product of two times in the
// analysis then stays below 2^64 once divided by a task count.
inline constexpr uint64_t kMaxTimeUs = uint64_t{1} << 32;

struct Task {
    uint64_t wcet_us = 0;     // C
    uint64_t period_us = 0;   // T (minimum inter-arrival time)
    uint64_t deadline_us = 0; // D, relative; C <= D <= T
};

struct TaskSet {
    Task tasks[kMaxTasks];
    uint32_t count = 0;
};

// Where a task set is wrong: the 1-based line and task (the n-th task of the whole text), and
// the sentence, e.g. `line 3, task 4 (field D): deadline 12000 exceeds period 10000`.
struct TaskError {
    uint32_t line = 0;
    uint32_t task = 0;
    char text[128] = {};
};

// Parses tasks `C/T` or `C/T/D` separated by commas, blanks or newlines; `#` comments run to the
// end of the line. Stops at the first error (true = no error). An empty set is an error.
bool parse_tasks(const char* text, size_t len, TaskSet& out, TaskError& err);

// Utilisation sum(C/T) in parts per million, rounded up (as admission rounds).
uint64_t utilisation_ppm(const TaskSet& ts);

} // namespace rthv::plan
