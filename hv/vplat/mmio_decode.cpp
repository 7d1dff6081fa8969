// MMIO instruction decoder; see mmio_decode.hpp. Section numbers are of SDM Vol. 2A ch. 2
// (instruction format) unless another volume is named.
#include "hv/vplat/mmio_decode.hpp"

namespace rthv::vplat {

namespace {

constexpr size_t kMaxLength = 15; // longer is #GP (2.1.1; Vol. 3A 6.15 #GP)

// Reads the instruction front to back. Running past the fetched bytes is Truncated, running past
// 15 bytes Unsupported (the CPU would not have executed it, so the fetch read something else).
class Cursor {
public:
    Cursor(const uint8_t* bytes, size_t avail) : bytes_(bytes), avail_(avail) {}

    bool next(uint8_t* b) {
        if (pos_ >= kMaxLength) return fail(DecodeStatus::Unsupported);
        if (pos_ >= avail_) return fail(DecodeStatus::Truncated);
        *b = bytes_[pos_++];
        return true;
    }

    // `n` bytes as a little-endian value (displacements, immediates, moffs).
    bool le(size_t n, uint64_t* v) {
        uint64_t r = 0;
        for (size_t i = 0; i < n; ++i) {
            uint8_t b = 0;
            if (!next(&b)) return false;
            r |= uint64_t{b} << (8 * i);
        }
        *v = r;
        return true;
    }

    bool fail(DecodeStatus s) {
        status_ = s;
        return false;
    }

