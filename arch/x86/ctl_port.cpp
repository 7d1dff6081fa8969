#include "arch/x86/ctl_port.hpp"

#include "arch/x86/io.hpp"

namespace rthv::x86::ctl_port {
namespace {

constexpr uint16_t kCom2 = 0x2f8;
// Register offsets and bits (PC16550D data sheet).
constexpr uint16_t kData = 0, kIntEnable = 1, kFifoCtl = 2, kLineCtl = 3, kModemCtl = 4,
                   kLineStatus = 5, kScratch = 7;
constexpr uint8_t kLsrDataReady = 0x01, kLsrThrEmpty = 0x20;

bool present = false;

} // namespace

bool init() {
    outb(kCom2 + kScratch, 0xa5);
    if (inb(kCom2 + kScratch) != 0xa5) return false;
    outb(kCom2 + kIntEnable, 0x00); // polled: no UART interrupts
    outb(kCom2 + kLineCtl, 0x80);   // DLAB: next two writes set the divisor
    outb(kCom2 + kData, 1);         // 115200 / 1
    outb(kCom2 + kIntEnable, 0);
    outb(kCom2 + kLineCtl, 0x03); // 8N1
    outb(kCom2 + kFifoCtl, 0xc7); // enable and clear the 16-byte FIFOs
    outb(kCom2 + kModemCtl, 0x03);
    present = true;
    return true;
}

size_t read(uint8_t* out, size_t cap) {
    if (!present) return 0;
    size_t n = 0;
    while (n < cap && (inb(kCom2 + kLineStatus) & kLsrDataReady) != 0)
        out[n++] = inb(kCom2 + kData);
    return n;
}

void write(const uint8_t* bytes, size_t n) {
    if (!present) return;
    for (size_t i = 0; i < n; ++i) {
        // Bounded wait: a host that stopped reading must not wedge CPU 0 for good; the frame
        // is then lost, and the client's timeout and the protocol's delimiters recover.
        int spins = 0;
        while ((inb(kCom2 + kLineStatus) & kLsrThrEmpty) == 0) {
            if (++spins > 100000) return;
        }
        outb(kCom2 + kData, bytes[i]);
    }
}

} // namespace rthv::x86::ctl_port
