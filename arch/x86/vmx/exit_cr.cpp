// Control-register access (exit reason 28). CR0.PG is in the CR0 guest/host mask
// (vmcs_setup.cpp), so turning paging on or off exits here: with EFER.LME set that is the
// switch into or out of IA-32e mode, and the "IA-32e mode guest" entry control must follow
// EFER.LMA at the next entry (SDM 26.3.1.1; Vol. 3A 9.8.5). Everything else about CR0 stays the
// guest's. Exit qualification (SDM table 28-3): CR number 3:0, access type 5:4, GPR 11:8.
#include "arch/x86/vmx/exits.hpp"
#include "arch/x86/vmx/vmcs_fields.hpp"
#include "arch/x86/vmx/vmx_caps.hpp"
#include "arch/x86/vmx/vmx_cpu.hpp"
#include "arch/x86/vmx/vmx_insn.hpp"

namespace rthv::x86::vmx {
namespace {

constexpr uint64_t kCr0Pe = 1u << 0, kCr0Pg = 1ull << 31;

} // namespace

hvm::RunResult handle_cr_access(hvm::HvmVcpu& v, uint32_t) {
    uint64_t q = vmread(Field::kExitQualification);
    unsigned cr = q & 15, type = (q >> 4) & 3, reg = (q >> 8) & 15;
    uint64_t* src = hvm::gpr_by_number(v.regs, reg);
    if (cr != 0 || type != 0 || src == nullptr)
        return hvm::crash(v, "control-register access not emulated (CR%u, type %u, reg %u)", cr,
                          type, reg);
    uint64_t value = *src;
    const ControlWords& w = controls();
    // Unrestricted guest exempts PE and PG from CR0_FIXED0 (SDM 26.3.1.1); the rest is forced.
    uint64_t hw = apply_fixed(value, w.cr0_fixed0 & ~(kCr0Pe | kCr0Pg), w.cr0_fixed1);
    vmwrite(Field::kGuestCr0, hw);
    vmwrite(Field::kCr0ReadShadow, value);
    set_efer(v, vmread(Field::kGuestEfer)); // LMA and the entry control follow PG
    skip_instruction();
    return hvm::RunResult::kResume;
}

} // namespace rthv::x86::vmx
