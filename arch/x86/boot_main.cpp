// The BSP's path from the 64-bit entry to a running SMP system: per-CPU tables (in the static
// boot block) and IDT first (so anything that goes wrong is reported), then boot info, memory,
// ACPI, the per-CPU blocks for the CPUs found, LAPIC and time, APs.
#include "arch/x86/acpi.hpp"
#include "arch/x86/boot_state.hpp"
#include "arch/x86/console.hpp"
#include "arch/x86/hvm/dom_main.hpp"
#include "arch/x86/idt.hpp"
#include "arch/x86/lapic.hpp"
#include "arch/x86/msr.hpp"
#include "arch/x86/paging.hpp"
#include "arch/x86/pic.hpp"
#include "arch/x86/report.hpp"
#include "arch/x86/smp.hpp"
#include "arch/x86/timer.hpp"
#include "arch/x86/tsc.hpp"

extern "C" char __kernel_phys_start[], __kernel_phys_end[];
extern "C" void (*__init_array_start[])(), (*__init_array_end[])();

namespace rthv::x86 {
namespace {

constexpr uint64_t k4G = 4ull << 30;
constexpr uint32_t kMaxInfoSize = 1u << 20;
BootState state;
FrameAllocator frames;

[[noreturn]] void boot_failed(const char* what, const char* why) {
    log(LogLevel::kError, "boot failed: %s: %s", what, why);
    report_and_exit(false);
}

// ACPI tables live below 4 GiB on the emulators and on most firmware; the physmap covers it.
const uint8_t* read_phys(uint64_t pa, size_t len) {
    if (pa + len < pa || pa + len > k4G) return nullptr;
    return phys_to_virt<const uint8_t>(pa);
}

void setup_memory(uint64_t info_phys) {
    PhysRange reserved[4 + kMaxBootModules] = {
        {0, 1u << 20}, // real-mode IVT, BIOS data, the AP trampoline page, option ROMs
        {reinterpret_cast<uint64_t>(__kernel_phys_start),
         reinterpret_cast<uint64_t>(__kernel_phys_end)},
        {info_phys, info_phys + state.info.total_size},
    };
    size_t n = 3;
    for (size_t i = 0; i < state.info.module_count; ++i)
        reserved[n++] = {state.info.modules[i].start, state.info.modules[i].end};
    uint64_t highest = 0;
    for (size_t i = 0; i < state.info.mmap_count; ++i) {
        const MemRegion& r = state.info.mmap[i];
        if (r.type == MemType::kAvailable && r.base + r.length > highest)
            highest = r.base + r.length;
    }
    // Page tables must sit below 4 GiB (the AP trampoline loads CR3 in 32-bit mode), and the
    // early physmap covers only 4 GiB: the allocator hands out frames below 4 GiB for now.
    frames.init(state.info.mmap, state.info.mmap_count, reserved, n, k4G,
                [](uint64_t pa) { return phys_to_virt<void>(pa); });
    paging_init(frames, highest);
    log(LogLevel::kInfo, "memory: %zu regions, highest RAM 0x%llx, %llu free frames",
        state.info.mmap_count, static_cast<unsigned long long>(highest),
        static_cast<unsigned long long>(frames.free_frames()));
}

void setup_acpi() {
    AcpiTable table;
    AcpiError e =
        find_acpi_table(state.info.rsdp, state.info.rsdp_length, "APIC", read_phys, table);
    state.acpi_status = to_string(e);
    if (e != AcpiError::kNone) boot_failed("ACPI MADT", to_string(e));
    if (MadtError m = parse_madt(table.bytes, table.length, state.madt); m != MadtError::kNone)
        boot_failed("MADT", to_string(m));
    state.acpi_status = "ok";
    CpuId want = state.options.cpus == 0 ? kMaxArchCpus : state.options.cpus;
    auto listed = static_cast<CpuId>(state.madt.cpu_count);
    state.cpus_expected = listed < want ? listed : want;
    if (state.cpus_expected > kMaxArchCpus) state.cpus_expected = kMaxArchCpus;
    if (state.cpus_expected == 0) state.cpus_expected = 1;
    log(LogLevel::kInfo, "MADT: %zu CPUs, LAPIC at 0x%llx, %zu IOAPICs; using %u",
        state.madt.cpu_count, static_cast<unsigned long long>(state.madt.lapic_address),
        state.madt.ioapic_count, state.cpus_expected);
}

} // namespace

const BootState& boot_state() { return state; }

} // namespace rthv::x86

extern "C" [[noreturn]] void boot_main(uint32_t magic, uint32_t info_phys) {
    using namespace rthv::x86;
    for (auto* ctor = __init_array_start; ctor != __init_array_end; ++ctor) (*ctor)();
    enter_percpu(percpu(0)); // the static boot block until the CPU count is known
    idt_init();
    idt_load();
    console_init(true, 2);
    if (magic != kMultiboot2Magic) boot_failed("entry", "not started by a multiboot2 loader");
    const auto* info = phys_to_virt<const uint8_t>(info_phys);
    uint32_t total = *reinterpret_cast<const uint32_t*>(info);
    Mb2Error e = parse_multiboot2(info, total < kMaxInfoSize ? total : kMaxInfoSize, state.info);
    if (e != Mb2Error::kNone) boot_failed("multiboot2 info", to_string(e));
    state.options = parse_cmdline(state.info.cmdline);
    console_init(state.options.console == Console::kSerial, state.options.loglevel);
    log(LogLevel::kInfo, "rthv: cmdline \"%s\"", state.info.cmdline ? state.info.cmdline : "");
    if (state.options.bad_options != 0)
        log(LogLevel::kWarn, "%u bad option(s), first: \"%s\"", state.options.bad_options,
            state.options.first_bad);
    setup_memory(info_phys);
    setup_acpi();
    if (const char* why = percpu_allocate(state.cpus_expected, frames))
        boot_failed("per-CPU blocks", why);
    log(LogLevel::kDebug, "per-CPU: %u blocks of %zu bytes", state.cpus_expected,
        percpu_block_bytes());
    PerCpu& bsp = percpu(0);
    lapic::set_base(state.madt.lapic_address);
    pic_disable();
    lapic::init_cpu();
    if (!tsc_calibrate()) boot_failed("TSC", "no frequency (PIT did not count)");
    timer_init_bsp();
    cpu_init(bsp);
    __atomic_store_n(&bsp.online, true, __ATOMIC_RELEASE);
    log(LogLevel::kInfo, "TSC %llu Hz (%s), timer %s",
        static_cast<unsigned long long>(tsc_info().hz), tsc_info().source, timer_mode_name());
    rthv::CpuId online = smp_start_aps(state.madt, state.cpus_expected);
    log(LogLevel::kInfo, "%u of %u CPUs online", online, state.cpus_expected);
    report_add_section(report_boot);
    if (state.options.bad_options != 0) report_and_exit(false);
    if (state.options.test[0] != '\0') run_self_test(state.options.test);
    hvm::run_domains(); // what the hypervisor is for: the configuration's domains
}
