// The schedule trace of test=scenario (kernel command line trace=1, issue 6): per-pCPU rings fed
// by the scheduler's trace points during the run, drained at the end in the hv/trace text format
// (hv/trace/FORMAT.md) to the debug console port 0xE9, which tools/run/rthv_run.py collects.
#pragma once

#include "arch/x86/hvm/dom.hpp"

namespace rthv::x86::hvm {

// Before dom_setup (so insertions and first deadlines are recorded): rings for s.ncpus CPUs,
// the hook on the scheduler, and the "trace" report section. Does nothing unless trace=1.
void dom_trace_start(DomState& s);

// Stops recording, at the instant the statistics snapshot is taken, so the trace and the
// report's counts describe the same run (timers keep firing afterwards, e.g. replenishments
// of servers nobody runs any more, which would show as misses after the run).
void dom_trace_stop();

// After the snapshot, with every CPU out of its loop: writes header, VCPU names, every ring
// and the footer with the per-ring drop counts to port 0xE9.
void dom_trace_finish(const DomState& s);

} // namespace rthv::x86::hvm
