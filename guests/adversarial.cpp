// Adversarial workloads: each misbehaves in one way the hypervisor must contain.
#include "guests/runtime.hpp"

namespace rthv::guest {

// A storm of VM exits: CPUID and port I/O in a tight loop (both exit unconditionally).
void run_exit_storm() {
    uint64_t caused = 0;
    for (;;) {
        uint32_t a = 0, b, c = 0, d;
        asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
        (void)inb(kConsoleStatusPort);
        caused += 2;
        if ((caused & 0x3ff) == 0) report(kReportExitsCaused, caused);
    }
}

// Reads guest-physical memory its EPT does not map: the hypervisor must crash this domain
// (an EPT violation), and nothing of the host may leak in.
void run_ept_escape() {
    print("reading outside my memory\n");
    volatile uint32_t* outside = reinterpret_cast<volatile uint32_t*>(kUnmappedGpa);
    uint32_t v = *outside;
    report(kReportWork, v); // only reached if the read was allowed
    print("escape succeeded\n");
    for (;;) halt();
}

// Raises #UD with an empty IDT: #UD -> #GP -> #DF -> triple fault (SDM Vol. 3A 6.15,
// interrupt 8), which must crash this domain only.
void run_triple_fault() {
    print("triple-faulting\n");
    struct [[gnu::packed]] {
        uint16_t limit;
        uint32_t base;
    } empty_idt{0, 0};
    asm volatile("lidt %0; ud2" ::"m"(empty_idt));
    for (;;) halt();
}

} // namespace rthv::guest