    size_t pos() const { return pos_; }
    DecodeStatus status() const { return status_; }

private:
    const uint8_t* bytes_;
    size_t avail_;
    size_t pos_ = 0;
    DecodeStatus status_ = DecodeStatus::Ok;
};

// Skips the memory operand after the opcode (2.1.5, Tables 2-1..2-3; 64-bit mode 2.2.1.6):
// ModR/M, then a SIB byte when rm = 100, then the displacement. REX.B and REX.X extend register
// numbers but do not change which bytes follow (so r12 as a base still takes a SIB, r13 with
// mod = 00 still a disp32; 2.2.1.2, Table 2-5). Stores the ModR/M reg field (without REX.R).
bool skip_memory_operand(Cursor& c, bool addr16, uint8_t* reg_field) {
    uint8_t modrm = 0;
    if (!c.next(&modrm)) return false;
    unsigned mod = modrm >> 6, rm = modrm & 7;
    *reg_field = static_cast<uint8_t>((modrm >> 3) & 7);
    if (mod == 3) return c.fail(DecodeStatus::Unsupported); // a register, not memory: no MMIO
    size_t disp = 0;
    if (addr16) {
        // 16-bit addressing (Table 2-1): no SIB; mod = 00 rm = 110 is a bare disp16.
        disp = mod == 1 ? 1 : (mod == 2 || (mod == 0 && rm == 6)) ? 2 : 0;
    } else {
        if (rm == 4) {
            uint8_t sib = 0;
            if (!c.next(&sib)) return false;
            if (mod == 0 && (sib & 7) == 5) disp = 4; // no base, disp32 (Table 2-3 note)
        }
        // mod = 00 rm = 101: disp32, RIP-relative in 64-bit mode (2.2.1.6), absolute otherwise.
        if (mod == 0 && rm == 5) disp = 4;
        if (mod == 1) disp = 1;
        if (mod == 2) disp = 4;
    }
    uint64_t ignored = 0;
    return c.le(disp, &ignored);
}

DecodeStatus finish(Cursor& c, Decoded& d, Decoded* out) {
    d.length = static_cast<uint8_t>(c.pos());
    *out = d;
    return c.status();
}

uint64_t mask(uint8_t size) { return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1; }

} // namespace

DecodeStatus decode_mmio(const uint8_t* bytes, size_t avail, CodeSize mode, Decoded* out) {
    Cursor c(bytes, avail);
    Decoded d;
    bool p66 = false, p67 = false;
    uint8_t rex = 0, op = 0;
    // Legacy prefixes in any order (2.1.1); REX only in 64-bit mode (0x40-0x4F are INC/DEC
    // elsewhere) and only right before the opcode: one followed by another prefix is ignored.
    for (;;) {
        if (!c.next(&op)) return finish(c, d, out);
        if (op == 0x66) {
            p66 = true;
        } else if (op == 0x67) {
            p67 = true;
        } else if (op == 0x26 || op == 0x2e || op == 0x36 || op == 0x3e || op == 0x64 ||
                   op == 0x65 || op == 0xf0 || op == 0xf2 || op == 0xf3) {
            // Segment overrides: the GPA is already known. LOCK on a MOV would #UD, so the CPU
            // did not execute one; F2/F3 are hints on these opcodes.
        } else if (mode == CodeSize::Bits64 && (op & 0xf0) == 0x40) {
            rex = op;
            continue;
        } else {
            break;
        }
        rex = 0;
    }
    bool rex_w = rex & 8, rex_r = rex & 4;
    // Operand size (Vol. 1 3.6, Table 3-4 for 64-bit mode): REX.W beats 66, which toggles 16/32.
    uint8_t opsize = 4;
    if (mode == CodeSize::Bits64 && rex_w)
        opsize = 8;
    else if ((mode == CodeSize::Bits16) != p66)
        opsize = 2;
    // Address size: 64 (32 with 67) in 64-bit mode, else 16/32 toggled by 67.
    uint8_t addrsize =
        mode == CodeSize::Bits64 ? (p67 ? 4 : 8) : ((mode == CodeSize::Bits16) != p67 ? 2 : 4);
    bool addr16 = addrsize == 2;

    d.opcode = op;
    if (op == 0x0f) {
        uint8_t op2 = 0;
        if (!c.next(&op2)) return finish(c, d, out);
        d.opcode = static_cast<uint16_t>(0x0f00 | op2);
        if (op2 != 0xb6 && op2 != 0xb7 && op2 != 0xbe && op2 != 0xbf) {
            c.fail(DecodeStatus::Unsupported);
            return finish(c, d, out);
        }
        // MOVZX/MOVSX r16/32/64, r/m8 or r/m16: a load of 1 or 2 bytes widened to opsize.
        uint8_t reg = 0;
        if (!skip_memory_operand(c, addr16, &reg)) return finish(c, d, out);
        d.dir = MmioDir::Read;
        d.size = (op2 & 1) ? 2 : 1;
        d.dst_size = opsize;
        d.extend = op2 >= 0xbe ? Extend::Sign : Extend::Zero;
        d.reg = static_cast<uint8_t>(reg | (rex_r ? 8 : 0));
        return finish(c, d, out);
    }
    if (op >= 0xa0 && op <= 0xa3) {
        // MOV AL/eAX <-> moffs: an absolute address of the address size, register fixed to rAX.
        uint64_t ignored = 0;
        if (!c.le(addrsize, &ignored)) return finish(c, d, out);
        d.dir = op >= 0xa2 ? MmioDir::Write : MmioDir::Read;
        d.size = d.dst_size = (op & 1) ? opsize : uint8_t{1};
        return finish(c, d, out);
    }
    if (op != 0x88 && op != 0x89 && op != 0x8a && op != 0x8b && op != 0xc6 && op != 0xc7) {
        c.fail(DecodeStatus::Unsupported);
        return finish(c, d, out);
    }
    uint8_t reg = 0;
    if (!skip_memory_operand(c, addr16, &reg)) return finish(c, d, out);
    d.size = (op & 1) ? opsize : uint8_t{1};
    if (op == 0xc6 || op == 0xc7) {
        // MOV r/m, imm: only /0 is MOV (C6/C7 /7 with mod = 11 is XABORT/XBEGIN).
        if (reg != 0) {
            c.fail(DecodeStatus::Unsupported);
            return finish(c, d, out);
        }
        // imm8, imm16, or imm32 (sign-extended to 64 bits with REX.W).
        uint64_t imm = 0;
        size_t imm_len = d.size < 4 ? d.size : 4;
        if (!c.le(imm_len, &imm)) return finish(c, d, out);
        if (d.size == 8 && (imm & 0x80000000u)) imm |= 0xffffffff00000000ull;
        d.dir = MmioDir::Write;
        d.has_imm = true;
        d.imm = imm & mask(d.size);
        return finish(c, d, out);
    }
    // 88/89 store the register, 8A/8B load it; bit 1 of the opcode is the direction (2.1.2).
    d.dir = (op & 2) ? MmioDir::Read : MmioDir::Write;
    d.dst_size = d.size;
    d.reg = static_cast<uint8_t>(reg | (rex_r ? 8 : 0));
    if (d.size == 1 && rex == 0 && d.reg >= 4) { // AH, CH, DH, BH (Vol. 2A Table 3-1, 2.2.1.2)
        d.high_byte = true;
        d.reg = static_cast<uint8_t>(d.reg - 4);
    }
    return finish(c, d, out);
}

uint64_t read_operand(const uint64_t gprs[16], const Decoded& d) {
    if (d.has_imm) return d.imm & mask(d.size);
    uint64_t v = gprs[d.reg & 15];
    if (d.high_byte) v >>= 8;
    return v & mask(d.size);
}

void write_result(uint64_t gprs[16], const Decoded& d, uint64_t value) {
    value &= mask(d.size);
    if (d.extend == Extend::Sign && d.size < 8) {
        uint64_t sign = 1ull << (8 * d.size - 1);
        value = (value ^ sign) - sign; // sign-extends to 64 bits
    }
    uint64_t& r = gprs[d.reg & 15];
    if (d.high_byte) {
        r = (r & ~0xff00ull) | (value & 0xff) << 8;
    } else if (d.dst_size >= 8) {
        r = value;
    } else if (d.dst_size == 4) {
        r = value & 0xffffffffull;
    } else {
        r = (r & ~mask(d.dst_size)) | (value & mask(d.dst_size));
    }
}

} // namespace rthv::vplat
