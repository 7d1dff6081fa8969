#include "hv/vplat/pit8254.hpp"

namespace rthv::vplat {

// Whole PIT ticks since counting started, without a 64-bit overflow for any realistic uptime.
uint64_t Pit8254::ticks_since_start(uint64_t now_tsc) const {
    if (!counting_ || now_tsc <= start_tsc_) return 0;
    uint64_t e = now_tsc - start_tsc_;
    return e / tsc_hz_ * kPitHz + e % tsc_hz_ * kPitHz / tsc_hz_;
}

// Mode 0: the count decrements from the value written and wraps after 0 (datasheet, "Mode 0").
uint16_t Pit8254::count(uint64_t now_tsc) const {
    if (!counting_) return reload_;
    return static_cast<uint16_t>(reload_ - ticks_since_start(now_tsc));
}

// OUT goes high when the count reaches 0 and stays high until a new count is written (a count
// of 0 means 65536).
bool Pit8254::out(uint64_t now_tsc) const {
    if (!counting_) return false;
    uint64_t period = reload_ == 0 ? 65536 : reload_;
    return ticks_since_start(now_tsc) >= period;
}

uint8_t Pit8254::read(uint16_t port, uint64_t now_tsc) {
    if (port == kPitGatePort)
        return static_cast<uint8_t>((port_b_ & 3) | (out(now_tsc) ? 0x20 : 0));
    if (port != kPitChannel2Port) return 0xff;
    uint16_t value = latched_ ? latch_ : count(now_tsc);
    bool msb = access_ == 2 || (access_ == 3 && read_msb_next_);
    if (access_ == 3) read_msb_next_ = !read_msb_next_;
    if (latched_ && (access_ != 3 || !read_msb_next_)) latched_ = false; // both bytes read
    return static_cast<uint8_t>(msb ? value >> 8 : value & 0xff);
}

void Pit8254::write(uint16_t port, uint8_t value, uint64_t now_tsc) {
    if (port == kPitGatePort) {
        port_b_ = value & 3;
        if ((value & 1) == 0) counting_ = false; // gate low: mode 0 stops counting
        return;
    }
    if (port == kPitCommandPort) {
        if ((value >> 6) != 2) return; // another channel (or read-back): nothing wired
        uint8_t access = (value >> 4) & 3;
        if (access == 0) { // counter latch command
            latch_ = count(now_tsc);
            latched_ = true;
            read_msb_next_ = false;
            return;
        }
        access_ = access;
        counting_ = false; // a new control word stops the counter until a count is written
        write_msb_next_ = read_msb_next_ = latched_ = false;
        return;
    }
    if (port != kPitChannel2Port) return;
    bool msb = access_ == 2 || (access_ == 3 && write_msb_next_);
    reload_ = msb ? static_cast<uint16_t>((reload_ & 0xff) | value << 8)
                  : static_cast<uint16_t>((reload_ & 0xff00) | value);
    bool complete = access_ != 3 || write_msb_next_;
    if (access_ == 3) write_msb_next_ = !write_msb_next_;
    if (complete && (port_b_ & 1) != 0) {
        counting_ = true;
        start_tsc_ = now_tsc;
    }
}

} // namespace rthv::vplat
