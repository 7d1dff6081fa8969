// The debug console port 0xE9: a byte written there appears on the host (QEMU
// `-debugcon file:PATH`, Bochs `port_e9_hack: enabled=1` on its stdout). Unlike the emulated
// COM1, which paces every byte at the UART's baud rate (~87 µs of emulated time per byte under
// Bochs, docs/platform.md), a port write here completes at once, so bulk data such as a
// schedule trace leaves in a fraction of the time. On hardware without such a device the writes
// go nowhere: it is an emulator-only channel, never the console.
#pragma once

#include "hv/sched/text.hpp"

namespace rthv::x86 {

inline constexpr uint16_t kDebugconPort = 0xe9;

// `rep outsb` of the whole buffer to port 0xE9 (one instruction per call, SDM Vol. 2B "OUTS").
void debugcon_write(const char* text, size_t len);

class DebugconSink final : public TextSink {
public:
    void write(const char* text, size_t len) override {
        debugcon_write(text, len);
        written_ += len;
    }
    uint64_t written() const { return written_; }

private:
    uint64_t written_ = 0;
};

} // namespace rthv::x86
