#include "arch/x86/vmx/vmx_cpu.hpp"

#include "arch/x86/cpuid.hpp"
#include "arch/x86/hvm/guest_memory.hpp"
#include "arch/x86/msr.hpp"
#include "arch/x86/paging.hpp"
#include "arch/x86/percpu_area.hpp"
#include "arch/x86/vmx/vmcs_fields.hpp"
#include "arch/x86/vmx/vmx_caps.hpp"
#include "arch/x86/vmx/vmx_insn.hpp"

namespace rthv::x86::vmx {
namespace {

constexpr uint64_t kCr4Vmxe = 1u << 13;

ControlWords words;
bool probed = false;
// Per CPU: its VMXON region (kept across disable/enable) and whether it is in VMX operation.
struct CpuVmx {
    uint64_t vmxon_region;
    bool enabled;
};
PerCpuArea<CpuVmx> cpus;

uint64_t read_cap(CapMsr m) { return rdmsr(static_cast<Msr>(static_cast<uint32_t>(m))); }

uint64_t read_cr0() {
    uint64_t v;
    asm volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}
uint64_t read_cr4() {
    uint64_t v;
    asm volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}
void write_cr0(uint64_t v) { asm volatile("mov %0, %%cr0" ::"r"(v) : "memory"); }
void write_cr4(uint64_t v) { asm volatile("mov %0, %%cr4" ::"r"(v) : "memory"); }

// Adjusts `wanted` against a control MSR; every wanted bit is required.
bool adjust(uint32_t wanted, CapMsr msr, uint32_t& out) {
    Controls c = adjust_controls(wanted, read_cap(msr));
    out = c.value;
    return c.missing == 0;
}

} // namespace

bool probe(const char*& why) {
    // CPUID.1:ECX.VMX[bit 5] (SDM 24.6 "Discovering support for VMX").
    if ((cpuid(1).ecx & (1u << 5)) == 0) {
        why = "CPUID.1:ECX.VMX=0: this CPU (or emulator, e.g. QEMU TCG) has no VT-x";
        return false;
    }
    uint64_t fc = read_cap(CapMsr::kFeatureControl);
    if ((fc & kFeatureControlLock) != 0 && (fc & kFeatureControlVmxOutsideSmx) == 0) {
        why = "VT-x is disabled by the firmware (IA32_FEATURE_CONTROL locked without VMX)";
        return false;
    }
    uint64_t basic = read_cap(CapMsr::kBasic);
    if ((basic & kBasicTrueControls) == 0) {
        why = "IA32_VMX_BASIC: no true control MSRs (pre-Nehalem VT-x is not supported)";
        return false;
    }
    words.revision = static_cast<uint32_t>(basic & 0x7fffffff);
    // Secondary controls first: EPT and unrestricted guest are the hard requirements.
    if (!adjust(kProc2EnableEpt | kProc2UnrestrictedGuest, CapMsr::kProcControls2, words.proc2)) {
        why = "VT-x without EPT and unrestricted guest (secondary controls)";
        return false;
    }
    uint64_t ept = read_cap(CapMsr::kEptVpidCap);
    if ((ept & kEptWalk4) == 0 || (ept & kEptWriteBack) == 0) {
        why = "EPT without 4-level write-back page tables (IA32_VMX_EPT_VPID_CAP)";
        return false;
    }
    words.invept_single = (ept & kInvept) != 0 && (ept & kInveptSingle) != 0;
    // Budgets must be enforceable whatever the guest does: external interrupts always exit
    // and are acknowledged on exit (SDM 25.2, 27.2.2), HLT and all port I/O exit.
    bool ok =
        adjust(kPinExternalInterruptExiting | kPinNmiExiting, CapMsr::kTruePinControls,
               words.pin) &&
        adjust(kProcHltExiting | kProcUnconditionalIoExiting | kProcActivateSecondary,
               CapMsr::kTrueProcControls, words.proc) &&
        adjust(kExitHostAddressSpaceSize | kExitAckInterruptOnExit | kExitSaveEfer | kExitLoadEfer,
               CapMsr::kTrueExitControls, words.exit) &&
        adjust(kEntryLoadEfer, CapMsr::kTrueEntryControls, words.entry);
    if (!ok) {
        why = "VT-x lacks a required control (interrupt/HLT/I/O exiting or EFER switching)";
        return false;
    }
    // The VMX-preemption timer (SDM 26.5.1) bounds every guest stint by the hypervisor's next
    // deadline even when the interrupt cannot exit: Bochs 2.7 masks external interrupts for a
    // guest entered with RFLAGS.IF=0 despite "external-interrupt exiting". Optional.
    uint32_t pin_with_timer = 0;
    words.preemption_timer =
        adjust(words.pin | kPinPreemptionTimer, CapMsr::kTruePinControls, pin_with_timer);
    if (words.preemption_timer) words.pin = pin_with_timer;
    words.preemption_rate = static_cast<uint32_t>(read_cap(CapMsr::kMisc) & 0x1f); // A.6
    words.cr0_fixed0 = read_cap(CapMsr::kCr0Fixed0);
    words.cr0_fixed1 = read_cap(CapMsr::kCr0Fixed1);
    words.cr4_fixed0 = read_cap(CapMsr::kCr4Fixed0);
    words.cr4_fixed1 = read_cap(CapMsr::kCr4Fixed1);
    probed = true;
    return true;
}

const ControlWords& controls() { return words; }

bool cpu_enable(const char*& why) {
    CpuVmx& here = cpus.here();
    if (here.enabled) return true;
    if (!probed) {
        why = "vmx::probe() was not run";
        return false;
    }
    // Firmware may leave the MSR unlocked: enable VMX outside SMX and lock it (SDM 24.7).
    uint64_t fc = read_cap(CapMsr::kFeatureControl);
    if ((fc & kFeatureControlLock) == 0)
        wrmsr(static_cast<Msr>(static_cast<uint32_t>(CapMsr::kFeatureControl)),
              fc | kFeatureControlLock | kFeatureControlVmxOutsideSmx);
    // CR0/CR4 must honour the fixed bits in VMX operation (SDM 24.8, A.7, A.8).
    write_cr0(apply_fixed(read_cr0(), words.cr0_fixed0, words.cr0_fixed1));
    write_cr4(apply_fixed(read_cr4() | kCr4Vmxe, words.cr4_fixed0, words.cr4_fixed1));
    if (here.vmxon_region == 0) here.vmxon_region = hvm::alloc_frame();
    if (here.vmxon_region == 0) {
        why = "out of memory for the VMXON region";
        return false;
    }
    // The VMXON region starts with the VMCS revision identifier (SDM 25.11.5).
    *phys_to_virt<uint32_t>(here.vmxon_region) = words.revision;
    if (!vmxon(here.vmxon_region)) {
        why = "VMXON failed";
        return false;
    }
    here.enabled = true;
    return true;
}

bool cpu_enabled(CpuId cpu) { return cpu < percpu_count() && cpus.on(cpu).enabled; }

} // namespace rthv::x86::vmx
