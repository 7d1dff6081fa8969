#include "arch/x86/vmx/vmcs_setup.hpp"

#include "arch/x86/asm_defs.hpp"
#include "arch/x86/cr.hpp"
#include "arch/x86/msr.hpp"
#include "arch/x86/percpu.hpp"
#include "arch/x86/vmx/ept.hpp"
#include "arch/x86/vmx/vmx_caps.hpp"
#include "arch/x86/vmx/vmx_cpu.hpp"
#include "arch/x86/vmx/vmx_insn.hpp"

extern "C" char vmx_exit[];

namespace rthv::x86::vmx {
namespace {

constexpr uint64_t kCr0Pe = 1u << 0, kCr0Et = 1u << 4, kCr0Ne = 1u << 5, kCr0Pg = 1u << 31;
// Segment access rights (SDM 25.4.1, table 25-2): type, S, DPL, P, D/B, G; bit 16 unusable.
constexpr uint32_t kCode32 = 0xc09b;  // execute/read, accessed, 32-bit, 4 KiB granularity
constexpr uint32_t kData32 = 0xc093;  // read/write, accessed
constexpr uint32_t kTss32Busy = 0x8b; // TR must be a busy TSS (SDM 26.3.1.2)
constexpr uint32_t kUnusable = 1u << 16;
// Guests start with RFLAGS.IF=1: external interrupts still exit to the host and never reach
// the guest ("external-interrupt exiting", SDM 25.6.1), and Bochs 2.7 only exits on them when
// the guest has IF=1 (hvm/README.md), so reschedule IPIs preempt a guest at once.
constexpr uint64_t kRflagsIf = 1u << 9;

struct [[gnu::packed]] DescriptorTable {
    uint16_t limit;
    uint64_t base;
};

uint64_t read_cr(int n) {
    uint64_t v = 0;
    if (n == 0) asm volatile("mov %%cr0, %0" : "=r"(v));
    if (n == 4) asm volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}

bool write_host_state() {
    DescriptorTable gdtr{}, idtr{};
    asm volatile("sgdt %0" : "=m"(gdtr));
    asm volatile("sidt %0" : "=m"(idtr));
    PerCpu& pc = this_cpu();
    bool ok = vmwrite(Field::kHostCr0, read_cr(0)) && vmwrite(Field::kHostCr3, read_cr3()) &&
              vmwrite(Field::kHostCr4, read_cr(4));
    ok = ok && vmwrite(Field::kHostCsSel, SEL_KERNEL_CODE) &&
         vmwrite(Field::kHostSsSel, SEL_KERNEL_DATA) &&
         vmwrite(Field::kHostDsSel, SEL_KERNEL_DATA) &&
         vmwrite(Field::kHostEsSel, SEL_KERNEL_DATA) && vmwrite(Field::kHostFsSel, 0) &&
         vmwrite(Field::kHostGsSel, 0) && vmwrite(Field::kHostTrSel, SEL_TSS);
    // GS holds the per-CPU block (percpu.hpp); TR must be this CPU's own TSS (SDM 26.2.3).
    ok = ok && vmwrite(Field::kHostFsBase, rdmsr(Msr::kFsBase)) &&
         vmwrite(Field::kHostGsBase, rdmsr(Msr::kGsBase)) &&
         vmwrite(Field::kHostTrBase, reinterpret_cast<uint64_t>(&pc.tables.tss)) &&
         vmwrite(Field::kHostGdtrBase, gdtr.base) && vmwrite(Field::kHostIdtrBase, idtr.base);
    ok = ok && vmwrite(Field::kHostSysenterCs, 0) && vmwrite(Field::kHostSysenterEsp, 0) &&
         vmwrite(Field::kHostSysenterEip, 0) && vmwrite(Field::kHostEfer, rdmsr(Msr::kEfer));
    return ok && vmwrite(Field::kHostRip, reinterpret_cast<uint64_t>(vmx_exit));
}

bool write_segment(Field sel, Field base, Field limit, Field access, uint16_t s, uint32_t ar) {
    return vmwrite(sel, s) && vmwrite(base, 0) && vmwrite(limit, 0xffffffff) && vmwrite(access, ar);
}

bool write_guest_state(uint32_t entry, uint32_t stack) {
    const ControlWords& w = controls();
    // Unrestricted guest exempts PE and PG from CR0_FIXED0 (SDM 26.3.1.1).
    uint64_t cr0_must = w.cr0_fixed0 & ~(kCr0Pe | kCr0Pg);
    uint64_t cr0 = apply_fixed(kCr0Pe | kCr0Et | kCr0Ne, cr0_must, w.cr0_fixed1);
    uint64_t cr4 = apply_fixed(0, w.cr4_fixed0, w.cr4_fixed1);
    // The guest owns CR0/CR4 except the bits VMX pins, and CR0.PG, whose writes exit so that
    // the IA-32e-mode entry control can follow (exit_cr.cpp); it reads them as it wrote them.
    bool ok = vmwrite(Field::kGuestCr0, cr0) && vmwrite(Field::kGuestCr3, 0) &&
              vmwrite(Field::kGuestCr4, cr4) &&
              vmwrite(Field::kCr0GuestHostMask, cr0_must | kCr0Pg) &&
              vmwrite(Field::kCr0ReadShadow, cr0) &&
              vmwrite(Field::kCr4GuestHostMask, w.cr4_fixed0) && vmwrite(Field::kCr4ReadShadow, 0);
    ok = ok &&
         write_segment(Field::kGuestCsSel, Field::kGuestCsBase, Field::kGuestCsLimit,
                       Field::kGuestCsAccess, 0x08, kCode32) &&
         write_segment(Field::kGuestSsSel, Field::kGuestSsBase, Field::kGuestSsLimit,
                       Field::kGuestSsAccess, 0x10, kData32) &&
         write_segment(Field::kGuestDsSel, Field::kGuestDsBase, Field::kGuestDsLimit,
                       Field::kGuestDsAccess, 0x10, kData32) &&
         write_segment(Field::kGuestEsSel, Field::kGuestEsBase, Field::kGuestEsLimit,
                       Field::kGuestEsAccess, 0x10, kData32) &&
         write_segment(Field::kGuestFsSel, Field::kGuestFsBase, Field::kGuestFsLimit,
                       Field::kGuestFsAccess, 0x10, kData32) &&
         write_segment(Field::kGuestGsSel, Field::kGuestGsBase, Field::kGuestGsLimit,
                       Field::kGuestGsAccess, 0x10, kData32);
    ok = ok && vmwrite(Field::kGuestTrSel, 0) && vmwrite(Field::kGuestTrBase, 0) &&
         vmwrite(Field::kGuestTrLimit, 0x67) && vmwrite(Field::kGuestTrAccess, kTss32Busy) &&
         vmwrite(Field::kGuestLdtrSel, 0) && vmwrite(Field::kGuestLdtrBase, 0) &&
         vmwrite(Field::kGuestLdtrLimit, 0) && vmwrite(Field::kGuestLdtrAccess, kUnusable);
    // Empty GDT and IDT: the guest never loads a segment, and any exception it raises
    // escalates to a triple fault (which exits) instead of running stray code.
    ok = ok && vmwrite(Field::kGuestGdtrBase, 0) && vmwrite(Field::kGuestGdtrLimit, 0) &&
         vmwrite(Field::kGuestIdtrBase, 0) && vmwrite(Field::kGuestIdtrLimit, 0);
    ok = ok && vmwrite(Field::kGuestRip, entry) && vmwrite(Field::kGuestRsp, stack) &&
         vmwrite(Field::kGuestRflags, kRflagsIf | 0x2) && vmwrite(Field::kGuestDr7, 0x400) &&
         vmwrite(Field::kGuestDebugCtl, 0) && vmwrite(Field::kGuestEfer, 0) &&
         vmwrite(Field::kGuestSysenterCs, 0) && vmwrite(Field::kGuestSysenterEsp, 0) &&
         vmwrite(Field::kGuestSysenterEip, 0) && vmwrite(Field::kGuestPendingDebug, 0) &&
         vmwrite(Field::kGuestInterruptibility, 0) && vmwrite(Field::kGuestActivityState, 0);
    // No shadow VMCS: the link pointer must be all ones (SDM 26.3.1.5).
    return ok && vmwrite(Field::kVmcsLinkPointer, ~0ull);
}

bool write_controls(uint64_t ept_root) {
    const ControlWords& w = controls();
    return vmwrite(Field::kPinControls, w.pin) && vmwrite(Field::kProcControls, w.proc) &&
           vmwrite(Field::kProcControls2, w.proc2) && vmwrite(Field::kExitControls, w.exit) &&
           vmwrite(Field::kEntryControls, w.entry) && vmwrite(Field::kExceptionBitmap, 0) &&
           vmwrite(Field::kCr3TargetCount, 0) && vmwrite(Field::kExitMsrStoreCount, 0) &&
           vmwrite(Field::kExitMsrLoadCount, 0) && vmwrite(Field::kEntryMsrLoadCount, 0) &&
           vmwrite(Field::kEntryInterruptionInfo, 0) &&
           vmwrite(Field::kEptPointer, ept_pointer(ept_root));
}

} // namespace

bool vmcs_write_host_state() { return write_host_state(); }

bool vmcs_write_all(uint64_t ept_root, uint32_t entry, uint32_t stack) {
    return write_controls(ept_root) && write_host_state() && write_guest_state(entry, stack);
}

} // namespace rthv::x86::vmx
