#include "guests/runtime.hpp"

namespace rthv::guest {

const StartInfo& start_info() { return *reinterpret_cast<const StartInfo*>(kStartInfoGpa); }

void putc(char c) { outb(kConsolePort, static_cast<uint8_t>(c)); }

void puts(const char* s) {
    while (*s != '\0') putc(*s++);
}

void print(const char* s) {
    uint32_t n = 0;
    while (s[n] != '\0') ++n;
    // Paging is off: the string's address is its guest-physical address.
    hypercall(kHcConsole, static_cast<uint32_t>(reinterpret_cast<uintptr_t>(s)), n);
}

void print_u32(uint32_t v) {
    char digits[10];
    int n = 0;
    do {
        digits[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0) putc(digits[--n]);
}

uint64_t consume_until(uint64_t ticks, uint64_t stop_tsc) {
    // A loop step is a few dozen instructions; anything longer than ~5 µs (and at least 256
    // ticks, for slow emulated TSCs) means time spent outside this guest.
    uint64_t max_step = start_info().tsc_hz / 200000;
    if (max_step < 256) max_step = 256;
    uint64_t done = 0;
    uint64_t last = rdtsc();
    while (done < ticks && last < stop_tsc) {
        uint64_t t = rdtsc();
        uint64_t step = t - last;
        last = t;
        if (step < max_step) done += step;
    }
    return done;
}

void consume(uint64_t ticks) { consume_until(ticks, ~uint64_t{0}); }

} // namespace rthv::guest

// Called by entry.S: greets on both console paths, then runs the workload StartInfo names.
extern "C" [[noreturn]] void guest_main() {
    using namespace rthv::guest;
    const StartInfo& si = start_info();
    if (si.magic != kStartInfoMagic) run_triple_fault(); // nothing sensible to do
    puts("hello from ");
    puts(si.name);
    puts(" (domain ");
    print_u32(si.domain_id);
    puts(")\n");
    switch (si.workload) {
    case kWorkloadBusy:
        run_busy();
    case kWorkloadPeriodic:
        run_periodic();
    case kWorkloadInteractive:
        run_interactive();
    case kWorkloadCliSpin:
        run_cli_spin();
    case kWorkloadExitStorm:
        run_exit_storm();
    case kWorkloadEptEscape:
        run_ept_escape();
    case kWorkloadTasks:
        run_tasks();
    default:
        run_triple_fault();
    }
}
