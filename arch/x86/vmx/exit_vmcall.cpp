// VMCALL (exit reason 18): the guest's hypercall instruction. The ABI is in guests/abi.hpp and
// the calls are served by hvm/hypercall.cpp; here only the instruction is completed.
#include "arch/x86/hvm/hypercall.hpp"
#include "arch/x86/vmx/exits.hpp"

namespace rthv::x86::vmx {

hvm::RunResult handle_vmcall(hvm::HvmVcpu& v, uint32_t) {
    skip_instruction();
    return hvm::hypercall(v);
}

} // namespace rthv::x86::vmx
