// The report device: how a program inside a guest hands named figures to the hypervisor's JSON
// report (guests/linux/REPORT.md). The guest writes ASCII lines `NAME=VALUE\n` to one I/O port,
// a byte per OUT; NAME is [a-z0-9_]{1,31}, VALUE a signed decimal integer. The last value of
// each name is kept (kMaxFigures names per domain); a malformed line is counted and dropped,
// never half-applied, so a guest cannot corrupt what another line reported.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace rthv::vplat {

inline constexpr uint16_t kReportPort = 0x0e40;

struct Figure {
    char name[32] = {};
    int64_t value = 0;
    uint32_t updates = 0; // how many lines set it
};

class ReportDevice {
public:
    static constexpr size_t kMaxFigures = 32;
    static constexpr size_t kMaxLine = 64; // longer lines are malformed

    // One byte written to the port.
    void put(uint8_t byte);

    size_t count() const { return count_; }
    const Figure& figure(size_t i) const { return figures_[i]; }
    // The figure called `name`, or nullptr.
    const Figure* find(const char* name) const;
    uint32_t malformed() const { return malformed_; } // lines refused
    uint32_t dropped() const { return dropped_; }     // well-formed lines with no room left

private:
    void end_line();

    Figure figures_[kMaxFigures];
    size_t count_ = 0;
    char line_[kMaxLine + 1] = {};
    size_t len_ = 0;
    bool overlong_ = false;
    uint32_t malformed_ = 0;
    uint32_t dropped_ = 0;
};

} // namespace rthv::vplat
