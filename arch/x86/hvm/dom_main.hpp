// test=scenario on the command line: the domains of the boot configuration module, scheduled
// by RTDS on every CPU for runtime_ms (hvm/dom.hpp), then the report with its "vcpus", "pcpus"
// and "domains_crashed" sections. Without VT-x: a clear refusal and a report (result fail).
#pragma once

namespace rthv::x86::hvm {

// Runs the scenario and never returns if `test` is "scenario"; returns otherwise.
void run_scenario_if_selected(const char* test);

} // namespace rthv::x86::hvm
