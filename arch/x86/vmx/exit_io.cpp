// Port I/O (exit reason 30; "unconditional I/O exiting" makes every IN/OUT exit). The exit
// qualification (SDM 28.2.1, table 28-5) gives size (bits 2:0, size - 1), direction (bit 3,
// 1 = IN), string (bit 4) and port (bits 31:16); the emulation itself is vendor-neutral
// (hvm/port_io.cpp). String I/O (INS/OUTS) is not emulated: the domain is crashed.
#include "arch/x86/hvm/port_io.hpp"
#include "arch/x86/vmx/exits.hpp"
#include "arch/x86/vmx/vmx_insn.hpp"

namespace rthv::x86::vmx {

hvm::RunResult handle_io(hvm::HvmVcpu& v, uint32_t) {
    uint64_t q = vmread(Field::kExitQualification);
    auto size = static_cast<uint8_t>((q & 7) + 1);
    bool in = (q & (1u << 3)) != 0;
    auto port = static_cast<uint16_t>(q >> 16);
    if ((q & (1u << 4)) != 0) return hvm::crash(v, "string I/O on port 0x%x is not emulated", port);
    skip_instruction();
    if (in) {
        uint32_t value = hvm::port_in(v, port, size);
        // IN writes AL/AX/EAX only (a 32-bit guest never sees the upper half of RAX).
        uint64_t keep = size == 4 ? ~0xffffffffull : size == 2 ? ~0xffffull : ~0xffull;
        uint64_t mask = ~keep;
        v.regs.rax = (v.regs.rax & keep) | (value & mask);
        return hvm::RunResult::kResume;
    }
    return hvm::port_out(v, port, size, static_cast<uint32_t>(v.regs.rax));
}

} // namespace rthv::x86::vmx
