// timerlat: timer-interrupt latency to a guest handler, measured from inside a guest (issue 14,
// item 3; the method of Martins & Pinto, RTAS'23: when the timer was due, when the guest's
// handler ran). A PVH guest on the virtual PC platform Linux gets (hv/vplat): it arms its
// virtual x2APIC's TSC-deadline timer and reads the TSC first thing in the handler.
//
// Two phases of `samples` each:
// - spin: the VCPU waits running, interrupts on (the hypervisor takes the physical interrupt
//   from a running guest and injects it);
// - halt: the VCPU waits in HLT (blocked in the scheduler, woken by its timer, then injected).
// Intervals vary pseudo-randomly in [interval/2, 3·interval/2) so that deadlines fall at every
// phase of the VCPU's reservation period. The figures go to the hypervisor's report through the
// report device (port 0xE40, guests/linux/REPORT.md), ending with timerlat_done=1.
//
// Command line (hvm_start_info): timerlat.samples=N (default 1000, at most 4096) and
// timerlat.interval_us=U (default 1000).
#include <stdint.h>

namespace {

constexpr uint32_t kTimerVector = 0xEC; // Linux's LOCAL_TIMER_VECTOR; any vector >= 32 works
constexpr uint32_t kMaxSamples = 4096;
constexpr uint16_t kReportPort = 0xE40;
// x2APIC MSRs (SDM Vol. 3A 11.12.1.2) and IA32_TSC_DEADLINE (11.5.4.1).
constexpr uint32_t kApicBase = 0x1B, kSvr = 0x80F, kLvtTimer = 0x832, kTscDeadline = 0x6E0;

struct IdtGate {
    uint16_t offset_lo, selector;
    uint8_t zero, type_attr;
    uint16_t offset_hi;
};
IdtGate idt[256];
uint64_t latency_ticks[kMaxSamples];

inline void wrmsr(uint32_t msr, uint64_t v) {
    asm volatile("wrmsr" ::"c"(msr), "a"(static_cast<uint32_t>(v)),
                 "d"(static_cast<uint32_t>(v >> 32)));
}
inline uint64_t rdmsr(uint32_t msr) {
    uint32_t lo, hi;
    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t{hi} << 32) | lo;
}
inline uint64_t rdtsc() {
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t{hi} << 32) | lo;
}
inline void outb(uint16_t port, uint8_t v) { asm volatile("outb %0, %1" ::"a"(v), "Nd"(port)); }

// CPUID 0x40000010 EAX: the TSC frequency in kHz (the hypervisor timing leaf, hv/vplat).
uint32_t tsc_khz() {
    uint32_t a, b, c, d;
    asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x40000010u), "c"(0u));
    return a;
}

void report(const char* name, uint64_t value) {
    for (const char* p = name; *p != '\0'; ++p) outb(kReportPort, static_cast<uint8_t>(*p));
    outb(kReportPort, '=');
    char digits[20];
    int n = 0;
    do {
        digits[n++] = static_cast<char>('0' + value % 10);
        value /= 10;
    } while (value != 0);
    while (n > 0) outb(kReportPort, static_cast<uint8_t>(digits[--n]));
    outb(kReportPort, '\n');
}

bool has_prefix(const char* s, const char* prefix) {
    while (*prefix != '\0')
        if (*s++ != *prefix++) return false;
    return true;
}

// The decimal value of `key=` in the command line, or `fallback`.
uint32_t cmdline_value(const char* cmdline, const char* key, uint32_t fallback) {
    for (const char* p = cmdline; p != nullptr && *p != '\0'; ++p) {
        if ((p != cmdline && p[-1] != ' ') || !has_prefix(p, key)) continue;
        const char* v = p;
        while (*v != '=') ++v;
        uint32_t n = 0;
        bool any = false;
        for (++v; *v >= '0' && *v <= '9'; ++v, any = true)
            n = n * 10 + static_cast<uint32_t>(*v - '0');
        return any ? n : fallback;
    }
    return fallback;
}

void set_gate(uint32_t vector, void (*handler)(), uint16_t cs) {
    auto at = reinterpret_cast<uintptr_t>(handler);
    idt[vector] = {static_cast<uint16_t>(at), cs, 0, 0x8E, static_cast<uint16_t>(at >> 16)};
}

} // namespace

extern "C" {
volatile uint64_t handler_tsc;
volatile uint32_t fired;
volatile uint32_t faults;
void timer_stub();
void fault_stub();
void timerlat_main(uint32_t start_info);
}

