// The part of an 8254 PIT (Intel 82C54 datasheet) and of the PC's port 0x61 that Linux uses to
// calibrate the TSC: channel 2, gated by port 0x61 bit 0, its output on port 0x61 bit 5, in
// mode 0 (interrupt on terminal count) with 16-bit binary counts, read LSB then MSB or through
// the counter-latch command. Linux 6.1 measures the TSC against it twice at boot (quick and slow
// PIT calibration) even when told the TSC frequency; a platform without it makes both loop to
// their time-outs, seconds of emulated time. Channels 0 and 1 are not wired to anything here
// (no PIT interrupt: a hardware-reduced ACPI platform has none), so they read as all ones.
//
// The counter is a function of the TSC: it runs at kPitHz from the moment its count is written
// (gate high) and the model never reads a clock itself: every access passes the current TSC.
#pragma once

#include <stdint.h>

namespace rthv::vplat {

inline constexpr uint64_t kPitHz = 1193182;
inline constexpr uint16_t kPitChannel2Port = 0x42;
inline constexpr uint16_t kPitCommandPort = 0x43;
inline constexpr uint16_t kPitGatePort =
    0x61; // PC "port B": bit 0 gate 2, bit 1 speaker, bit 5 OUT2

class Pit8254 {
public:
    explicit Pit8254(uint64_t tsc_hz) : tsc_hz_(tsc_hz == 0 ? 1 : tsc_hz) {}

    // True if `port` is one of this model's (0x40-0x43, 0x61).
    static bool owns(uint16_t port) { return (port >= 0x40 && port <= 0x43) || port == 0x61; }
    uint8_t read(uint16_t port, uint64_t now_tsc);
    void write(uint16_t port, uint8_t value, uint64_t now_tsc);

private:
    uint64_t ticks_since_start(uint64_t now_tsc) const;
    uint16_t count(uint64_t now_tsc) const;
    bool out(uint64_t now_tsc) const;

    uint64_t tsc_hz_;
    uint8_t port_b_ = 0;    // gate (bit 0) and speaker (bit 1) as written
    uint8_t access_ = 3;    // bits 5:4 of the last control word: 1 LSB, 2 MSB, 3 LSB then MSB
    uint16_t reload_ = 0;   // the count written
    bool counting_ = false; // a full count was written with the gate high
    uint64_t start_tsc_ = 0;
    bool write_msb_next_ = false;
    bool read_msb_next_ = false;
    bool latched_ = false;
    uint16_t latch_ = 0;
};

} // namespace rthv::vplat
