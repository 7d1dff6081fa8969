// EPT violation (exit reason 48) and misconfiguration (49). Every guest RAM frame is mapped at
// creation and never changes, so a violation means the guest touched memory it does not own:
// a device (hvm/guest_exits.cpp emulates it) or nothing, which crashes the domain; a
// misconfiguration means the tables are broken. Exit qualification bits 0-2: read, write,
// fetch (SDM 28.2.1, table 28-7).
#include "arch/x86/hvm/guest_exits.hpp"
#include "arch/x86/vmx/exits.hpp"
#include "arch/x86/vmx/vmx_backend.hpp"
#include "arch/x86/vmx/vmx_insn.hpp"

namespace rthv::x86::vmx {

hvm::RunResult handle_ept_violation(hvm::HvmVcpu& v, uint32_t reason) {
    uint64_t gpa = vmread(Field::kGuestPhysicalAddress);
    uint64_t q = vmread(Field::kExitQualification);
    using ull = unsigned long long;
    if ((reason & 0xffff) == kExitEptMisconfig)
        return hvm::crash(v, "EPT misconfiguration at GPA 0x%llx", static_cast<ull>(gpa));
    return hvm::memory_fault(backend(), v, gpa, (q & 2) != 0, (q & 4) != 0, "EPT violation");
}

} // namespace rthv::x86::vmx
