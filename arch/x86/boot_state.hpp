// What the BSP learned while booting, for the self-tests and the report.
#pragma once

#include "arch/x86/cmdline.hpp"
#include "arch/x86/madt.hpp"
#include "arch/x86/multiboot2.hpp"
#include "hv/lib/types.hpp"

namespace rthv::x86 {

struct BootState {
    BootInfo info;
    Options options;
    MadtInfo madt;
    const char* acpi_status = "not searched";
    CpuId cpus_expected = 1; // min(MADT CPUs, cpus=N, kMaxArchCpus)
};

const BootState& boot_state();

// Runs the command line's test selector on the BSP once every CPU is up; ends the run.
[[noreturn]] void run_selected_test();

// What an AP does once it is up: halt until interrupts bring work.
[[noreturn]] void ap_idle();

} // namespace rthv::x86
