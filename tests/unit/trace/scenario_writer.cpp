// trace_scenario_writer TRACE_OUT EXPECTED_OUT [STEPS]: runs the standard workload on the real
// Scheduler with tracing on, writes the rthv-trace text export to TRACE_OUT and the scheduler's
// own counts to EXPECTED_OUT ("cpus N" and "dispatches NAME COUNT" lines), for
// check_pictures.py to compare with what rthv-trace draws.
#include "tests/unit/trace/sched_rig.hpp"

#include <fstream>
#include <iostream>

int main(int argc, char** argv) {
    using namespace rthv::trace::test;
    if (argc < 3) return std::cerr << "usage: trace_scenario_writer TRACE EXPECTED [STEPS]\n", 2;
    uint32_t steps = argc > 3 ? static_cast<uint32_t>(std::stoul(argv[3])) : 400;
    SchedRig rig(3);
    standard_workload(rig, steps);
    if (const char* broken = rig.sched->verify()) return std::cerr << broken << "\n", 1;
    std::ofstream trace(argv[1]), expected(argv[2]);
    trace << rig.export_text();
    expected << "cpus " << rig.ncpus << "\n";
    for (const auto& v : rig.vcpus)
        expected << "dispatches vm" << v->domain() << ' ' << rig.sched->stats(*v).dispatches
                 << "\n";
    return trace && expected ? 0 : 1;
}
