// A PC16550D UART at an I/O base (COM1 = 0x3f8 console, COM2 = 0x2f8 control channel). Sending
// is polled: the hypervisor runs with interrupts disabled outside its run loop's short windows.
// Only COM2's receive raises an interrupt (enable_receive_interrupt). Every wait is bounded so that
// a wedged or unread UART cannot hang a CPU (one that is reporting a fault, or CPU 0 serving the
// control channel).
#pragma once

#include "arch/x86/io.hpp"

#include <stddef.h>
#include <stdint.h>

namespace rthv::x86 {

class Uart16550 {
public:
    explicit constexpr Uart16550(uint16_t base) : base_(base) {}

    // Probes the scratch register, then 115200 8N1, FIFOs on, no UART interrupts.
    bool init() {
        outb(reg(kScratch), 0x5a);
        if (inb(reg(kScratch)) != 0x5a) return false;
        outb(reg(kIntEnable), 0x00);
        outb(reg(kLineCtl), 0x80); // DLAB: the next two writes set the divisor
        outb(reg(kData), 1);       // 115200 / 1
        outb(reg(kIntEnable), 0);
        outb(reg(kLineCtl), 0x03);  // 8N1
        outb(reg(kFifoCtl), 0xc7);  // enable and clear the 16-byte FIFOs
        outb(reg(kModemCtl), 0x03); // DTR, RTS
        present_ = true;
        return true;
    }
    bool present() const { return present_; }

    // Raise the UART's interrupt line while received data waits (IER bit 0), with the receive
    // FIFO's trigger level at 1 byte (FCR bits 6-7 = 00) so every request raises it at its
    // first byte; MCR OUT2 gates the line onto the ISA bus on PC-compatible boards (Bochs
    // honours it). The line drops when the FIFO is read empty, so the next byte is a new edge.
    void enable_receive_interrupt() {
        outb(reg(kFifoCtl), 0x07);  // FIFOs on and cleared, trigger level 1
        outb(reg(kModemCtl), 0x0b); // DTR, RTS, OUT2
        outb(reg(kIntEnable), 0x01);
    }

    // False when the transmitter stayed busy for the whole bounded wait (the byte is dropped).
    bool put(uint8_t byte) const {
        for (int i = 0; (inb(reg(kLineStatus)) & kLsrThrEmpty) == 0; ++i)
            if (i > 100000) return false;
        outb(reg(kData), byte);
        return true;
    }
    bool can_read() const { return (inb(reg(kLineStatus)) & kLsrDataReady) != 0; }
    uint8_t get() const { return inb(reg(kData)); }
    // Waits (bounded) until everything written has left the shift register.
    void drain() const {
        for (int i = 0; i < 1000000 && (inb(reg(kLineStatus)) & kLsrTxEmpty) == 0; ++i) {
        }
    }

private:
    // Register offsets and line-status bits (PC16550D data sheet).
    static constexpr uint16_t kData = 0, kIntEnable = 1, kFifoCtl = 2, kLineCtl = 3, kModemCtl = 4,
                              kLineStatus = 5, kScratch = 7;
    static constexpr uint8_t kLsrDataReady = 0x01, kLsrThrEmpty = 0x20, kLsrTxEmpty = 0x40;

    uint16_t reg(uint16_t offset) const { return static_cast<uint16_t>(base_ + offset); }

    uint16_t base_;
    bool present_ = false;
};

} // namespace rthv::x86
