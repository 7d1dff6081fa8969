// The guest state the vendor-neutral handlers see, read from and written to the current VMCS
// (SDM Vol. 3C 25.4), EFER with the IA-32e-mode entry control that must match it, and the
// interrupt window through interrupt-window exiting (SDM 25.6.2, 26.7.5).
#include "arch/x86/msr.hpp"
#include "arch/x86/percpu_area.hpp"
#include "arch/x86/vmx/exits.hpp"
#include "arch/x86/vmx/vmcs_fields.hpp"
#include "arch/x86/vmx/vmx_caps.hpp"
#include "arch/x86/vmx/vmx_cpu.hpp"
#include "arch/x86/vmx/vmx_insn.hpp"

namespace rthv::x86::vmx {
namespace {

constexpr uint64_t kRflagsIf = 1u << 9;
constexpr uint64_t kEferLme = 1u << 8, kEferLma = 1u << 10;
constexpr uint64_t kCr0Pg = 1ull << 31;
constexpr uint32_t kAccessLong = 1u << 13, kAccessDb = 1u << 14; // SDM 25.4.1, table 25-2
// Interruptibility state (SDM 25.4.2, table 25-3): blocking by STI or by MOV SS.
constexpr uint64_t kBlockingStiOrMovSs = 3;
constexpr uint32_t kEntryEventValid = 1u << 31;

// CR0 as the guest wrote it: its own bits from the VMCS, the masked ones from the shadow.
uint64_t guest_cr0() {
    uint64_t mask = vmread(Field::kCr0GuestHostMask);
    return (vmread(Field::kGuestCr0) & ~mask) | (vmread(Field::kCr0ReadShadow) & mask);
}

} // namespace

void read_state(hvm::HvmVcpu&, hvm::GuestCpuState& out) {
    auto cs = static_cast<uint32_t>(vmread(Field::kGuestCsAccess));
    out = {vmread(Field::kGuestRip),    vmread(Field::kGuestRsp),
           vmread(Field::kGuestRflags), guest_cr0(),
           vmread(Field::kGuestCr3),    vmread(Field::kGuestCr4),
           vmread(Field::kGuestEfer),   (cs & kAccessLong) != 0,
           (cs & kAccessDb) != 0};
}

void set_rip(hvm::HvmVcpu&, uint64_t rip) {
    vmwrite(Field::kGuestRip, rip);
    end_interrupt_shadow();
}

// The instruction in an STI or MOV SS shadow (`sti; hlt`) was completed by the hypervisor, so
// the shadow is over, as it would be after the CPU executed it; left set, it would keep the
// interrupt window shut for one more guest instruction (`sti; hlt; cli` never opens it). SDM
// Vol. 3C 25.4.2 (guest interruptibility state); Xen clears it likewise on every RIP advance.
void end_interrupt_shadow() {
    uint64_t blocking = vmread(Field::kGuestInterruptibility);
    if ((blocking & kBlockingStiOrMovSs) != 0)
        vmwrite(Field::kGuestInterruptibility, blocking & ~kBlockingStiOrMovSs);
}

uint64_t get_efer(hvm::HvmVcpu&) { return vmread(Field::kGuestEfer); }

// LMA follows LME while paging is on (SDM Vol. 3A 9.8.5); the "IA-32e mode guest" entry
// control must equal it at every entry (SDM 26.3.1.1).
void set_efer(hvm::HvmVcpu&, uint64_t efer) {
    bool lma = (efer & kEferLme) != 0 && (guest_cr0() & kCr0Pg) != 0;
    efer = lma ? efer | kEferLma : efer & ~kEferLma;
    vmwrite(Field::kGuestEfer, efer);
    uint64_t entry = vmread(Field::kEntryControls);
    vmwrite(Field::kEntryControls, lma ? entry | kEntryIa32eGuest : entry & ~kEntryIa32eGuest);
}

// Hardware exception (type 3), with its error code when it has one (SDM 26.6.1.1).
void inject_exception(hvm::HvmVcpu&, uint8_t vector, bool has_error, uint32_t error) {
    uint32_t info = kEntryEventValid | 3u << 8 | vector | (has_error ? 1u << 11 : 0);
    vmwrite(Field::kEntryInterruptionInfo, info);
    if (has_error) vmwrite(Field::kEntryExceptionErrorCode, error);
}

bool interrupt_window(hvm::HvmVcpu&, bool want) {
    bool open = (vmread(Field::kGuestRflags) & kRflagsIf) != 0 &&
                (vmread(Field::kGuestInterruptibility) & kBlockingStiOrMovSs) == 0 &&
                (vmread(Field::kEntryInterruptionInfo) & kEntryEventValid) == 0;
    uint64_t proc = vmread(Field::kProcControls);
    bool armed = (proc & kProcInterruptWindowExiting) != 0;
    bool arm = want && !open;
    if (arm != armed)
        vmwrite(Field::kProcControls,
                arm ? proc | kProcInterruptWindowExiting : proc & ~kProcInterruptWindowExiting);
    return open;
}

// The window opened: stop exiting for it; the run loop injects before the next entry.
hvm::RunResult handle_interrupt_window(hvm::HvmVcpu&, uint32_t) {
    vmwrite(Field::kProcControls, vmread(Field::kProcControls) & ~kProcInterruptWindowExiting);
    return hvm::RunResult::kResume;
}

} // namespace rthv::x86::vmx

