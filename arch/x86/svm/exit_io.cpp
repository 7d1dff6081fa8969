// Port I/O (EXITCODE 0x7b; the IOPM has every bit set, so every IN/OUT exits). EXITINFO1
// (APM Vol. 2, 15.10.2, figure 15-2) gives direction (bit 0, 1 = IN), string (bit 2), operand
// size (bits 6:4 one-hot: 8/16/32 bits) and port (bits 31:16); EXITINFO2 is the RIP of the next
// instruction on every CPU, NRIPS or not, so the instruction length (prefixes included) never
// needs decoding. The emulation itself is vendor-neutral (hvm/port_io.cpp). String I/O is not
// emulated: the domain is crashed, as under VT-x.
#include "arch/x86/hvm/port_io.hpp"
#include "arch/x86/svm/exits.hpp"
#include "arch/x86/svm/svm_cpu.hpp"
#include "arch/x86/svm/svm_report.hpp"

namespace rthv::x86::svm {

hvm::RunResult handle_io(hvm::HvmVcpu& v, Vmcb& vmcb, hvm::ExitKind&) {
    uint64_t info = vmcb.control.exit_info1;
    bool in = (info & 1) != 0;
    auto port = static_cast<uint16_t>(info >> 16);
    uint8_t size = (info & (1u << 6)) != 0 ? 4 : (info & (1u << 5)) != 0 ? 2 : 1;
    if ((info & (1u << 2)) != 0)
        return hvm::crash(v, "string I/O on port 0x%x is not emulated", port);
    // With NRIPS, NEXT_RIP must say the same (15.7.1): checked, as evidence the two agree.
    bool disagreed = features().nrips && vmcb.control.next_rip != vmcb.control.exit_info2;
    count_rip_advance(RipSource::kExitInfo2, disagreed);
    vmcb.save.rip = vmcb.control.exit_info2;
    if (in) {
        uint32_t value = hvm::port_in(v, port, size);
        // IN writes AL/AX/EAX only (a 32-bit guest never sees the upper half of RAX).
        uint64_t mask = size == 4 ? 0xffffffffull : size == 2 ? 0xffffull : 0xffull;
        v.regs.rax = (v.regs.rax & ~mask) | (value & mask);
        return hvm::RunResult::kResume;
    }
    return hvm::port_out(v, port, size, static_cast<uint32_t>(v.regs.rax));
}

} // namespace rthv::x86::svm
