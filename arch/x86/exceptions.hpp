// CPU exceptions (vectors 0-31): every one is fatal in the hypervisor. The report names the CPU,
// the vector, the error code, RIP/RSP/CR2 and all GPRs, then the run ends with a failure.
#pragma once

#include "arch/x86/interrupt_frame.hpp"

namespace rthv::x86 {

const char* exception_name(uint64_t vector); // "#PF Page Fault", ...

[[noreturn]] void handle_exception(const InterruptFrame& f);

} // namespace rthv::x86