namespace {

void setup_interrupts() {
    uint16_t cs;
    asm volatile("mov %%cs, %0" : "=r"(cs));
    for (uint32_t v = 0; v < 256; ++v) set_gate(v, fault_stub, cs);
    set_gate(kTimerVector, timer_stub, cs);
    struct [[gnu::packed]] {
        uint16_t limit;
        uint32_t base;
    } idtr{sizeof(idt) - 1, static_cast<uint32_t>(reinterpret_cast<uintptr_t>(idt))};
    asm volatile("lidt %0" ::"m"(idtr));
    // x2APIC mode: EN then EXTD (SDM Vol. 3A 11.12.1: xAPIC first, then x2APIC), software
    // enable with the spurious vector 0xFF, timer in TSC-deadline mode (LVT bits 18:17 = 10b).
    uint64_t base = rdmsr(kApicBase);
    wrmsr(kApicBase, base | (1u << 11));
    wrmsr(kApicBase, base | (1u << 11) | (1u << 10));
    wrmsr(kSvr, 0x1FF);
    wrmsr(kLvtTimer, kTimerVector | (2u << 17));
}

// Shell sort: a few thousand samples, no library.
void sort(uint64_t* a, uint32_t n) {
    for (uint32_t gap = n / 2; gap > 0; gap /= 2)
        for (uint32_t i = gap; i < n; ++i)
            for (uint32_t j = i; j >= gap && a[j - gap] > a[j]; j -= gap) {
                uint64_t t = a[j];
                a[j] = a[j - gap];
                a[j - gap] = t;
            }
}

uint64_t ticks_to_ns(uint64_t ticks, uint32_t khz) { return ticks * 1000000 / khz; }

// One phase: `samples` deadlines, waiting for each running (spin) or halted; then its figures.
void measure(const char* phase, bool halt, uint32_t samples, uint64_t interval, uint32_t khz,
             uint32_t& seed) {
    uint32_t early = 0;
    // Spinning, interrupts stay on for the whole phase: a host interrupt (the hypervisor's own
    // budget or replenishment timer) that arrives while the guest has IF=0 is not turned into a
    // VM exit by Bochs 2.7 until the hypervisor's 200 us poll (hvm/README.md), which would put
    // an emulator artefact into this phase's tail. Halting needs the cli: `sti; hlt` is the
    // only wait that cannot miss a wake-up.
    if (!halt) asm volatile("sti" ::: "memory");
    for (uint32_t i = 0; i < samples; ++i) {
        seed = seed * 1664525u + 1013904223u; // Numerical Recipes' LCG
        uint64_t wait = interval / 2 + (uint64_t{seed >> 8} * interval >> 24);
        uint32_t seen = fired;
        uint64_t deadline = rdtsc() + wait;
        wrmsr(kTscDeadline, deadline);
        if (halt)
            while (fired == seen) asm volatile("sti; hlt; cli" ::: "memory");
        else
            while (fired == seen) asm volatile("pause" ::: "memory");
        // Delivered before it was due would be a platform bug: counted, not hidden.
        if (handler_tsc < deadline) ++early;
        latency_ticks[i] = handler_tsc >= deadline ? handler_tsc - deadline : 0;
    }
    asm volatile("cli" ::: "memory");
    sort(latency_ticks, samples);
    uint64_t sum = 0;
    for (uint32_t i = 0; i < samples; ++i) sum += latency_ticks[i];
    char name[40];
    auto put = [&](const char* what, uint64_t v) {
        uint32_t n = 0;
        for (const char* p = "timerlat_"; *p != '\0'; ++p) name[n++] = *p;
        for (const char* p = phase; *p != '\0'; ++p) name[n++] = *p;
        name[n++] = '_';
        for (const char* p = what; *p != '\0'; ++p) name[n++] = *p;
        name[n] = '\0';
        report(name, v);
    };
    put("samples", samples);
    put("early", early);
    put("min_ns", ticks_to_ns(latency_ticks[0], khz));
    put("avg_ns", ticks_to_ns(sum / samples, khz));
    put("p50_ns", ticks_to_ns(latency_ticks[samples / 2], khz));
    put("p99_ns", ticks_to_ns(latency_ticks[samples * 99 / 100], khz));
    put("max_ns", ticks_to_ns(latency_ticks[samples - 1], khz));
}

} // namespace

extern "C" void timerlat_main(uint32_t start_info) {
    // hvm_start_info (Xen's public/arch-x86/hvm/start_info.h): cmdline_paddr at offset 24.
    auto* si = reinterpret_cast<const uint8_t*>(static_cast<uintptr_t>(start_info));
    uint64_t cmdline_gpa = *reinterpret_cast<const uint64_t*>(si + 24);
    auto* cmdline = reinterpret_cast<const char*>(static_cast<uintptr_t>(cmdline_gpa));
    uint32_t samples = cmdline_value(cmdline, "timerlat.samples=", 1000);
    uint32_t interval_us = cmdline_value(cmdline, "timerlat.interval_us=", 1000);
    if (samples == 0 || samples > kMaxSamples) samples = kMaxSamples;
    uint32_t khz = tsc_khz();
    if (khz == 0 || interval_us == 0) {
        report("timerlat_error", khz == 0 ? 1 : 2);
        return;
    }
    setup_interrupts();
    report("ready", 1);
    uint64_t interval = uint64_t{interval_us} * khz / 1000;
    uint32_t seed = 1;
    measure("spin", false, samples, interval, khz, seed);
    measure("halt", true, samples, interval, khz, seed);
    report("timerlat_faults", faults);
    report("timerlat_done", 1);
}
