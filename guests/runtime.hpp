// The guest runtime: hypercalls (VMCALL), console output on the virtual COM1, TSC time, and a
// CPU-time meter that does not count time the guest was not running.
#pragma once

#include <stdint.h>

#include "guests/abi.hpp"

namespace rthv::guest {

using namespace rthv::guest_abi;

inline uint32_t hypercall(uint32_t nr, uint32_t a = 0, uint32_t b = 0, uint32_t c = 0) {
    uint32_t ret;
    asm volatile("vmcall" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
    return ret;
}

inline uint64_t rdtsc() {
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t{hi} << 32) | lo;
}

inline void outb(uint16_t port, uint8_t v) { asm volatile("outb %0, %1" ::"a"(v), "Nd"(port)); }
inline uint8_t inb(uint16_t port) {
    uint8_t v;
    asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

inline void report(ReportKey key, uint64_t value) {
    hypercall(kHcReport, key, static_cast<uint32_t>(value), static_cast<uint32_t>(value >> 32));
}
inline void set_timer(uint64_t tsc_deadline) {
    hypercall(kHcSetTimer, 0, static_cast<uint32_t>(tsc_deadline),
              static_cast<uint32_t>(tsc_deadline >> 32));
}
inline void block() { hypercall(kHcBlock); }
inline void yield() { hypercall(kHcYield); }

// HLT is the other way to block: the hypervisor treats it like kHcBlock (interrupts are never
// delivered to guests, only the one-shot timer wakes them).
inline void halt() { asm volatile("hlt" ::: "memory"); }

const StartInfo& start_info();

// Console: putc goes through the virtual UART port by port (one I/O exit per byte); print
// sends a whole string in one hypercall.
void putc(char c);
void puts(const char* s);   // via the port
void print(const char* s);  // via kHcConsole
void print_u32(uint32_t v); // decimal, via the port

// Burns `ticks` of CPU time: TSC steps longer than a few µs (the guest was descheduled or
// exited) are not counted, so a job takes its CPU time whatever the preemption.
void consume(uint64_t ticks);
// The same, but stops early once the TSC reaches `stop_tsc`; returns the CPU ticks consumed.
uint64_t consume_until(uint64_t ticks, uint64_t stop_tsc);

// Workloads (one file each); none returns except by crashing.
[[noreturn]] void run_busy();
[[noreturn]] void run_periodic();
[[noreturn]] void run_interactive();
[[noreturn]] void run_tasks();
[[noreturn]] void run_cli_spin();
[[noreturn]] void run_exit_storm();
[[noreturn]] void run_ept_escape();
[[noreturn]] void run_triple_fault();

} // namespace rthv::guest
