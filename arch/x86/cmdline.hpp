// Hypervisor command line (from GRUB's multiboot2 line): space-separated key=value options.
//   console=serial|none  cpus=N (0 = all)  loglevel=0..4  runtime_ms=N
//   test=<self-test> (selftest.cpp) instead of the configuration's domains
//   trace=0|1 (schedule trace of the domains' run, drained to port 0xE9 at the end)
//   trace_ring=N (records per pCPU trace ring; checked by arch/x86/hvm/dom_trace.cpp)
// Pure code: host-tested in tests/unit/arch.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace rthv::x86 {

enum class Console { kSerial, kNone };

struct Options {
    static constexpr size_t kTestNameMax = 32;
    Console console = Console::kSerial;
    uint32_t cpus = 0;            // 0: every CPU the MADT lists
    uint32_t loglevel = 2;        // 0 errors .. 4 trace
    char test[kTestNameMax] = ""; // empty: no self-test, run the configuration's domains
    uint64_t runtime_ms = 200;    // how long the run lasts in TSC time before the report
    bool trace = false;           // record the scheduler's trace points (arch/x86/hvm/dom_trace)
    uint64_t trace_ring = 0;      // records per trace ring, 0 = default (hv/trace/ring_size.hpp)
    uint32_t bad_options = 0;     // tokens that were unknown or had bad values
    char first_bad[kTestNameMax] = "";
};

// Never fails: bad tokens are counted and the first is kept so the hypervisor can say so.
Options parse_cmdline(const char* line);

} // namespace rthv::x86
