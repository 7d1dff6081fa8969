// The MMIO instruction decoder against byte sequences as compilers emit them for Linux's
// readb/readw/readl/readq and writeb..writeq (lengths checked with objdump), the unsupported and
// truncated paths, and the register-file width rules.
#include "hv/vplat/mmio_decode.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

using namespace rthv::vplat;

namespace {

constexpr int kImm = -1; // the table's "register" for an immediate store
constexpr int kAh = 16;  // bits 15:8 of RAX

struct Case {
    const char* hex; // the instruction bytes, as objdump prints them
    CodeSize mode;
    MmioDir dir;
    uint8_t size, dst_size; // dst_size is checked for loads only
    Extend extend;
    int reg; // 0-15, kAh, or kImm
    uint64_t imm;
};

std::vector<uint8_t> parse_hex(const char* hex) {
    std::vector<uint8_t> out;
    for (const char* p = hex; *p;) {
        if (*p == ' ') {
            ++p;
            continue;
        }
        out.push_back(static_cast<uint8_t>(std::strtoul(std::string(p, 2).c_str(), nullptr, 16)));
        p += 2;
    }
    return out;
}

constexpr auto R = MmioDir::Read, W = MmioDir::Write;
constexpr auto N = Extend::None, Z = Extend::Zero, S = Extend::Sign;
constexpr auto B64 = CodeSize::Bits64, B32 = CodeSize::Bits32, B16 = CodeSize::Bits16;

const Case kCases[] = {
    {"8b 07", B64, R, 4, 4, N, 0, 0},                            // mov (%rdi),%eax
    {"89 07", B64, W, 4, 0, N, 0, 0},                            // mov %eax,(%rdi)
    {"8b 87 20 03 00 00", B64, R, 4, 4, N, 0, 0},                // mov 0x320(%rdi),%eax
    {"44 89 60 10", B64, W, 4, 0, N, 12, 0},                     // mov %r12d,0x10(%rax)
    {"c7 00 00 00 00 00", B64, W, 4, 0, N, kImm, 0},             // movl $0x0,(%rax)
    {"48 8b 05 78 56 34 12", B64, R, 8, 8, N, 0, 0},             // mov 0x12345678(%rip),%rax
    {"0f b6 07", B64, R, 1, 4, Z, 0, 0},                         // movzbl (%rdi),%eax
    {"88 03", B64, W, 1, 0, N, 0, 0},                            // mov %al,(%rbx)
    {"66 89 07", B64, W, 2, 0, N, 0, 0},                         // mov %ax,(%rdi)
    {"41 8b 04 24", B64, R, 4, 4, N, 0, 0},                      // mov (%r12),%eax
    {"8b 44 24 08", B64, R, 4, 4, N, 0, 0},                      // mov 0x8(%rsp),%eax
    {"88 67 05", B64, W, 1, 0, N, kAh, 0},                       // mov %ah,0x5(%rdi)
    {"40 88 67 05", B64, W, 1, 0, N, 4, 0},                      // mov %spl,0x5(%rdi)
    {"8a 67 00", B64, R, 1, 1, N, kAh, 0},                       // mov 0x0(%rdi),%ah
    {"89 27", B64, W, 4, 0, N, 4, 0},                            // mov %esp,(%rdi)
    {"48 c7 07 ff ff ff ff", B64, W, 8, 0, N, kImm, ~0ull},      // movq $-1,(%rdi)
    {"c6 07 80", B64, W, 1, 0, N, kImm, 0x80},                   // movb $0x80,(%rdi)
    {"66 c7 07 34 12", B64, W, 2, 0, N, kImm, 0x1234},           // movw $0x1234,(%rdi)
    {"c7 47 10 00 00 00 80", B64, W, 4, 0, N, kImm, 0x80000000}, // movl $0x80000000,0x10(%rdi)
    {"0f bf 47 02", B64, R, 2, 4, S, 0, 0},                      // movswl 0x2(%rdi),%eax
    {"48 0f be 07", B64, R, 1, 8, S, 0, 0},                      // movsbq (%rdi),%rax
    {"44 0f b7 0e", B64, R, 2, 4, Z, 9, 0},                      // movzwl (%rsi),%r9d
    {"48 a3 44 33 22 11 00 00 00 00", B64, W, 8, 8, N, 0, 0},    // movabs %rax,0x11223344
    {"8b 04 25 00 00 c0 fe", B64, R, 4, 4, N, 0, 0},             // mov 0xfffffffffec00000,%eax
    {"45 8b 6d 00", B64, R, 4, 4, N, 13, 0},                     // mov 0x0(%r13),%r13d
    {"64 48 8b 04 25 28 00 00 00", B64, R, 8, 8, N, 0, 0},       // mov %fs:0x28,%rax
    {"4c 8b 2d 78 56 34 12", B64, R, 8, 8, N, 13, 0},            // mov 0x12345678(%rip),%r13
    {"44 8b 24 8d 00 10 00 00", B64, R, 4, 4, N, 12, 0},         // mov 0x1000(,%rcx,4),%r12d
    {"67 8b 07", B64, R, 4, 4, N, 0, 0},                         // mov (%edi),%eax
    {"f0 89 07", B64, W, 4, 0, N, 0, 0},                         // lock (ignored)
    {"48 66 8b 07", B64, R, 2, 2, N, 0, 0},                      // REX before 66 is ignored
    {"66 48 8b 07", B64, R, 8, 8, N, 0, 0},                      // REX.W beats 66
    {"8b 05 00 00 c0 fe", B32, R, 4, 4, N, 0, 0},                // mov 0xfec00000,%eax
    {"a1 00 00 c0 fe", B32, R, 4, 4, N, 0, 0},                   // mov 0xfec00000,%eax (moffs)
    {"67 8b 06 34 12", B32, R, 4, 4, N, 0, 0},                   // mov 0x1234,%eax (16-bit addr)
    {"88 03", B32, W, 1, 0, N, 0, 0},                            // mov %al,(%ebx)
    {"8b 07", B16, R, 2, 2, N, 0, 0},                            // mov (%bx),%ax
    {"66 8b 07", B16, R, 4, 4, N, 0, 0},                         // mov (%bx),%eax
    {"a1 00 00", B16, R, 2, 2, N, 0, 0},                         // mov 0x0,%ax (moffs16)
};

TEST(MmioDecode, CompilerOutputTable) {
    for (const Case& c : kCases) {
        SCOPED_TRACE(c.hex);
        std::vector<uint8_t> bytes = parse_hex(c.hex);
        Decoded d;
        ASSERT_EQ(decode_mmio(bytes.data(), bytes.size(), c.mode, &d), DecodeStatus::Ok);
        EXPECT_EQ(d.length, bytes.size());
        EXPECT_EQ(d.dir, c.dir);
        EXPECT_EQ(d.size, c.size);
        if (c.dir == R) {
            EXPECT_EQ(d.dst_size, c.dst_size);
        }
        EXPECT_EQ(d.extend, c.extend);
        EXPECT_EQ(d.has_imm, c.reg == kImm);
        if (c.reg == kImm) {
            EXPECT_EQ(d.imm, c.imm);
        } else {
            EXPECT_EQ(d.reg, c.reg == kAh ? 0 : c.reg);
            EXPECT_EQ(d.high_byte, c.reg == kAh);
        }
    }
}

// The length must not depend on trailing bytes: the fetch usually returns 15.
TEST(MmioDecode, LengthIgnoresFollowingBytes) {
    const uint8_t bytes[15] = {0x41, 0x8b, 0x04, 0x24, 0x90, 0x90, 0x90, 0x90,
                               0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90};
    Decoded d;
    ASSERT_EQ(decode_mmio(bytes, sizeof bytes, CodeSize::Bits64, &d), DecodeStatus::Ok);
    EXPECT_EQ(d.length, 4);
}

TEST(MmioDecode, UnsupportedReportsTheOpcode) {
    struct Bad {
        CodeSize mode;
        std::vector<uint8_t> bytes;
        uint16_t opcode;
    };
    const std::vector<Bad> bad = {
        {CodeSize::Bits64, {0xff, 0x07}, 0xff},                   // incl (%rdi)
        {CodeSize::Bits64, {0x0f, 0x10, 0x07}, 0x0f10},           // movups (%rdi),%xmm0
        {CodeSize::Bits64, {0x8b, 0xc0}, 0x8b},                   // mov %eax,%eax: not memory
        {CodeSize::Bits64, {0xc7, 0x4f, 0x08, 0, 0, 0, 0}, 0xc7}, // C7 /1: not MOV
        {CodeSize::Bits64, {0xf3, 0xa4}, 0xa4},                   // rep movsb
        {CodeSize::Bits64, {0x09, 0x07}, 0x09},                   // or %eax,(%rdi)
        {CodeSize::Bits32, {0x48, 0x8b, 0x07}, 0x48},             // dec %eax outside 64-bit mode
    };
    for (const Bad& b : bad) {
        SCOPED_TRACE(testing::Message() << "opcode 0x" << std::hex << b.opcode);
        Decoded d;
        EXPECT_EQ(decode_mmio(b.bytes.data(), b.bytes.size(), b.mode, &d),
                  DecodeStatus::Unsupported);
        EXPECT_EQ(d.opcode, b.opcode);
    }
}

TEST(MmioDecode, LongerThan15BytesIsUnsupported) {
    std::vector<uint8_t> bytes(14, 0x66); // 14 prefixes + 8b 07 = 16 bytes
    bytes.push_back(0x8b);
    bytes.push_back(0x07);
    Decoded d;
    EXPECT_EQ(decode_mmio(bytes.data(), bytes.size(), CodeSize::Bits64, &d),
              DecodeStatus::Unsupported);
    EXPECT_EQ(d.opcode, 0x8b);
    // 13 prefixes: exactly 15 bytes, still valid.
    Decoded ok;
    EXPECT_EQ(decode_mmio(bytes.data() + 1, bytes.size() - 1, CodeSize::Bits64, &ok),
              DecodeStatus::Ok);
    EXPECT_EQ(ok.length, 15);
    EXPECT_EQ(ok.size, 2);
}

TEST(MmioDecode, TruncatedWhenTheBytesRunOut) {
    const uint8_t bytes[] = {0x48, 0xc7, 0x87, 0x20, 0x03, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00};
    Decoded d;
    for (size_t n = 0; n < sizeof bytes; ++n) {
        SCOPED_TRACE(n);
        EXPECT_EQ(decode_mmio(bytes, n, CodeSize::Bits64, &d), DecodeStatus::Truncated);
    }
    ASSERT_EQ(decode_mmio(bytes, sizeof bytes, CodeSize::Bits64, &d), DecodeStatus::Ok);
    EXPECT_EQ(d.length, sizeof bytes);
    EXPECT_EQ(d.imm, 1u);
}

Decoded decode(std::vector<uint8_t> bytes, CodeSize mode = CodeSize::Bits64) {
    Decoded d;
    EXPECT_EQ(decode_mmio(bytes.data(), bytes.size(), mode, &d), DecodeStatus::Ok);
    return d;
}

constexpr uint64_t kOld = 0xdeadbeefcafebabeull;

TEST(MmioRegisters, WriteResultWidthRules) {
    uint64_t g[16] = {};
    auto load = [&](std::vector<uint8_t> bytes, uint64_t value) {
        for (uint64_t& r : g) r = kOld;
        write_result(g, decode(std::move(bytes)), value);
        return g[0];
    };
    EXPECT_EQ(load({0x8b, 0x07}, 0x12345678), 0x12345678u);           // 32: zero upper
    EXPECT_EQ(load({0x66, 0x8b, 0x07}, 0x1234), 0xdeadbeefcafe1234u); // 16: merge
    EXPECT_EQ(load({0x8a, 0x07}, 0x5a), 0xdeadbeefcafeba5au);         // 8: merge
    EXPECT_EQ(load({0x8a, 0x67, 0x00}, 0x5a), 0xdeadbeefcafe5abeu);   // AH
    EXPECT_EQ(g[4], kOld);                                            // not RSP
    EXPECT_EQ(load({0x48, 0x8b, 0x07}, 0x0123456789abcdefu), 0x0123456789abcdefu);
    EXPECT_EQ(load({0x0f, 0xb6, 0x07}, 0xff), 0xffu);                       // movzbl
    EXPECT_EQ(load({0x0f, 0xbe, 0x07}, 0x80), 0xffffff80u);                 // movsbl
    EXPECT_EQ(load({0x48, 0x0f, 0xbf, 0x07}, 0x8000), 0xffffffffffff8000u); // movswq
    EXPECT_EQ(load({0x66, 0x0f, 0xbe, 0x07}, 0x80), 0xdeadbeefcafeff80u);   // movsbw
    EXPECT_EQ(load({0x0f, 0xb7, 0x07}, 0xffff1234u), 0x1234u); // only `size` bytes count
}

TEST(MmioRegisters, WriteResultTargetsTheDecodedRegister) {
    uint64_t g[16] = {};
    write_result(g, decode({0x4c, 0x8b, 0x2d, 0, 0, 0, 0}), 42); // mov ...(%rip),%r13
    for (int i = 0; i < 16; ++i) EXPECT_EQ(g[i], i == 13 ? 42u : 0u) << i;
}

TEST(MmioRegisters, ReadOperandWidthRules) {
    uint64_t g[16];
    for (int i = 0; i < 16; ++i) g[i] = kOld + static_cast<uint64_t>(i);
    EXPECT_EQ(read_operand(g, decode({0x89, 0x07})), 0xcafebabeu);
    EXPECT_EQ(read_operand(g, decode({0x48, 0x89, 0x07})), kOld);
    EXPECT_EQ(read_operand(g, decode({0x66, 0x89, 0x07})), 0xbabeu);
    EXPECT_EQ(read_operand(g, decode({0x88, 0x1f})), 0xbeu + 3);         // mov %bl,(%rdi)
    EXPECT_EQ(read_operand(g, decode({0x88, 0x67, 0x05})), 0xbau);       // %ah
    EXPECT_EQ(read_operand(g, decode({0x40, 0x88, 0x67, 0x05})), 0xc2u); // %spl
    EXPECT_EQ(read_operand(g, decode({0x89, 0x27})), 0xcafebac2u);       // %esp = gprs[4]
    EXPECT_EQ(read_operand(g, decode({0x44, 0x89, 0x60, 0x10})), 0xcafebabeu + 12);
    EXPECT_EQ(read_operand(g, decode({0xc7, 0x00, 0x78, 0x56, 0x34, 0x12})), 0x12345678u);
}

} // namespace
