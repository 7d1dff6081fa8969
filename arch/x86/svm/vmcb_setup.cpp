#include "arch/x86/svm/vmcb_setup.hpp"

#include "arch/x86/svm/svm_cpu.hpp"

namespace rthv::x86::svm {
namespace {

constexpr uint16_t kCode32 = 0xc9b; // execute/read, accessed, present, 32-bit, 4 KiB granular
constexpr uint16_t kData32 = 0xc93; // read/write, accessed
constexpr uint16_t kTss32Busy = 0x8b;
constexpr uint64_t kCr0Pe = 1u << 0, kCr0Et = 1u << 4, kCr0Ne = 1u << 5;
// The guest's EFER.SVME must be set or VMRUN fails (15.5.1); the guest never sees it (RDMSR
// and WRMSR always exit, exit_msr.cpp) and CPUID hides SVM (exit_cpuid.cpp).
constexpr uint64_t kEferSvme = 1u << 12;
// Guests start with IF=1, as under VT-x; with V_INTR_MASKING their IF affects only virtual
// interrupts, physical ones exit whatever they do with it.
constexpr uint64_t kRflagsIf = 1u << 9;
constexpr uint64_t kPatPowerOn = 0x0007040600070406ull; // G_PAT must hold valid types (15.25.8)
constexpr uint64_t kUdVector = 6;
constexpr uint64_t kDfVector = 8;

void flat(VmcbSegment& s, uint16_t selector, uint16_t attrib) {
    s = {selector, attrib, 0xffffffff, 0};
}

void write_controls(VmcbControl& c, uint64_t npt_root, uint32_t asid) {
    // #UD: a VMCALL (the guests' hypercall instruction on VT-x) raises #UD on AMD;
    // exit_hypercall.cpp turns it into the hypercall so one guest image runs on both vendors. #DF:
    // Bochs 2.7 panics on a guest's triple fault instead of taking the shutdown intercept;
    // exit_double_fault.cpp decides the shutdown one exception earlier.
    c.intercept_exceptions = 1u << kUdVector | 1u << kDfVector;
    c.intercept_misc1 = kIntercept1Intr | kIntercept1Nmi | kIntercept1Cpuid | kIntercept1Hlt |
                        kIntercept1Invlpga | kIntercept1IoProt | kIntercept1MsrProt |
                        kIntercept1Shutdown;
    // Every SVM instruction exits: the guest must not run guests of its own.
    c.intercept_misc2 = kIntercept2Vmrun | kIntercept2Vmmcall | kIntercept2Vmload |
                        kIntercept2Vmsave | kIntercept2Stgi | kIntercept2Clgi | kIntercept2Skinit |
                        kIntercept2Xsetbv;
    c.iopm_base_pa = iopm_pa();
    c.msrpm_base_pa = msrpm_pa();
    c.tsc_offset = 0; // guests and host share the TSC (guests/abi.hpp)
    c.guest_asid = asid;
    c.tlb_control = features().flush_by_asid ? kTlbFlushAsid : kTlbFlushAll;
    c.vintr = kVintrMasking;
    c.np_control = kNpEnable;
    c.n_cr3 = npt_root;
    c.event_inj = 0;
    c.clean_bits = 0; // nothing cached: the VMCB may move between CPUs (15.15.3)
}

void write_guest_state(VmcbSave& s, uint32_t entry, uint32_t stack) {
    flat(s.cs, 0x08, kCode32);
    flat(s.ss, 0x10, kData32);
    flat(s.ds, 0x10, kData32);
    flat(s.es, 0x10, kData32);
    flat(s.fs, 0x10, kData32);
    flat(s.gs, 0x10, kData32);
    // Empty GDT and IDT, as under VT-x: an exception escalates to a shutdown (which exits).
    s.gdtr = {0, 0, 0, 0};
    s.idtr = {0, 0, 0, 0};
    s.ldtr = {0, 0, 0, 0};
    s.tr = {0, kTss32Busy, 0x67, 0};
    s.cpl = 0;
    s.efer = kEferSvme;
    s.cr0 = kCr0Pe | kCr0Et | kCr0Ne;
    s.cr3 = 0;
    s.cr4 = 0;
    s.dr6 = 0xffff0ff0;
    s.dr7 = 0x400;
    s.rflags = kRflagsIf | 0x2;
    s.rip = entry;
    s.rsp = stack;
    s.rax = 0;
    s.g_pat = kPatPowerOn;
}

} // namespace

void vmcb_init(Vmcb& vmcb, uint64_t npt_root, uint32_t asid, uint32_t entry, uint32_t stack) {
    __builtin_memset(&vmcb, 0, sizeof(vmcb)); // reserved fields must be zero
    write_controls(vmcb.control, npt_root, asid);
    write_guest_state(vmcb.save, entry, stack);
}

} // namespace rthv::x86::svm
