// AML encoding for the DSDT: PkgLength, a bounds-checked writer, and the COM1 device. The
// expected bytes in tests/unit/vplat/acpi_tables_test.cpp come from compiling the equivalent ASL
// with iasl, so the encoding here is checked against the reference compiler's.
#include "hv/vplat/acpi_aml.hpp"

namespace rthv::vplat {

size_t aml_pkg_length(size_t body, uint8_t out[4]) {
    // One byte holds 6 bits (0-63); n > 1 bytes hold 4 bits in the lead byte plus 8 per
    // following byte, so 12, 20 and 28 bits (ACPI 6.5 20.2.4).
    constexpr size_t kLimit[4] = {0x3F, 0xFFF, 0xFFFFF, kAmlMaxPkgLength};
    for (size_t n = 1; n <= 4; ++n) {
        if (body > kLimit[n - 1] - n) continue;
        size_t total = body + n;
        if (n == 1) {
            out[0] = static_cast<uint8_t>(total);
            return 1;
        }
        // PkgLeadByte: bits 7-6 the count of bytes that follow, bits 5-4 zero, bits 3-0 the
        // least significant nibble; each following byte the next 8 bits.
        out[0] = static_cast<uint8_t>(((n - 1) << 6) | (total & 0xF));
        for (size_t i = 1; i < n; ++i) out[i] = static_cast<uint8_t>(total >> (4 + 8 * (i - 1)));
        return n;
    }
    return 0;
}

void AmlWriter::byte(uint8_t b) {
    if (!ok_ || pos_ >= cap_) {
        ok_ = false;
        return;
    }
    buf_[pos_++] = b;
}

void AmlWriter::name_seg(const char (&seg)[5]) {
    for (size_t i = 0; i < 4; ++i) byte(static_cast<uint8_t>(seg[i]));
}

void AmlWriter::dword(uint32_t v) {
    byte(0x0C); // DWordPrefix (20.2.3)
    for (int i = 0; i < 4; ++i) byte(static_cast<uint8_t>(v >> (8 * i)));
}

size_t AmlWriter::begin_pkg() {
    size_t mark = pos_;
    byte(0); // placeholder for a one-byte PkgLength, the common case
    return mark;
}

void AmlWriter::end_pkg(size_t mark) {
    if (!ok_) return;
    size_t body = pos_ - (mark + 1);
    uint8_t enc[4];
    size_t n = aml_pkg_length(body, enc);
    if (n == 0 || cap_ - pos_ < n - 1) {
        ok_ = false;
        return;
    }
    if (n > 1) {
        __builtin_memmove(buf_ + mark + n, buf_ + mark + 1, body);
        pos_ += n - 1;
    }
    for (size_t i = 0; i < n; ++i) buf_[mark + i] = enc[i];
}

namespace {

// _CRS of a PC COM1 (ACPI 6.5 6.4.2, small resource data types).
constexpr uint8_t kCom1Resources[] = {
    // I/O Port Descriptor (6.4.2.5): tag 0x47, decodes 16 address bits, min = max base 0x3F8,
    // alignment 1, 8 ports (0x3F8-0x3FF, the 16550's register file).
    0x47, 0x01, 0xF8, 0x03, 0xF8, 0x03, 0x01, 0x08,
    // IRQ Descriptor without the flags byte (6.4.2.1): tag 0x22, mask bit 4 = ISA IRQ 4. The
    // 2-byte form means edge-triggered, active-high, exclusive: the ISA default, which is what
    // the UART model's interrupt line does. Linux maps it 1:1 to GSI 4 (no MADT override).
    0x22, 0x10, 0x00,
    // End Tag (6.4.2.9); checksum 0 means "treat the template as valid".
    0x79, 0x00};

} // namespace

size_t acpi_dsdt_aml(uint8_t* buf, size_t cap) {
    AmlWriter w(buf, cap);
    // Scope (_SB) -- 20.2.5.1 DefScope := ScopeOp PkgLength NameString TermList. At the DSDT's
    // root scope "_SB_" and "\_SB_" name the same object; iasl emits the shorter form.
    w.byte(0x10);
    size_t scope = w.begin_pkg();
    w.name_seg("_SB_");
    {
        // Device (COM1) -- 20.2.5.2 DefDevice := DeviceOp PkgLength NameString TermList.
        // No _STA: OSPM then assumes present, enabled, shown and functioning (6.3.7).
        w.byte(0x5B); // ExtOpPrefix
        w.byte(0x82); // DeviceOp
        size_t dev = w.begin_pkg();
        w.name_seg("COM1");
        // Name (_HID, EisaId ("PNP0501")): a 16550A-compatible UART, bound by Linux's 8250_pnp.
        w.byte(0x08); // NameOp
        w.name_seg("_HID");
        w.dword(aml_eisa_id("PNP0501"));
        // Name (_UID, Zero): distinguishes it from other PNP0501 instances (6.1.12).
        w.byte(0x08);
        w.name_seg("_UID");
        w.byte(0x00); // ZeroOp
        // Name (_CRS, ResourceTemplate () {...}): a Buffer (20.2.5.4 DefBuffer := BufferOp
        // PkgLength BufferSize ByteList) holding the resource descriptors (6.2.2).
        w.byte(0x08);
        w.name_seg("_CRS");
        w.byte(0x11); // BufferOp
        size_t buffer = w.begin_pkg();
        w.byte(0x0A); // BytePrefix: BufferSize as a ByteConst
        w.byte(sizeof(kCom1Resources));
        for (uint8_t b : kCom1Resources) w.byte(b);
        w.end_pkg(buffer);
        w.end_pkg(dev);
    }
    w.end_pkg(scope);
    return w.ok() ? w.size() : 0;
}

} // namespace rthv::vplat
