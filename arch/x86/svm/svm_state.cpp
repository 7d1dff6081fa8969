// The guest state the vendor-neutral handlers see, read from and written to the VMCB save area
// (AMD APM Vol. 2, appendix B), and the interrupt window through a virtual interrupt (15.21).
#include "arch/x86/paging.hpp"
#include "arch/x86/svm/exits.hpp"

namespace rthv::x86::svm {
namespace {

Vmcb& vmcb_of(const hvm::HvmVcpu& v) { return *phys_to_virt<Vmcb>(v.control_block); }

// EFER.SVME must stay set in the guest's EFER or VMRUN fails (15.5.1); the guest never sees
// it (RDMSR of EFER exits, exit_msr.cpp).
constexpr uint64_t kEferSvme = 1u << 12;
constexpr uint64_t kRflagsIf = 1u << 9;
// VMCB segment attributes pack descriptor bits 55:52 into 11:8: L is bit 9, D/B bit 10.
constexpr uint16_t kAttribLong = 1u << 9, kAttribDb = 1u << 10;

} // namespace

void read_state(hvm::HvmVcpu& v, hvm::GuestCpuState& out) {
    const VmcbSave& s = vmcb_of(v).save;
    out = {s.rip,
           s.rsp,
           s.rflags,
           s.cr0,
           s.cr3,
           s.cr4,
           s.efer & ~kEferSvme,
           (s.cs.attrib & kAttribLong) != 0,
           (s.cs.attrib & kAttribDb) != 0};
}

void set_rip(hvm::HvmVcpu& v, uint64_t rip) {
    vmcb_of(v).save.rip = rip;
    end_interrupt_shadow(vmcb_of(v));
}

// The instruction in an STI or MOV SS shadow (`sti; hlt`) was completed by the hypervisor, so
// the shadow is over; left set, it would hold off the next interrupt for one more guest
// instruction. APM Vol. 2 15.21.5 (INTERRUPT_SHADOW); Xen clears it on every RIP advance.
void end_interrupt_shadow(Vmcb& vmcb) { vmcb.control.interrupt_shadow &= ~uint64_t{1}; }

uint64_t get_efer(hvm::HvmVcpu& v) { return vmcb_of(v).save.efer & ~kEferSvme; }

// LMA is the processor's to set when paging turns on with LME (APM 14.6.2); a guest write
// cannot change it, so the value in force is kept.
void set_efer(hvm::HvmVcpu& v, uint64_t efer) {
    constexpr uint64_t kLma = 1u << 10;
    uint64_t& e = vmcb_of(v).save.efer;
    e = (efer & ~kLma) | (e & kLma) | kEferSvme;
}

void inject_exception_neutral(hvm::HvmVcpu& v, uint8_t vector, bool has_error, uint32_t error) {
    inject_exception(vmcb_of(v), vector, has_error, error);
}

bool interrupt_window(hvm::HvmVcpu& v, bool want) {
    Vmcb& vmcb = vmcb_of(v);
    VmcbControl& c = vmcb.control;
    bool open = (vmcb.save.rflags & kRflagsIf) != 0 && (c.interrupt_shadow & 1) == 0 &&
                (c.event_inj & kEventValid) == 0;
    if (open || !want) {
        c.vintr &= ~(kVintrIrq | kVintrIgnoreTpr);
        c.intercept_misc1 &= ~kIntercept1Vintr;
    } else {
        c.vintr |= kVintrIrq | kVintrIgnoreTpr;
        c.intercept_misc1 |= kIntercept1Vintr;
    }
    return open;
}

hvm::RunResult handle_vintr(hvm::HvmVcpu&, Vmcb& vmcb, hvm::ExitKind&) {
    vmcb.control.vintr &= ~(kVintrIrq | kVintrIgnoreTpr);
    vmcb.control.intercept_misc1 &= ~kIntercept1Vintr;
    return hvm::RunResult::kResume;
}

} // namespace rthv::x86::svm

namespace rthv::x86::svm {

// VMRUN/VMLOAD/VMSAVE keep these in the save area (APM 15.5.1, 15.5.2, table B-2): emulating
// the access is reading or writing that field.
bool context_msr(hvm::HvmVcpu& v, uint32_t msr, uint64_t* read, const uint64_t* write) {
    VmcbSave& s = vmcb_of(v).save;
    uint64_t* field = nullptr;
    switch (msr) {
    case 0x174:
        field = &s.sysenter_cs;
        break;
    case 0x175:
        field = &s.sysenter_esp;
        break;
    case 0x176:
        field = &s.sysenter_eip;
        break;
    case 0x277:
        field = &s.g_pat;
        break;
    case 0xc0000081:
        field = &s.star;
        break;
    case 0xc0000082:
        field = &s.lstar;
        break;
    case 0xc0000083:
        field = &s.cstar;
        break;
    case 0xc0000084:
        field = &s.sfmask;
        break;
    case 0xc0000100:
        field = &s.fs.base;
        break;
    case 0xc0000101:
        field = &s.gs.base;
        break;
    case 0xc0000102:
        field = &s.kernel_gs_base;
        break;
    default:
        return false;
    }
    if (read != nullptr) *read = *field;
    if (write != nullptr) *field = *write;
    return true;
}

} // namespace rthv::x86::svm

namespace rthv::x86::svm {

// A VMCB is plain memory, used by whichever CPU runs VMRUN on it: nothing to load.
bool make_current(hvm::HvmVcpu&) { return true; }

// The state after INIT and a start-up IPI (SDM Vol. 3A 9.1.1, 9.4.4; APM 14.1.3): real mode,
// 64 KiB segments at base 0 but CS at the start page, EFER with only SVME (VMRUN needs it).
void start_real_mode(hvm::HvmVcpu& v, uint16_t cs_selector, uint64_t cs_base) {
    constexpr uint16_t kCode16 = 0x9b, kData16 = 0x93; // present, DPL 0, accessed, 16-bit
    VmcbSave& s = vmcb_of(v).save;
    VmcbSegment* data[] = {&s.ss, &s.ds, &s.es, &s.fs, &s.gs};
    for (VmcbSegment* seg : data) *seg = {0, kData16, 0xffff, 0};
    s.cs = {cs_selector, kCode16, 0xffff, cs_base};
    s.gdtr = {0, 0, 0xffff, 0};
    s.idtr = {0, 0, 0xffff, 0};
    s.cr0 = 1u << 4 | 1u << 5; // ET, NE
    s.cr3 = 0;
    s.cr4 = 0;
    s.efer = kEferSvme;
    s.rflags = 0x2;
    s.rip = 0;
    s.rsp = 0;
    s.cpl = 0;
    vmcb_of(v).control.event_inj = 0;
    v.regs = hvm::GuestRegs{};
}

} // namespace rthv::x86::svm
