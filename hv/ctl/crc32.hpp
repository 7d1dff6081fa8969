// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) used as the frame check of the control
// protocol. Detects every burst error up to 32 bits, which covers the byte drops and line noise
// a serial link produces; it is not an authentication code.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace rthv::ctl {

uint32_t crc32(const uint8_t* data, size_t len);

} // namespace rthv::ctl
