#include "arch/x86/hvm/guest_exits.hpp"

#include "arch/x86/cr.hpp"
#include "arch/x86/hvm/blocking.hpp"
#include "arch/x86/hvm/linux_vcpu.hpp"

namespace rthv::x86::hvm {
namespace {

constexpr uint32_t kMsrTsc = 0x10;

} // namespace

// A toy guest owns no MSR: a read of the TSC returns the shared TSC (guests/abi.hpp: no
// offsetting); everything else is #GP, so no host MSR can be read or changed from a guest.
MsrOutcome msr_read(const Backend& b, HvmVcpu& v, uint32_t msr, uint64_t& value) {
    if (v.platform != nullptr) return linux_msr_read(b, v, msr, value);
    if (msr != kMsrTsc) return MsrOutcome::kGp;
    value = rdtsc();
    return MsrOutcome::kOk;
}

MsrOutcome msr_write(const Backend& b, HvmVcpu& v, uint32_t msr, uint64_t value) {
    if (v.platform != nullptr) return linux_msr_write(b, v, msr, value);
    return MsrOutcome::kGp;
}

MsrOutcome msr_instruction(const Backend& b, HvmVcpu& v, bool write) {
    auto msr = static_cast<uint32_t>(v.regs.rcx);
    if (write) return msr_write(b, v, msr, (v.regs.rdx << 32) | (v.regs.rax & 0xffffffff));
    uint64_t value = 0;
    MsrOutcome r = msr_read(b, v, msr, value);
    if (r == MsrOutcome::kOk) {
        v.regs.rax = value & 0xffffffff;
        v.regs.rdx = value >> 32;
    }
    return r;
}

RunResult halt(HvmVcpu& v) { return v.platform != nullptr ? linux_halt(v) : block(v); }

RunResult memory_fault(const Backend& b, HvmVcpu& v, uint64_t gpa, bool write, bool fetch,
                       const char* what) {
    if (v.platform != nullptr && !fetch) return linux_mmio(b, v, gpa, write);
    const char* access = fetch ? "fetch" : write ? "write" : "read";
    GuestCpuState st{};
    b.read_state(v, st);
    using ull = unsigned long long;
    return crash(v, "%s: %s of GPA 0x%llx at RIP 0x%llx", what, access, static_cast<ull>(gpa),
                 static_cast<ull>(st.rip));
}

} // namespace rthv::x86::hvm
