// Decoder for the instructions a guest uses on MMIO registers, and the register-file glue to
// complete them. The exit gives the guest-physical address of the access but, on our exits, not
// the instruction, so the emulator fetches it (guest_walk.hpp) and must learn from its bytes the
// length (to advance RIP), the direction, the access width and the register or immediate.
// The effective address is not computed: the hardware already reported where the access went.
//
// Covered are the MOV forms Linux's readb..readq/writeb..writeq and compilers produce (SDM
// Vol. 2B, MOV/MOVZX/MOVSX): 88, 89, 8A, 8B, C6 /0, C7 /0, 0F B6, 0F B7, 0F BE, 0F BF and the
// moffs forms A0-A3, with legacy prefixes 66, 67, 2E/36/3E/26/64/65, F0 (LOCK), F2/F3 (ignored,
// as the XACQUIRE/XRELEASE hints they are on a MOV), and REX in 64-bit mode. Everything else
// (string moves, read-modify-write ALU ops, VEX/SSE, register-only ModR/M) is Unsupported with
// the opcode, for the caller to crash the guest with that reason.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace rthv::vplat {

// The default operand and address size of the code segment (Vol. 2A 2.2.1, Vol. 3A 3.4.5):
// Bits64 is 64-bit mode (EFER.LMA and CS.L), Bits32 is compatibility or protected mode with
// CS.D = 1, Bits16 is CS.D = 0 (16-bit protected mode, real and virtual-8086 mode).
enum class CodeSize : uint8_t { Bits16, Bits32, Bits64 };

enum class DecodeStatus : uint8_t {
    Ok,
    Truncated,   // the bytes ran out before the instruction did: fetch more, or the fetch fault
    Unsupported, // not a form this decoder knows; Decoded::opcode says which
};

enum class MmioDir : uint8_t {
    Read,  // a load: the MMIO value goes to a register (write_result)
    Write, // a store: a register or immediate goes to MMIO (read_operand)
};

enum class Extend : uint8_t { None, Zero, Sign }; // how a load widens to dst_size

struct Decoded {
    uint8_t length = 0; // bytes, prefixes included: RIP += length
    MmioDir dir = MmioDir::Read;
    uint8_t size = 0;     // bytes of the MMIO access: 1, 2, 4 or 8
    uint8_t dst_size = 0; // Read: width of the destination register, >= size (MOVZX/MOVSX)
    Extend extend = Extend::None;
    // The register operand, the index in the gprs[] array: 0-15 = RAX, RCX, RDX, RBX, RSP, RBP,
    // RSI, RDI, R8-R15. For an 8-bit operand without REX, encodings 4-7 name AH, CH, DH, BH, bits
    // 15:8 of RAX..RBX (Vol. 2A Table 3-1, Vol. 1 3.4.1.1): then high_byte is set and reg is
    // already 0-3.
    uint8_t reg = 0;
    bool high_byte = false;
    bool has_imm = false; // Write of an immediate (C6/C7): imm, not reg, is the value
    uint64_t imm = 0;     // truncated to `size` bytes (C7 with REX.W: sign-extended imm32)
    // The opcode, also on Unsupported: one byte (0x8B), or 0x0Fxx for a two-byte opcode. 0 when
    // the bytes or the 15-byte limit (Unsupported: the CPU raises #GP) ran out before it.
    uint16_t opcode = 0;
};

// Decodes the instruction at bytes[0..avail) (at most 15 are looked at) executed in `mode`.
DecodeStatus decode_mmio(const uint8_t* bytes, size_t avail, CodeSize mode, Decoded* out);

// The value a Write stores, `size` bytes of it in the low bits: the immediate, or the register
// (bits 15:8 for AH..BH). gprs[] is the full register file in encoding order; the exit handlers
// keep RSP in the VMCS/VMCB, so the caller must copy it into gprs[4] first.
uint64_t read_operand(const uint64_t gprs[16], const Decoded& d);

// Completes a Read with `value` (the MMIO data, `size` bytes in the low bits): widens it per
// `extend` to dst_size and writes the register as the CPU does (Vol. 1 3.4.1.1): 8- and 16-bit
// destinations merge into the old value, a 32-bit destination zeroes bits 63:32, a 64-bit one
// replaces it. The zeroing is also right for a 32-bit guest, whose upper halves are undefined.
// If reg is 4 (RSP) the caller copies gprs[4] back to the VMCS/VMCB afterwards.
void write_result(uint64_t gprs[16], const Decoded& d, uint64_t value);

} // namespace rthv::vplat
