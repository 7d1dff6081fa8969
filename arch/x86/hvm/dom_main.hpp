// The hypervisor's job, run after boot unless the command line names a self-test (test=...,
// selftest.cpp): the domains of the boot configuration module, scheduled by RTDS on every CPU
// for runtime_ms (hvm/dom.hpp), then the report with its "scenario", "vcpus", "pcpus" and
// "domains_crashed" sections. Without VT-x and AMD-V: a clear refusal and a report (result
// fail).
#pragma once

namespace rthv::x86::hvm {

[[noreturn]] void run_domains();

} // namespace rthv::x86::hvm
