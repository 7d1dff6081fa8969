// The MC146818 CMOS/RTC as much as Linux reads it at boot (ports 0x70 index, 0x71 data): a
// clock that is never in an update cycle (register A bit 7 = 0), in 24-hour BCD mode (register B
// = 0x02), with valid RAM (register D bit 7), showing 2000-01-01 00:00:00 plus the seconds since
// the platform started. Without it Linux 6.1's mc146818_avoid_UIP polls the all-ones port
// (UIP always set) 10,000 times with udelay(100): a second of guest time per boot. Writes are
// ignored (no alarm, no periodic interrupt: this platform wires no RTC IRQ).
#pragma once

#include <stdint.h>

namespace rthv::vplat {

class CmosRtc {
public:
    static bool owns(uint16_t port) { return port == 0x70 || port == 0x71; }

    uint8_t read(uint16_t port, uint64_t seconds_since_start) const {
        if (port == 0x70) return index_;
        uint64_t s = seconds_since_start;
        switch (index_) {
        case 0x00:
            return bcd(s % 60);
        case 0x02:
            return bcd(s / 60 % 60);
        case 0x04:
            return bcd(s / 3600 % 24);
        case 0x06:
            return static_cast<uint8_t>(1 + (s / 86400 + 6) % 7); // 2000-01-01: Saturday
        case 0x07:
            return bcd(1 + s / 86400 % 28); // days wrap within January: never a bad date
        case 0x08:
            return 0x01;
        case 0x09:
            return 0x00;
        case 0x0a:
            return 0x26; // divider and rate as set by firmware, UIP clear
        case 0x0b:
            return 0x02; // 24-hour, BCD, no interrupts enabled
        case 0x0c:
            return 0x00;
        case 0x0d:
            return 0x80; // RAM and time valid
        case 0x32:
            return 0x20; // century
        default:
            return 0x00;
        }
    }
    // Port 0x70: bit 7 is the NMI mask on a PC; the index is bits 6:0.
    void write(uint16_t port, uint8_t value) {
        if (port == 0x70) index_ = value & 0x7f;
    }

private:
    static uint8_t bcd(uint64_t v) { return static_cast<uint8_t>((v / 10) << 4 | (v % 10)); }
    uint8_t index_ = 0;
};

} // namespace rthv::vplat
