// ACPI table discovery (ACPI 6.5 section 5.2): RSDP -> XSDT (or RSDT on ACPI 1.0) -> a table by
// signature. Physical memory is reached through a caller-supplied reader so the walk is pure
// and host-testable; in the hypervisor the reader is the physmap.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace rthv::x86 {

enum class AcpiError { kNone, kBadRsdp, kBadRootTable, kNotFound };
const char* to_string(AcpiError e);

// Returns a pointer to `len` readable bytes at physical address `pa`, or nullptr.
using PhysReader = const uint8_t* (*)(uint64_t pa, size_t len);

struct AcpiTable {
    const uint8_t* bytes = nullptr;
    size_t length = 0;
};

// Finds the table with the 4-character `signature`; checks the RSDP, root table and the found
// table's checksums and lengths.
AcpiError find_acpi_table(const uint8_t* rsdp, size_t rsdp_len, const char* signature,
                          PhysReader read, AcpiTable& out);

} // namespace rthv::x86
