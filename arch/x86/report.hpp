// The end-of-run report: one JSON object on serial between RTHV-REPORT-BEGIN and
// RTHV-REPORT-END, then "RTHV-EXIT pass|fail" (the runner reads these; Bochs cannot return
// an exit status). Subsystems add top-level keys by registering a section; the report itself
// writes "result" and "faults".
#pragma once

#include "arch/x86/json_writer.hpp"

namespace rthv::x86 {

using ReportSection = void (*)(JsonWriter& out);

// Sections are written in registration order; up to 16.
void report_add_section(ReportSection section);

// Counts a CPU exception (the report's "faults" and the final verdict).
void report_count_fault();
uint64_t report_faults();

// Prints the report and exits the emulator; `pass` is overridden to false if any fault was
// counted. Only one CPU gets to print; others calling it later just halt.
[[noreturn]] void report_and_exit(bool pass);

// Exit without a report (nested faults): marker line, then the emulator exit ports.
[[noreturn]] void exit_run(bool pass);

} // namespace rthv::x86
