// The first difference between two engines' switch traces (every switch: time, CPU, VCPU),
// for the tests that run two schedulers through the same scenario: the core against the
// reference model (differential_test) and against the SCHED_DEADLINE-style baseline
// (tests/bench/dl_baseline_test).
#pragma once

#include "tools/sim/engine.hpp"

#include <string>
#include <vector>

namespace rthv::simtest {

// "" when the traces are equal, else "switch #N: A ..., B ... (previous: ...)" with the labels.
std::string first_switch_difference(const std::vector<sim::TraceEvent>& a,
                                    const std::vector<sim::TraceEvent>& b, const char* a_label,
                                    const char* b_label);

} // namespace rthv::simtest
