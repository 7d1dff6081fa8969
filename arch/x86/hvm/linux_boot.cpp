// Booting a Linux domain (PVH entry, hv/vplat/PVH.md): its RAM (one GuestMemory for all its
// VCPUs, so one nested tree), the vmlinux module's PT_LOAD segments, the initramfs, the command
// line with what the platform adds, the ACPI tables (MADT with one local APIC per VCPU and the
// I/O APIC), and hvm_start_info. VCPU 0 starts at the PVH entry in 32-bit protected mode with
// paging off and EBX = start info, which is how every backend starts a guest already.
#include "arch/x86/boot_state.hpp"
#include "arch/x86/console.hpp"
#include "arch/x86/cr.hpp"
#include "arch/x86/hvm/dom.hpp"
#include "arch/x86/hvm/linux_vcpu.hpp"
#include "arch/x86/paging.hpp"
#include "arch/x86/tsc.hpp"
#include "hv/lib/format.hpp"
#include "hv/vplat/acpi_tables.hpp"
#include "hv/vplat/pvh_elf.hpp"
#include "hv/vplat/pvh_error.hpp"
#include "hv/vplat/pvh_layout.hpp"

#include <new>

namespace rthv::x86::hvm {
namespace {

LinuxDomain domains[kMaxLinuxDomains];
uint32_t domain_count = 0;
LinuxVcpu vcpus[kMaxLinuxDomains * kMaxLinuxVcpus];
uint32_t vcpu_count = 0;

bool same(const char* a, const char* b) {
    while (*a != '\0' && *a == *b) ++a, ++b;
    return *a == *b;
}

const BootModule* find_module(const char* name) {
    const BootInfo& info = boot_state().info;
    for (size_t i = 0; i < info.module_count; ++i)
        if (info.modules[i].cmdline != nullptr && same(info.modules[i].cmdline, name))
            return &info.modules[i];
    return nullptr;
}

bool write_gpa(void* ctx, uint64_t gpa, const void* src, size_t len) {
    auto* m = static_cast<GuestMemory*>(ctx);
    return src != nullptr ? m->write(gpa, src, len) : m->zero(gpa, len);
}

// The platform's part of the command line, before the domain's own (which may override it):
// - the TSC frequency (tsc_early_khz) and the delay-loop calibration (lpj at HZ=250), so Linux
//   needs no reference clock for either; tsc=reliable: no watchdog against a clock it lacks;
// - the console on the virtual COM1, from the first line (earlycon polls the line status);
// - pci=off (there is no PCI: the probe only costs exits), mitigations=off (the speculation
//   controls are hidden from CPUID; the page-table isolation would double every syscall).
// A PVH image that is not Linux gets its own command line only.
void guest_cmdline(const config::DomainSpec& spec, char* out, size_t size) {
    if (spec.guest != config::GuestKind::Linux) {
        format(out, size, "%s", spec.linux_boot.cmdline);
        return;
    }
    unsigned long long khz = tsc_info().hz / 1000;
    format(out, size,
           "console=ttyS0 earlycon=uart8250,io,0x3f8 tsc_early_khz=%llu tsc=reliable lpj=%llu "
           "pci=off mitigations=off nmi_watchdog=0 8250.nr_uarts=1 %s",
           khz, khz * 1000 / 250, spec.linux_boot.cmdline);
}

} // namespace

bool linux_domain_create(const config::DomainSpec& spec, uint32_t domain_id, DomVcpu* first,
                         uint32_t& entry) {
    if (domain_count == kMaxLinuxDomains || spec.vcpus > kMaxLinuxVcpus) {
        log(LogLevel::kError, "%s: at most %u Linux domains of %u VCPUs each", spec.name,
            kMaxLinuxDomains, kMaxLinuxVcpus);
        return false;
    }
    const BootModule* image = find_module(spec.linux_boot.image);
    const BootModule* initrd =
        spec.linux_boot.ramdisk[0] != '\0' ? find_module(spec.linux_boot.ramdisk) : nullptr;
    if (image == nullptr || (spec.linux_boot.ramdisk[0] != '\0' && initrd == nullptr)) {
        log(LogLevel::kError,
            "%s: no boot module named \"%s\" (the runner loads the files the "
            "config names as module2 entries)",
            spec.name, image == nullptr ? spec.linux_boot.image : spec.linux_boot.ramdisk);
        return false;
    }
    LinuxDomain& d = domains[domain_count];
    d.domain_id = domain_id;
    d.name = spec.name;
    if (!d.memory.allocate(spec.memory_mib << 20)) {
        log(LogLevel::kError, "%s: out of memory for its %llu MiB", spec.name,
            static_cast<unsigned long long>(spec.memory_mib));
        return false;
    }
    vplat::PvhImage img;
    vplat::PvhError e = vplat::pvh_parse(phys_to_virt<const uint8_t>(image->start),
                                         static_cast<size_t>(image->end - image->start), img);
    uint8_t acpi[vplat::kAcpiTablesMaxBytes];
    uint64_t rsdp = 0;
    size_t acpi_bytes = 0;
    if (e == vplat::PvhError::Ok) {
        vplat::AcpiPlatform ap{spec.vcpus, kIoapicGpa, kLapicGpa};
        acpi_bytes = vplat::build_acpi_tables(ap, vplat::kPvhAcpiGpa, acpi, sizeof acpi, rsdp);
    }
    char cmdline[config::kMaxGuestCmdlineLength + 128];
    guest_cmdline(spec, cmdline, sizeof cmdline);
    vplat::PvhBoot boot;
    boot.ram_bytes = d.memory.bytes();
    boot.cmdline = cmdline;
    if (initrd != nullptr) {
        boot.initrd = phys_to_virt<const uint8_t>(initrd->start);
        boot.initrd_size = initrd->end - initrd->start;
    }
    boot.rsdp_gpa = rsdp;
    vplat::PvhPlacement at;
    if (e == vplat::PvhError::Ok) e = vplat::pvh_load(img, boot, write_gpa, &d.memory, at);
    if (e != vplat::PvhError::Ok || acpi_bytes == 0 ||
        !d.memory.write(vplat::kPvhAcpiGpa, acpi, acpi_bytes)) {
        log(LogLevel::kError, "%s: cannot boot \"%s\": %s", spec.name, spec.linux_boot.image,
            e != vplat::PvhError::Ok ? vplat::describe(e) : "ACPI tables do not fit");
        d.memory.release();
        return false;
    }
    new (&d.ioapic) vplat::VirtualIoapic(static_cast<uint8_t>(spec.vcpus));
    new (&d.pit) vplat::Pit8254(tsc_info().hz);
    d.start_tsc = rdtsc();
    ++domain_count;
    for (uint32_t k = 0; k < spec.vcpus; ++k) {
        LinuxVcpu& lv = vcpus[vcpu_count++];
        lv.domain = &d;
        lv.owner = first + k;
        lv.index = k;
        // The timer's input clock: the TSC itself (divide by 1 before the divide register).
        new (&lv.lapic) vplat::VirtualLapic(k, 1);
        new (&lv.start) vplat::VcpuStartState(k == 0);
        d.vcpus[d.vcpu_count++] = &lv;
        HvmVcpu& h = lv.owner->hvm;
        h.memory = &d.memory;
        h.platform = &lv;
        h.regs.rbx = at.start_info_gpa;
    }
    log(LogLevel::kInfo,
        "%s: Linux, %llu MiB, entry 0x%llx, kernel 0x%llx-0x%llx, initrd %llu "
        "bytes at 0x%llx",
        spec.name, static_cast<unsigned long long>(spec.memory_mib),
        static_cast<unsigned long long>(at.entry), static_cast<unsigned long long>(at.kernel_lo),
        static_cast<unsigned long long>(at.kernel_hi),
        static_cast<unsigned long long>(at.initrd_size),
        static_cast<unsigned long long>(at.initrd_gpa));
    entry = static_cast<uint32_t>(at.entry);
    return true;
}

LinuxDomain* linux_domain(uint32_t domain_id) {
    for (uint32_t i = 0; i < domain_count; ++i)
        if (domains[i].domain_id == domain_id) return &domains[i];
    return nullptr;
}

uint32_t linux_domain_count() { return domain_count; }
LinuxDomain& linux_domain_at(uint32_t i) { return domains[i]; }

// An AP's start-up IPI: the first after INIT starts it (its real-mode state is loaded on the
// CPU that runs it first, linux_prepare_entry); it was blocked since boot, so it is woken.
void linux_start_ap(LinuxVcpu& lv, uint8_t vector) {
    {
        LockGuard g(lv.lock);
        if (!lv.start.on_sipi(vector)) return; // running already, or no INIT before
        lv.pending_start = vector;
    }
    linux_wake(lv);
}

} // namespace rthv::x86::hvm
