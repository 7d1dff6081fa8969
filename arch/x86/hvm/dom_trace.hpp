// The schedule trace of the domains' run (issue 6): per-pCPU rings fed by the scheduler's trace
// points. The rings always exist (static storage) and the hook is always installed; trace=1 on
// the kernel command line only starts it enabled. While the run goes on, `xl trace` turns it on
// and off and reads the rings over the control channel (DomCtl::trace_*, defined here); with
// trace=1, whatever is left at the end is drained in the hv/trace text format
// (hv/trace/FORMAT.md) to the debug console port 0xE9, which tools/run/rthv_run.py collects.
// trace_ring=N sets the records per ring (hv/trace/ring_size.hpp); a bad N refuses the run.
#pragma once

#include "arch/x86/hvm/dom.hpp"

namespace rthv::x86::hvm {

// Before dom_setup (so insertions and first deadlines are recorded): rings for s.ncpus CPUs,
// the hook on the scheduler (enabled if trace=1), and the "trace" report section.
void dom_trace_start(DomState& s);

// Stops recording, at the instant the statistics snapshot is taken, so the trace and the
// report's counts describe the same run (timers keep firing afterwards, e.g. replenishments
// of servers nobody runs any more, which would show as misses after the run).
void dom_trace_stop();

// After the snapshot, with every CPU out of its loop: if trace=1, writes header, VCPU names,
// every ring and the footer with the per-ring drop counts to port 0xE9.
void dom_trace_finish(const DomState& s);

} // namespace rthv::x86::hvm
