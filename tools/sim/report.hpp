// Reports of a finished simulation: per-VCPU statistics as JSON, and a table for people.
#pragma once

#include "tools/sim/engine.hpp"

#include <ostream>

namespace rthv::sim {

// Writes {"scenario": {...}, "vcpus": [...], "errors": [...]} (field list in SCENARIO.md).
void write_report(std::ostream& out, const Engine& engine);

// One row per VCPU: reservation, received share, misses, job misses, latency, response.
void print_summary(std::ostream& out, const Engine& engine);

} // namespace rthv::sim
