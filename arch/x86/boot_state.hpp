// What the BSP learned while booting, for the self-tests and the report.
#pragma once

#include "arch/x86/cmdline.hpp"
#include "arch/x86/madt.hpp"
#include "arch/x86/multiboot2.hpp"
#include "hv/lib/types.hpp"

namespace rthv::x86 {

class JsonWriter;

struct BootState {
    BootInfo info;
    Options options;
    MadtInfo madt;
    const char* acpi_status = "not searched";
    CpuId cpus_expected = 1; // min(MADT CPUs, cpus=N, kMaxArchCpus)
};

const BootState& boot_state();

// selftest.cpp. The report's "boot" fields: CPUs, time source, timer, command line, and the
// heartbeat self-test's figures.
void report_boot(JsonWriter& out);
// Runs the self-test that test=... names, on the BSP once every CPU is up; ends the run.
[[noreturn]] void run_self_test(const char* test);

} // namespace rthv::x86
