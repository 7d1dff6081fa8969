#include "arch/x86/exceptions.hpp"

#include "arch/x86/console.hpp"
#include "arch/x86/cr.hpp"
#include "arch/x86/percpu.hpp"
#include "arch/x86/report.hpp"

namespace rthv::x86 {

// SDM Vol. 3A 6.15, table 6-1.
const char* exception_name(uint64_t vector) {
    static const char* const kNames[32] = {
        "#DE Divide Error",
        "#DB Debug",
        "NMI",
        "#BP Breakpoint",
        "#OF Overflow",
        "#BR BOUND Range Exceeded",
        "#UD Invalid Opcode",
        "#NM Device Not Available",
        "#DF Double Fault",
        "Coprocessor Segment Overrun",
        "#TS Invalid TSS",
        "#NP Segment Not Present",
        "#SS Stack-Segment Fault",
        "#GP General Protection",
        "#PF Page Fault",
        "Reserved (15)",
        "#MF x87 FPU Error",
        "#AC Alignment Check",
        "#MC Machine Check",
        "#XM SIMD Floating-Point",
        "#VE Virtualization",
        "#CP Control Protection",
        "Reserved (22)",
        "Reserved (23)",
        "Reserved (24)",
        "Reserved (25)",
        "Reserved (26)",
        "Reserved (27)",
        "#HV Hypervisor Injection",
        "#VC VMM Communication",
        "#SX Security",
        "Reserved (31)",
    };
    return vector < 32 ? kNames[vector] : "not an exception";
}

void handle_exception(const InterruptFrame& f) {
    CpuId cpu = current_cpu_id();
    PerCpu& pc = percpu(cpu);
    bool nested = pc.in_fault;
    pc.in_fault = true;
    report_count_fault();
    using ull = unsigned long long;
    console_emergency_begin();
    console_emergency_write("RTHV-FAULT cpu=%u apic=%u vector=%llu (%s) error=0x%llx%s", cpu,
                            pc.apic_id, static_cast<ull>(f.vector), exception_name(f.vector),
                            static_cast<ull>(f.error_code), nested ? " NESTED" : "");
    console_emergency_write("  RIP=%016llx CS=%04llx RFLAGS=%016llx", static_cast<ull>(f.rip),
                            static_cast<ull>(f.cs), static_cast<ull>(f.rflags));
    console_emergency_write("  RSP=%016llx SS=%04llx CR2=%016llx CR3=%016llx",
                            static_cast<ull>(f.rsp), static_cast<ull>(f.ss),
                            static_cast<ull>(read_cr2()), static_cast<ull>(read_cr3()));
    console_emergency_write("  RAX=%016llx RBX=%016llx RCX=%016llx RDX=%016llx",
                            static_cast<ull>(f.rax), static_cast<ull>(f.rbx),
                            static_cast<ull>(f.rcx), static_cast<ull>(f.rdx));
    console_emergency_write("  RSI=%016llx RDI=%016llx RBP=%016llx R8 =%016llx",
                            static_cast<ull>(f.rsi), static_cast<ull>(f.rdi),
                            static_cast<ull>(f.rbp), static_cast<ull>(f.r8));
    console_emergency_write("  R9 =%016llx R10=%016llx R11=%016llx R12=%016llx",
                            static_cast<ull>(f.r9), static_cast<ull>(f.r10),
                            static_cast<ull>(f.r11), static_cast<ull>(f.r12));
    console_emergency_write("  R13=%016llx R14=%016llx R15=%016llx", static_cast<ull>(f.r13),
                            static_cast<ull>(f.r14), static_cast<ull>(f.r15));
    console_emergency_end();
    // A fault while reporting (e.g. in the report writer) must not loop: exit without a report.
    if (nested) exit_run(false);
    report_and_exit(false);
}

} // namespace rthv::x86
