#include "arch/x86/acpi.hpp"

#include "arch/x86/madt.hpp"

namespace rthv::x86 {
namespace {

constexpr size_t kSdtHeaderSize = 36;

uint32_t load32(const uint8_t* p) {
    return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}
uint64_t load64(const uint8_t* p) { return load32(p) | uint64_t{load32(p + 4)} << 32; }

bool signature_is(const uint8_t* p, const char* sig) {
    return p[0] == sig[0] && p[1] == sig[1] && p[2] == sig[2] && p[3] == sig[3];
}

// Maps a whole system description table: header first (to learn the length), then all of it.
const uint8_t* read_sdt(uint64_t pa, PhysReader read, size_t& length) {
    const uint8_t* hdr = read(pa, kSdtHeaderSize);
    if (hdr == nullptr) return nullptr;
    length = load32(hdr + 4);
    if (length < kSdtHeaderSize) return nullptr;
    const uint8_t* all = read(pa, length);
    if (all == nullptr || !acpi_checksum_ok(all, length)) return nullptr;
    return all;
}

} // namespace

const char* to_string(AcpiError e) {
    switch (e) {
    case AcpiError::kNone:
        return "ok";
    case AcpiError::kBadRsdp:
        return "RSDP invalid (signature, length or checksum)";
    case AcpiError::kBadRootTable:
        return "RSDT/XSDT invalid";
    case AcpiError::kNotFound:
        return "table not found";
    }
    return "unknown";
}

AcpiError find_acpi_table(const uint8_t* rsdp, size_t rsdp_len, const char* signature,
                          PhysReader read, AcpiTable& out) {
    out = AcpiTable{};
    // RSDP (ACPI 6.5 table 5.3): "RSD PTR ", checksum over 20 bytes; revision >= 2 adds the
    // XSDT address at 24 and an extended checksum over `length` bytes.
    static constexpr char kRsdpSig[] = "RSD PTR ";
    if (rsdp == nullptr || rsdp_len < 20) return AcpiError::kBadRsdp;
    for (size_t i = 0; i < 8; ++i)
        if (rsdp[i] != static_cast<uint8_t>(kRsdpSig[i])) return AcpiError::kBadRsdp;
    if (!acpi_checksum_ok(rsdp, 20)) return AcpiError::kBadRsdp;
    bool use_xsdt = false;
    uint64_t root_pa = load32(rsdp + 16);
    if (rsdp[15] >= 2 && rsdp_len >= 36) {
        uint32_t len = load32(rsdp + 20);
        if (len < 36 || len > rsdp_len || !acpi_checksum_ok(rsdp, len)) return AcpiError::kBadRsdp;
        if (load64(rsdp + 24) != 0) {
            root_pa = load64(rsdp + 24);
            use_xsdt = true;
        }
    }
    size_t root_len = 0;
    const uint8_t* root = read_sdt(root_pa, read, root_len);
    if (root == nullptr || !signature_is(root, use_xsdt ? "XSDT" : "RSDT"))
        return AcpiError::kBadRootTable;
    size_t entry_size = use_xsdt ? 8 : 4;
    for (size_t off = kSdtHeaderSize; off + entry_size <= root_len; off += entry_size) {
        uint64_t pa = use_xsdt ? load64(root + off) : load32(root + off);
        const uint8_t* hdr = read(pa, kSdtHeaderSize);
        if (hdr == nullptr || !signature_is(hdr, signature)) continue;
        size_t len = 0;
        const uint8_t* table = read_sdt(pa, read, len);
        if (table == nullptr) continue; // corrupt copy: keep looking for a good one
        out = {table, len};
        return AcpiError::kNone;
    }
    return AcpiError::kNotFound;
}

} // namespace rthv::x86
