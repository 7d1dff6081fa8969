// Table-driven CRC-32; the table is built at compile time so the hypervisor needs no init step.
#include "hv/ctl/crc32.hpp"

namespace rthv::ctl {
namespace {

struct Crc32Table {
    uint32_t entry[256];
};

constexpr Crc32Table make_table() {
    Crc32Table t{};
    for (uint32_t i = 0; i < 256; ++i) {
        uint32_t c = i;
        for (int k = 0; k < 8; ++k) c = (c & 1u) ? (0xEDB88320u ^ (c >> 1)) : (c >> 1);
        t.entry[i] = c;
    }
    return t;
}

constexpr Crc32Table kTable = make_table();

} // namespace

uint32_t crc32(const uint8_t* data, size_t len) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < len; ++i) c = kTable.entry[(c ^ data[i]) & 0xFFu] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

} // namespace rthv::ctl
