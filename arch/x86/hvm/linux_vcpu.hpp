// The virtual platform of a Linux guest, as the x86 glue holds it: per domain its RAM (shared by
// its VCPUs), the devices (16550 UART on COM1 with its console ring, I/O APIC, report device),
// per VCPU a local APIC in x2APIC mode and its FPU state. The device models are portable
// (hv/vplat); this layer routes exits to them and turns their effects (timer deadlines,
// interrupts for other VCPUs) into scheduler events. Files:
//   linux_boot.cpp      memory, the PVH image, ACPI tables, start state  (dom_setup calls it)
//   linux_exits.cpp     port I/O, MSRs, MMIO, CPUID policy, HLT
//   linux_interrupts.cpp  delivery to a local APIC, wake/kick, injection before entry
// Lock order: LinuxDomain::lock -> DomVcpu::lock -> LinuxVcpu::lock, and DomVcpu::lock -> pool
// lock (Scheduler::wake); nothing takes LinuxDomain::lock while holding another of these.
#pragma once

#include "arch/x86/hvm/backend.hpp"
#include "arch/x86/hvm/guest_exits.hpp"
#include "arch/x86/json_writer.hpp"
#include "hv/lib/spinlock.hpp"
#include "hv/vplat/cmos_rtc.hpp"
#include "hv/vplat/console_ring.hpp"
#include "hv/vplat/pit8254.hpp"
#include "hv/vplat/report_device.hpp"
#include "hv/vplat/uart16550.hpp"
#include "hv/vplat/vioapic.hpp"
#include "hv/vplat/vlapic.hpp"

namespace rthv::config {
struct DomainSpec;
}

namespace rthv::x86::hvm {

struct DomVcpu;
struct DomState;
struct LinuxVcpu;

inline constexpr uint32_t kMaxLinuxDomains = 4;
inline constexpr uint32_t kMaxLinuxVcpus = 8; // per domain
inline constexpr uint64_t kIoapicGpa = 0xfec00000;
inline constexpr uint64_t kLapicGpa = 0xfee00000;
inline constexpr uint32_t kUartIrq = 4; // ISA IRQ 4 = I/O APIC pin 4 (no override in the MADT)
inline constexpr uint16_t kUartBase = 0x3f8;

struct LinuxDomain {
    uint32_t domain_id = 0;
    const char* name = "";
    GuestMemory memory;
    Spinlock lock; // the devices below
    vplat::ConsoleRing console;
    vplat::Uart16550 uart{&console};
    vplat::VirtualIoapic ioapic;
    vplat::ReportDevice report;
    vplat::Pit8254 pit{1}; // channel 2 for Linux's TSC calibration (built with the TSC's Hz)
    vplat::CmosRtc rtc;
    uint64_t start_tsc = 0; // the RTC's epoch
    Time ready_at = 0;      // when the guest first reported ready (the report device), 0: not yet
    LinuxVcpu* vcpus[kMaxLinuxVcpus] = {};
    uint32_t vcpu_count = 0;
    uint64_t unhandled_msrs = 0; // accesses answered with #GP
    uint64_t mmio_exits = 0;
    uint64_t uart_edges = 0;        // rising edges of the UART's interrupt line
    uint64_t ioapic_deliveries = 0; // interrupts the I/O APIC sent to local APICs
};

struct LinuxVcpu {
    LinuxDomain* domain = nullptr;
    DomVcpu* owner = nullptr;
    uint32_t index = 0;
    Spinlock lock; // the local APIC: its timer fires and IPIs arrive on other CPUs
    vplat::VirtualLapic lapic{0, 1};
    vplat::VcpuStartState start{true};
    uint64_t injected = 0;        // interrupts delivered to the guest
    int pending_start = -1;       // a start-up IPI's vector, applied before the AP's first entry
    uint64_t run_ns_at_ready = 0; // the scheduler's run_ns when the domain reported ready
};

// linux_boot.cpp: builds domain `spec`'s memory and image and binds its VCPUs' HvmVcpus to it
// (`first` .. `first + spec.vcpus`, EBX = start info); `entry` is the PVH entry point for
// vcpu_create. False: nothing runs (reason logged).
bool linux_domain_create(const config::DomainSpec& spec, uint32_t domain_id, DomVcpu* first,
                         uint32_t& entry);
// A start-up IPI for `lv` (an application processor).
void linux_start_ap(LinuxVcpu& lv, uint8_t vector);

// linux_exits.cpp
uint32_t linux_port_in(LinuxVcpu& lv, uint16_t port, uint8_t size);
void linux_port_out(LinuxVcpu& lv, uint16_t port, uint8_t size, uint32_t value);
MsrOutcome linux_msr_read(const Backend& b, HvmVcpu& v, uint32_t msr, uint64_t& value);
MsrOutcome linux_msr_write(const Backend& b, HvmVcpu& v, uint32_t msr, uint64_t value);
RunResult linux_mmio(const Backend& b, HvmVcpu& v, uint64_t gpa, bool write);
RunResult linux_halt(HvmVcpu& v);

// linux_interrupts.cpp
// Before each entry, on the CPU about to run `lv`: injects the highest deliverable vector or
// asks for an interrupt window.
void linux_prepare_entry(const Backend& b, LinuxVcpu& lv);
// True when an interrupt is waiting for the guest (HLT must not block). Takes lv.lock.
bool linux_interrupt_pending(LinuxVcpu& lv);
// The local APIC timer's deadline was reached (hv/dom/guest_events.cpp on_guest_timer, VCPU lock
// held).
void linux_timer_expired(LinuxVcpu& lv);
// Something is waiting for `lv` (an interrupt, its start-up): wakes it if it sleeps, kicks its
// CPU if it runs elsewhere.
void linux_wake(LinuxVcpu& lv);
// Bytes typed at `xl console`: into the UART's receive buffer (its interrupt, if enabled, goes
// to the guest); what does not fit is dropped.
void linux_console_input(LinuxDomain& d, const uint8_t* bytes, size_t n);
// Routes I/O APIC deliveries and IPIs to the domain's VCPUs (then wakes or kicks them).
void linux_deliver_ioapic(LinuxDomain& d, const vplat::IoapicEffects& fx);
void linux_deliver_ipi(LinuxVcpu& from, const vplat::IpiRequest& ipi);
// The timer deadline the local APIC asks for, as the HvmVcpu's one-shot timer (ns).
void linux_sync_timer(LinuxVcpu& lv);

// linux_report.cpp: the report's "linux" array, one object per Linux domain.
void linux_report(JsonWriter& out);
// The Linux domain with this id, or nullptr (for xl console).
LinuxDomain* linux_domain(uint32_t domain_id);
uint32_t linux_domain_count();
LinuxDomain& linux_domain_at(uint32_t i);

} // namespace rthv::x86::hvm
