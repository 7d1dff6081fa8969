// Exits of a Linux guest, routed to its virtual platform: COM1 and the report device on port
// I/O (every other port reads as all ones and ignores writes: an empty ISA bus, no PCI at
// 0xcf8), the local APIC and the MSRs the CPU context holds, the I/O APIC page by MMIO (the
// faulting instruction is decoded: no emulator here hands over its bytes), and HLT.
#include "arch/x86/console.hpp"
#include "arch/x86/cr.hpp"
#include "arch/x86/hvm/dom.hpp"
#include "arch/x86/hvm/linux_vcpu.hpp"
#include "arch/x86/tsc.hpp"
#include "hv/vplat/guest_walk.hpp"
#include "hv/vplat/mmio_decode.hpp"

namespace rthv::x86::hvm {
namespace {

using ull = unsigned long long;

constexpr uint32_t kMsrTsc = 0x10;
constexpr uint32_t kMsrEfer = 0xc0000080;
// EFER bits a guest may set: SCE, LME, NXE (LMA is the processor's; APM 3.1.7, SDM 2.2.1).
constexpr uint64_t kEferWritable = 1u << 0 | 1u << 8 | 1u << 11 | 1u << 10;

// Model-specific MSRs Linux reads with plain RDMSR at boot although a virtual CPU has nothing to
// say through them: they read as 0 and ignore writes rather than print a warning per boot.
bool read_as_zero(uint32_t msr) {
    switch (msr) {
    case 0x17:       // IA32_PLATFORM_ID
    case 0x8b:       // IA32_BIOS_SIGN_ID: no microcode revision
    case 0xc0011029: // AMD DE_CFG
        return true;
    default:
        return false;
    }
}

// COM1's interrupt to I/O APIC pin 4 (ISA IRQ 4, edge-triggered): an edge on every access after
// which the UART wants service, not only when its line rises. A line that was already high
// when Linux unmasked the pin (or stays high across two sources) would otherwise never
// interrupt again and the tty would stall; the 8250 driver takes a spurious interrupt (IIR:
// none pending) in its stride. QEMU's serial and I/O APIC behave the same way.
void raise_uart_edge(LinuxDomain& d) {
    bool rose = d.uart.take_rising_edge();
    if (!rose && !d.uart.irq_line()) return;
    ++d.uart_edges;
    vplat::IoapicEffects fx, none; // set_pin overwrites its effects: one for each call
    d.ioapic.set_pin(kUartIrq, true, fx);
    d.ioapic.set_pin(kUartIrq, false, none); // back low at once: the next access is an edge again
    linux_deliver_ioapic(d, fx);
}

// The guest reported `ready`: what its VCPUs received from here on is what a workload started
// by its init received, the figure budget tests compare with the reservation (linux_report).
void mark_ready(LinuxDomain& d) {
    DomState& s = dom_state();
    for (uint32_t k = 0; k < d.vcpu_count; ++k)
        d.vcpus[k]->run_ns_at_ready = s.sched.stats(d.vcpus[k]->owner->sched).run_ns;
}

// What a local APIC write asks of the platform: its timer re-armed, an IPI routed, a
// level-triggered EOI passed to the I/O APIC.
void apply_lapic_effects(LinuxVcpu& lv, const vplat::LapicEffects& fx) {
    if (fx.timer_changed) linux_sync_timer(lv);
    if (fx.has_ipi) linux_deliver_ipi(lv, fx.ipi);
    if (fx.eoi_level_vector >= 0) {
        LinuxDomain& d = *lv.domain;
        vplat::IoapicEffects io;
        {
            LockGuard g(d.lock);
            d.ioapic.eoi(static_cast<uint8_t>(fx.eoi_level_vector), io);
        }
        linux_deliver_ioapic(d, io);
    }
}

// One 32-bit access to a device page: the local APIC's (xAPIC mode) or the I/O APIC's. False:
// the device refused it (#GP for the local APIC, as an access in the wrong mode would).
bool device_access(LinuxVcpu& lv, uint64_t gpa, bool write, uint32_t& value) {
    LinuxDomain& d = *lv.domain;
    if (gpa >= kLapicGpa) {
        auto offset = static_cast<uint32_t>(gpa - kLapicGpa);
        vplat::LapicEffects fx;
        vplat::MsrAccess r;
        {
            LockGuard g(lv.lock);
            r = write ? lv.lapic.mmio_write(offset, value, rdtsc(), fx)
                      : lv.lapic.mmio_read(offset, value, rdtsc());
        }
        if (write) apply_lapic_effects(lv, fx);
        return r == vplat::MsrAccess::Ok;
    }
    const uint64_t offset = gpa - kIoapicGpa;
    vplat::IoapicEffects fx;
    {
        LockGuard g(d.lock);
        if (write)
            d.ioapic.mmio_write(offset, value, fx);
        else
            value = d.ioapic.mmio_read(offset);
    }
    if (write) linux_deliver_ioapic(d, fx);
    return true;
}

bool read_gpa(void* ctx, uint64_t gpa, void* dst, size_t len) {
    return static_cast<GuestMemory*>(ctx)->read(gpa, dst, len);
}

} // namespace

void linux_console_input(LinuxDomain& d, const uint8_t* bytes, size_t n) {
    LockGuard g(d.lock);
    for (size_t i = 0; i < n && d.uart.rx_free() > 0; ++i) d.uart.push_input(bytes[i]);
    raise_uart_edge(d);
}

uint32_t linux_port_in(LinuxVcpu& lv, uint16_t port, uint8_t size) {
    LinuxDomain& d = *lv.domain;
    if (size == 1 && (vplat::Pit8254::owns(port) || vplat::CmosRtc::owns(port))) {
        LockGuard g(d.lock);
        uint64_t t = rdtsc();
        return vplat::CmosRtc::owns(port) ? d.rtc.read(port, (t - d.start_tsc) / tsc_info().hz)
                                          : d.pit.read(port, t);
    }
    if (port >= kUartBase && port < kUartBase + 8 && size == 1) {
        LockGuard g(d.lock);
        uint8_t value = d.uart.read(static_cast<uint8_t>(port - kUartBase));
        raise_uart_edge(d);
        return value;
    }
    return size == 4 ? 0xffffffffu : size == 2 ? 0xffffu : 0xffu;
}

void linux_port_out(LinuxVcpu& lv, uint16_t port, uint8_t size, uint32_t value) {
    LinuxDomain& d = *lv.domain;
    if (size == 1 && (vplat::Pit8254::owns(port) || vplat::CmosRtc::owns(port))) {
        LockGuard g(d.lock);
        if (vplat::CmosRtc::owns(port))
            d.rtc.write(port, static_cast<uint8_t>(value));
        else
            d.pit.write(port, static_cast<uint8_t>(value), rdtsc());
        return;
    }
    if (port >= kUartBase && port < kUartBase + 8 && size == 1) {
        LockGuard g(d.lock);
        d.uart.write(static_cast<uint8_t>(port - kUartBase), static_cast<uint8_t>(value));
        raise_uart_edge(d);
    } else if (port == vplat::kReportPort && size == 1) {
        bool became_ready;
        {
            LockGuard g(d.lock);
            d.report.put(static_cast<uint8_t>(value));
            became_ready = d.ready_at == 0 && d.report.find("ready") != nullptr;
            if (became_ready) d.ready_at = now();
        }
        if (became_ready) mark_ready(d);
    }
}

MsrOutcome linux_msr_read(const Backend& b, HvmVcpu& v, uint32_t msr, uint64_t& value) {
    LinuxVcpu& lv = *v.platform;
    if (msr == vplat::kMsrApicBase || msr == vplat::kMsrTscDeadline ||
        (msr >= vplat::kMsrX2apicFirst && msr <= vplat::kMsrX2apicLast)) {
        LockGuard g(lv.lock);
        return lv.lapic.read_msr(msr, value, rdtsc()) == vplat::MsrAccess::Ok ? MsrOutcome::kOk
                                                                              : MsrOutcome::kGp;
    }
    if (msr == kMsrTsc) {
        value = rdtsc();
        return MsrOutcome::kOk;
    }
    if (msr == kMsrEfer) {
        value = b.get_efer(v);
        return MsrOutcome::kOk;
    }
    if (b.context_msr(v, msr, &value, nullptr)) return MsrOutcome::kOk;
    if (read_as_zero(msr)) {
        value = 0;
        return MsrOutcome::kOk;
    }
    // Read by Linux before it has an IDT (verify_cpu, Intel) and by its TSC code (AMD): a #GP
    // there is a triple fault. Fast strings on (SDM Vol. 4 table 2-2); TscFreqSel (APM HWCR).
    if (msr == 0x1a0 || msr == 0xc0010015) {
        value = msr == 0x1a0 ? 1 : uint64_t{1} << 24;
        return MsrOutcome::kOk;
    }
    ++lv.domain->unhandled_msrs;
    return MsrOutcome::kGp;
}

MsrOutcome linux_msr_write(const Backend& b, HvmVcpu& v, uint32_t msr, uint64_t value) {
    LinuxVcpu& lv = *v.platform;
    if (msr == vplat::kMsrApicBase || msr == vplat::kMsrTscDeadline ||
        (msr >= vplat::kMsrX2apicFirst && msr <= vplat::kMsrX2apicLast)) {
        vplat::LapicEffects fx;
        {
            LockGuard g(lv.lock);
            if (lv.lapic.write_msr(msr, value, rdtsc(), fx) != vplat::MsrAccess::Ok)
                return MsrOutcome::kGp;
        }
        apply_lapic_effects(lv, fx);
        return MsrOutcome::kOk;
    }
    if (msr == kMsrEfer) {
        if ((value & ~kEferWritable) != 0) return MsrOutcome::kGp;
        b.set_efer(v, value);
        return MsrOutcome::kOk;
    }
    if (b.context_msr(v, msr, nullptr, &value)) return MsrOutcome::kOk;
    if (read_as_zero(msr) || msr == 0x1a0 || msr == 0xc0010015) return MsrOutcome::kOk;
    ++lv.domain->unhandled_msrs;
    return MsrOutcome::kGp;
}

// The APIC pages: decode the access at RIP (through the guest's page tables), perform it on
// the model, write a load's result back, and step over the instruction.
RunResult linux_mmio(const Backend& b, HvmVcpu& v, uint64_t gpa, bool write) {
    LinuxDomain& d = *v.platform->domain;
    bool ioapic = gpa >= kIoapicGpa && gpa < kIoapicGpa + 0x1000;
    bool lapic = gpa >= kLapicGpa && gpa < kLapicGpa + 0x1000;
    if (!ioapic && !lapic)
        return crash(v, "guest access to GPA 0x%llx: no RAM or device there",
                     static_cast<ull>(gpa));
    GuestCpuState st{};
    b.read_state(v, st);
    vplat::GuestMmu mmu{st.cr0, st.cr3, st.cr4, st.efer, 52, read_gpa, v.memory};
    uint8_t bytes[15] = {};
    vplat::FetchResult f = vplat::fetch_guest_bytes(mmu, st.rip, bytes, sizeof bytes);
    vplat::CodeSize mode = st.cs_long ? vplat::CodeSize::Bits64
                           : st.cs_32 ? vplat::CodeSize::Bits32
                                      : vplat::CodeSize::Bits16;
    vplat::Decoded dec{};
    if (f.fetched == 0 ||
        vplat::decode_mmio(bytes, f.fetched, mode, &dec) != vplat::DecodeStatus::Ok)
        return crash(v,
                     "MMIO at GPA 0x%llx by an instruction not emulated (RIP 0x%llx, opcode 0x%x)",
                     static_cast<ull>(gpa), static_cast<ull>(st.rip), dec.opcode);
    if ((dec.dir == vplat::MmioDir::Write) != write || dec.size != 4)
        return crash(v, "APIC access of %u bytes at GPA 0x%llx: only 32-bit MOVs are emulated",
                     dec.size, static_cast<ull>(gpa));
    uint64_t gprs[16];
    for (unsigned i = 0; i < 16; ++i) {
        uint64_t* r = gpr_by_number(v.regs, i);
        gprs[i] = r != nullptr ? *r : st.rsp;
    }
    ++d.mmio_exits;
    uint32_t value = write ? static_cast<uint32_t>(vplat::read_operand(gprs, dec)) : 0;
    if (!device_access(*v.platform, gpa, write, value)) {
        b.inject_exception(v, 13, true, 0);
        return RunResult::kResume;
    }
    if (!write) {
        vplat::write_result(gprs, dec, value);
        for (unsigned i = 0; i < 16; ++i)
            if (uint64_t* r = gpr_by_number(v.regs, i); r != nullptr) *r = gprs[i];
    }
    b.set_rip(v, st.rip + dec.length);
    return RunResult::kResume;
}

// HLT: the VCPU sleeps until an interrupt is pending for it; one already waiting ends it at
// once. (With RFLAGS.IF=0 a real CPU would sleep until NMI/INIT; Linux never does that but for
// a deliberate stop, which then stays stopped.)
RunResult linux_halt(HvmVcpu& v) {
    if (linux_interrupt_pending(*v.platform)) return RunResult::kResume;
    v.blocked = true;
    return RunResult::kBlock;
}

} // namespace rthv::x86::hvm
