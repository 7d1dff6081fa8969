// A minimal AML (ACPI Machine Language, ACPI 6.5 chapter 20) byte writer for the DSDT: enough
// to emit Scope/Device/Name objects with nested packages. It writes into a caller buffer and
// never past cap; once anything does not fit, ok() turns false and stays false.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace rthv::vplat {

// Largest PkgLength AML can express: 28 bits (ACPI 6.5 20.2.4, four encoding bytes).
inline constexpr size_t kAmlMaxPkgLength = 0x0FFFFFFF;

// Encodes the PkgLength of a package whose contents after the PkgLength are `body` bytes. The
// encoded value counts the PkgLength bytes themselves (20.2.4), so the encoding size depends on
// the value it encodes. Writes 1-4 bytes to out and returns how many; 0 if the package is too
// large.
size_t aml_pkg_length(size_t body, uint8_t out[4]);

class AmlWriter {
public:
    AmlWriter(uint8_t* buf, size_t cap) : buf_(buf), cap_(cap) {}

    void byte(uint8_t b);
    // A NameSeg is exactly four characters (20.2.2: LeadNameChar NameChar NameChar NameChar).
    void name_seg(const char (&seg)[5]);
    void dword(uint32_t v); // DWordConst: DWordPrefix 0x0C then 4 bytes little-endian

    // Opens a package (the opcode must already be written): reserves the one-byte PkgLength and
    // returns a mark for end_pkg, which writes the real PkgLength and, when it needs more than
    // one byte, moves the contents up to make room.
    size_t begin_pkg();
    void end_pkg(size_t mark);

    bool ok() const { return ok_; }
    size_t size() const { return pos_; }

private:
    uint8_t* buf_;
    size_t cap_;
    size_t pos_ = 0;
    bool ok_ = true;
};

// EISA ID compression used by _HID (ACPI 6.5 19.6, the EISAID macro): three letters in 5 bits each
// and four hex digits, stored big-endian as a DWord. "PNP0501" -> 0x0105D041.
constexpr uint32_t aml_eisa_id(const char (&id)[8]) {
    auto hex = [](char c) -> uint32_t {
        return c <= '9' ? static_cast<uint32_t>(c - '0') : static_cast<uint32_t>(c - 'A' + 10);
    };
    uint32_t mfg = ((static_cast<uint32_t>(id[0] - '@') & 0x1F) << 10) |
                   ((static_cast<uint32_t>(id[1] - '@') & 0x1F) << 5) |
                   (static_cast<uint32_t>(id[2] - '@') & 0x1F);
    uint32_t prod = (hex(id[3]) << 12) | (hex(id[4]) << 8) | (hex(id[5]) << 4) | hex(id[6]);
    uint32_t be = (mfg << 16) | prod;
    return (be >> 24) | ((be >> 8) & 0xFF00u) | ((be << 8) & 0xFF0000u) | (be << 24);
}
static_assert(aml_eisa_id("PNP0501") == 0x0105D041u);
static_assert(aml_eisa_id("PNP0A03") == 0x030AD041u);

// Writes the DSDT's AML body (everything after the 36-byte header): \_SB.COM1, a 16550 UART
// (_HID PNP0501) at I/O ports 0x3F8-0x3FF on ISA IRQ 4. Returns the bytes written, 0 if cap is
// too small.
size_t acpi_dsdt_aml(uint8_t* buf, size_t cap);

} // namespace rthv::vplat
