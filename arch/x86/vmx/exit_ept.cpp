// EPT violation (exit reason 48) and misconfiguration (49). Every guest RAM frame is mapped at
// creation and never changes, so either means the guest touched memory it does not own (or
// the tables are broken): crash the domain, naming the guest-physical address and the access
// (exit qualification bits 0-2: read, write, fetch; SDM 28.2.1, table 28-7).
#include "arch/x86/vmx/exits.hpp"
#include "arch/x86/vmx/vmx_insn.hpp"

namespace rthv::x86::vmx {

hvm::RunResult handle_ept_violation(hvm::HvmVcpu& v, uint32_t reason) {
    uint64_t gpa = vmread(Field::kGuestPhysicalAddress);
    uint64_t q = vmread(Field::kExitQualification);
    const char* access = (q & 4) != 0 ? "fetch" : (q & 2) != 0 ? "write" : "read";
    using ull = unsigned long long;
    if ((reason & 0xffff) == kExitEptMisconfig)
        return hvm::crash(v, "EPT misconfiguration at GPA 0x%llx", static_cast<ull>(gpa));
    return hvm::crash(v, "EPT violation: %s of GPA 0x%llx at RIP 0x%llx", access,
                      static_cast<ull>(gpa), static_cast<ull>(vmread(Field::kGuestRip)));
}

} // namespace rthv::x86::vmx
