// Boot-time guest tests, chosen with test=<selector> on the command line:
//   vmx-smoke            one guest per CPU: periodic, exit-storm, busy, interactive (cycled)
//   vmx:<w>+<w>+...      one guest per CPU with these workloads (cycled), e.g.
//                        vmx:busy+ept-escape, vmx:cli-spin+triple-fault
// Every CPU enables VT-x, creates its guest's VCPU and runs it for runtime_ms; the report gets
// an "hvm" section (see guest_report.cpp). Where VT-x is missing the run says so, refuses to
// start guests and still reports (with result "fail": nothing it was asked to run ran).
#pragma once

namespace rthv::x86::hvm {

// Runs the test and never returns if `test` names a guest test; returns otherwise.
void run_guest_test_if_selected(const char* test);

} // namespace rthv::x86::hvm
