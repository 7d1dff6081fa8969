// `busy` counts loop iterations forever and reports the count every 64 Ki iterations.
// `cli-spin` does the same with interrupts disabled: the hypervisor must still get the CPU
// back on time (external interrupts exit regardless of the guest's IF, SDM Vol. 3C 25.2).
#include "guests/runtime.hpp"

namespace rthv::guest {
namespace {

[[noreturn]] void count_forever() {
    uint64_t work = 0;
    for (;;) {
        asm volatile("" ::: "memory"); // keep the loop a loop
        if ((++work & 0xffff) == 0) report(kReportWork, work);
    }
}

} // namespace

void run_busy() { count_forever(); }

void run_cli_spin() {
    asm volatile("cli");
    count_forever();
}

} // namespace rthv::guest