namespace rthv::x86::vmx {
namespace {

constexpr uint32_t kSyscallMsrs[5] = {0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084, 0xc0000102};
PerCpuArea<const hvm::HvmVcpu*> syscall_owner; // whose SYSCALL MSRs each CPU holds

} // namespace

// The VMCS holds FS/GS base and SYSENTER_* (SDM 25.4.1/25.4.2); the SYSCALL MSRs it does not,
// and rthv itself never uses them (no SYSCALL, no SWAPGS), so they stay loaded in the CPU
// while guests run and are switched only when a different VCPU runs here.
bool context_msr(hvm::HvmVcpu& v, uint32_t msr, uint64_t* read, const uint64_t* write) {
    Field f;
    switch (msr) {
    case 0x174:
        f = Field::kGuestSysenterCs;
        break;
    case 0x175:
        f = Field::kGuestSysenterEsp;
        break;
    case 0x176:
        f = Field::kGuestSysenterEip;
        break;
    case 0xc0000100:
        f = Field::kGuestFsBase;
        break;
    case 0xc0000101:
        f = Field::kGuestGsBase;
        break;
    default:
        for (unsigned i = 0; i < 5; ++i) {
            if (msr != kSyscallMsrs[i]) continue;
            // Loaded here (the VCPU is in an exit): the CPU has the current value.
            const bool loaded = syscall_owner.here() == &v;
            if (read != nullptr) *read = loaded ? rdmsr(static_cast<Msr>(msr)) : v.syscall_msrs[i];
            if (write != nullptr) {
                v.syscall_msrs[i] = *write;
                wrmsr(static_cast<Msr>(msr), *write);
                syscall_owner.here() = &v;
            }
            return true;
        }
        return false;
    }
    if (read != nullptr) *read = vmread(f);
    if (write != nullptr) vmwrite(f, *write);
    return true;
}

// The guest changes KERNEL_GS_BASE without an exit (SWAPGS swaps it with GS base, SDM Vol. 2B
// SWAPGS), so the copy is only current once read back from the CPU: when the VCPU leaves it.
void save_syscall_msrs(hvm::HvmVcpu& v) {
    const hvm::HvmVcpu*& owner = syscall_owner.here();
    if (owner != &v) return;
    for (unsigned i = 0; i < 5; ++i) v.syscall_msrs[i] = rdmsr(static_cast<Msr>(kSyscallMsrs[i]));
    owner = nullptr;
}

void load_syscall_msrs(hvm::HvmVcpu& v) {
    const hvm::HvmVcpu*& owner = syscall_owner.here();
    if (owner == &v) return;
    for (unsigned i = 0; i < 5; ++i) wrmsr(static_cast<Msr>(kSyscallMsrs[i]), v.syscall_msrs[i]);
    owner = &v;
}

} // namespace rthv::x86::vmx

namespace rthv::x86::vmx {

// The state after INIT and a start-up IPI (SDM Vol. 3A 9.1.1 table 9-1, 9.4.4): real mode,
// which unrestricted guest runs as it is (SDM 26.3.1.1: PE and PG may be 0); segments of
// 64 KiB at base 0 but CS at the start page; EFER 0, so the IA-32e entry control goes off.
void start_real_mode(hvm::HvmVcpu& v, uint16_t cs_selector, uint64_t cs_base) {
    constexpr uint32_t kCode16 = 0x9b, kData16 = 0x93; // present, DPL 0, accessed, 16-bit
    const ControlWords& w = controls();
    constexpr uint64_t kCr0Et = 1u << 4, kPePg = 1u | 1ull << 31;
    vmwrite(Field::kGuestCr0, apply_fixed(kCr0Et, w.cr0_fixed0 & ~kPePg, w.cr0_fixed1));
    vmwrite(Field::kCr0ReadShadow, kCr0Et);
    vmwrite(Field::kGuestCr4, apply_fixed(0, w.cr4_fixed0, w.cr4_fixed1));
    vmwrite(Field::kCr4ReadShadow, 0);
    vmwrite(Field::kGuestCr3, 0);
    const Field segs[][4] = {
        {Field::kGuestSsSel, Field::kGuestSsBase, Field::kGuestSsLimit, Field::kGuestSsAccess},
        {Field::kGuestDsSel, Field::kGuestDsBase, Field::kGuestDsLimit, Field::kGuestDsAccess},
        {Field::kGuestEsSel, Field::kGuestEsBase, Field::kGuestEsLimit, Field::kGuestEsAccess},
        {Field::kGuestFsSel, Field::kGuestFsBase, Field::kGuestFsLimit, Field::kGuestFsAccess},
        {Field::kGuestGsSel, Field::kGuestGsBase, Field::kGuestGsLimit, Field::kGuestGsAccess}};
    for (const auto& f : segs) {
        vmwrite(f[0], 0);
        vmwrite(f[1], 0);
        vmwrite(f[2], 0xffff);
        vmwrite(f[3], kData16);
    }
    vmwrite(Field::kGuestCsSel, cs_selector);
    vmwrite(Field::kGuestCsBase, cs_base);
    vmwrite(Field::kGuestCsLimit, 0xffff);
    vmwrite(Field::kGuestCsAccess, kCode16);
    vmwrite(Field::kGuestGdtrBase, 0);
    vmwrite(Field::kGuestGdtrLimit, 0xffff);
    vmwrite(Field::kGuestIdtrBase, 0);
    vmwrite(Field::kGuestIdtrLimit, 0xffff);
    vmwrite(Field::kGuestRip, 0);
    vmwrite(Field::kGuestRsp, 0);
    vmwrite(Field::kGuestRflags, 0x2);
    vmwrite(Field::kGuestInterruptibility, 0);
    vmwrite(Field::kGuestActivityState, 0);
    vmwrite(Field::kEntryInterruptionInfo, 0);
    vmwrite(Field::kGuestEfer, 0);
    vmwrite(Field::kEntryControls, vmread(Field::kEntryControls) & ~kEntryIa32eGuest);
    v.regs = hvm::GuestRegs{};
}

} // namespace rthv::x86::vmx
