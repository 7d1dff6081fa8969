#include "arch/x86/serial.hpp"

#include "arch/x86/io.hpp"

namespace rthv::x86::serial {
namespace {

constexpr uint16_t kCom1 = 0x3f8;
// Register offsets and bits (PC16550D data sheet).
constexpr uint16_t kData = 0, kIntEnable = 1, kFifoCtl = 2, kLineCtl = 3, kModemCtl = 4,
                   kLineStatus = 5, kScratch = 7;
constexpr uint8_t kLsrThrEmpty = 0x20, kLsrTxEmpty = 0x40;

bool present = false;

void put(char c) {
    // Bounded wait: a wedged UART must not hang a CPU that is reporting a fault.
    for (int i = 0; i < 100000 && (inb(kCom1 + kLineStatus) & kLsrThrEmpty) == 0; ++i) {
    }
    outb(kCom1 + kData, static_cast<uint8_t>(c));
}

} // namespace

bool init() {
    outb(kCom1 + kScratch, 0x5a);
    if (inb(kCom1 + kScratch) != 0x5a) return false;
    outb(kCom1 + kIntEnable, 0x00);
    outb(kCom1 + kLineCtl, 0x80); // DLAB: next two writes set the divisor
    outb(kCom1 + kData, 1);       // 115200 / 1
    outb(kCom1 + kIntEnable, 0);
    outb(kCom1 + kLineCtl, 0x03); // 8N1
    outb(kCom1 + kFifoCtl, 0xc7); // enable and clear FIFOs
    outb(kCom1 + kModemCtl, 0x03);
    present = true;
    return true;
}

void write(const char* s, size_t n) {
    if (!present) return;
    for (size_t i = 0; i < n; ++i) {
        if (s[i] == '\n') put('\r');
        put(s[i]);
    }
}

void drain() {
    if (!present) return;
    for (int i = 0; i < 1000000 && (inb(kCom1 + kLineStatus) & kLsrTxEmpty) == 0; ++i) {
    }
}

} // namespace rthv::x86::serial
