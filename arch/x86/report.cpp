#include "arch/x86/report.hpp"

#include "arch/x86/console.hpp"
#include "arch/x86/cr.hpp"
#include "arch/x86/io.hpp"
#include "arch/x86/serial.hpp"

namespace rthv::x86 {
namespace {

constexpr size_t kMaxSections = 16;
ReportSection sections[kMaxSections];
size_t section_count = 0;
uint64_t faults = 0;
bool report_started = false;
char report_buffer[32 * 1024];

void write_line(const char* s) {
    size_t n = 0;
    while (s[n] != '\0') ++n;
    console_write_block(s, n);
}

} // namespace

void report_add_section(ReportSection section) {
    if (section_count < kMaxSections) sections[section_count++] = section;
}

void report_count_fault() { __atomic_fetch_add(&faults, 1, __ATOMIC_RELAXED); }
uint64_t report_faults() { return __atomic_load_n(&faults, __ATOMIC_RELAXED); }

void report_and_exit(bool pass) {
    if (__atomic_exchange_n(&report_started, true, __ATOMIC_ACQ_REL)) halt_forever();
    pass = pass && report_faults() == 0;
    JsonWriter out(report_buffer, sizeof(report_buffer));
    out.begin_object();
    out.field("result", pass ? "pass" : "fail");
    out.field("faults", report_faults());
    for (size_t i = 0; i < section_count; ++i) sections[i](out);
    out.end_object();
    if (out.truncated()) pass = false;
    write_line("RTHV-REPORT-BEGIN\n");
    console_write_block(out.data(), out.length());
    write_line("\nRTHV-REPORT-END\n");
    exit_run(pass);
}

void exit_run(bool pass) {
    write_line(pass ? "RTHV-EXIT pass\n" : "RTHV-EXIT fail\n");
    serial::drain();
    // QEMU isa-debug-exit (iobase 0xf4): the process exits with (value << 1) | 1.
    outb(0xf4, pass ? 0 : 1);
    // Bochs: the string "Shutdown" on port 0x8900 powers off (exit status is always 1).
    for (const char* s = "Shutdown"; *s != '\0'; ++s) outb(0x8900, static_cast<uint8_t>(*s));
    halt_forever();
}

} // namespace rthv::x86
