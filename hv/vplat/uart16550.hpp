// A virtual NS16550A UART (PC16550D datasheet) as Linux's 8250 driver probes and drives it:
// register file at offsets 0-7, DLAB, FIFO mode (IIR 7:6 = 11 identifies a 16550A), loopback,
// and the INTRPT output gated by MCR OUT2 as on a PC. No baud clock: a byte written to THR is
// transmitted at once (THRE and TEMT are 1 again when the write returns).
//
// IRQ CONTRACT (the caller is the hypervisor's I/O exit handler and the input path):
//  * irq_line() is the level of the ISA IRQ pin right now: some enabled interrupt is pending
//    AND MCR.OUT2 = 1 AND not in loopback (the chip forces OUT2 inactive in loopback).
//  * After EVERY read(), write() and push_input(), call take_rising_edge(); when it returns true,
//    raise an edge on the IOAPIC pin (ISA IRQ 4 for COM1, edge-triggered, active high).
//    It also reports a low-high blip inside one access that irq_line() alone cannot show: a
//    THR write clears the THRE interrupt and the instant transmission sets it again.
//  * Falling transitions need no action on an edge-triggered pin; a level-triggered model may
//    track irq_line() instead.
//
// Receive side: the chip's FIFO is 16 bytes; this model holds kRxCapacity bytes behind RBR (in
// both FIFO and non-FIFO mode). push_input() into a full buffer is the chip's overrun: the byte
// is dropped, LSR.OE is set, false is returned. A caller that must not lose input checks
// rx_free() first and keeps the rest until the guest drains RBR.
//
// Not synchronized: every call on one Uart16550 (guest exits on any VCPU, input from CPU 0)
// must be serialized by the caller's lock. Transmitted bytes go to the ConsoleRing, whose
// readers need no lock (see console_ring.hpp).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "hv/vplat/console_ring.hpp"

namespace rthv::vplat {

class Uart16550 {
public:
    // Register offsets from the base port (PC16550D Table II). DLAB = LCR bit 7 switches
    // offsets 0 and 1 to the divisor latch.
    static constexpr uint8_t kRbrThrDll = 0, kIerDlm = 1, kIirFcr = 2, kLcr = 3, kMcr = 4, kLsr = 5,
                             kMsr = 6, kScr = 7;
    // IER: ERBFI, ETBEI, ELSI, EDSSI (bits 4-7 always read 0).
    static constexpr uint8_t kIerRda = 0x01, kIerThre = 0x02, kIerRls = 0x04, kIerMs = 0x08;
    // IIR: bit 0 = 1 "no interrupt pending"; bits 3:1 the source by priority (Table IV);
    // bits 7:6 = 11 in FIFO mode.
    static constexpr uint8_t kIirNone = 0x01, kIirRls = 0x06, kIirRda = 0x04, kIirTimeout = 0x0C,
                             kIirThre = 0x02, kIirMs = 0x00, kIirFifo = 0xC0;
    // FCR: enable, clear RX, clear TX, DMA mode, trigger level in bits 7:6 (1/4/8/14 bytes).
    static constexpr uint8_t kFcrEnable = 0x01, kFcrClearRx = 0x02, kFcrClearTx = 0x04;
    static constexpr uint8_t kLcrDlab = 0x80;
    static constexpr uint8_t kMcrDtr = 0x01, kMcrRts = 0x02, kMcrOut1 = 0x04, kMcrOut2 = 0x08,
                             kMcrLoop = 0x10;
    static constexpr uint8_t kLsrDr = 0x01, kLsrOe = 0x02, kLsrThre = 0x20, kLsrTemt = 0x40;
    // MSR: deltas in bits 3:0 (DCTS, DDSR, TERI, DDCD), line states in bits 7:4.
    static constexpr uint8_t kMsrCts = 0x10, kMsrDsr = 0x20, kMsrRi = 0x40, kMsrDcd = 0x80;

    static constexpr size_t kRxCapacity = 256; // power of two; Linux drains up to 256 per IRQ

    // out: where transmitted bytes go (nullptr drops them).
    explicit Uart16550(ConsoleRing* out) : out_(out) { reset(); }

    // The chip's master reset (PC16550D Table IX); SCR and the divisor keep their values.
    void reset();

    uint8_t read(uint8_t offset); // offset 0..7 (higher bits ignored); may pop RBR, ack THRE
    void write(uint8_t offset, uint8_t value);

    bool push_input(uint8_t byte);
    size_t rx_free() const { return kRxCapacity - rx_count_; }

    bool irq_line() const { return line_; }
    bool take_rising_edge() {
        bool r = rose_;
        rose_ = false;
        return r;
    }

    uint16_t divisor() const { return static_cast<uint16_t>(dll_ | (dlm_ << 8)); }
    // What the remote end of the cable shows on CTS/DSR/RI/DCD outside loopback (MSR 7:4).
    // Default CTS|DSR|DCD: a terminal is attached, so a guest using CRTSCTS still transmits.
    void set_modem_inputs(uint8_t msr_high_bits);

private:
    uint8_t pending_source() const; // IIR bits 3:0 of the highest-priority enabled source
    uint8_t modem_lines() const;    // MSR 7:4 as the chip sees them now
    void sample_modem_lines();      // sets MSR deltas on changes of modem_lines()
    void receive(uint8_t byte);
    void transmit(uint8_t byte);
    void update_irq();

    ConsoleRing* out_;
    uint8_t rx_[kRxCapacity] = {};
    size_t rx_head_ = 0, rx_count_ = 0;
    uint8_t ier_ = 0, lcr_ = 0, mcr_ = 0, scr_ = 0, dll_ = 1, dlm_ = 0;
    uint8_t fcr_ = 0;        // enable and trigger bits as last programmed
    uint8_t lsr_errors_ = 0; // OE (no PE/FE/BI: bytes arrive intact), cleared by LSR read
    uint8_t msr_deltas_ = 0; // MSR 3:0, cleared by MSR read
    uint8_t msr_lines_ = 0;  // MSR 7:4 at the last sample, to detect changes
    uint8_t modem_in_ = kMsrCts | kMsrDsr | kMsrDcd;
    bool thr_ipending_ = false; // THRE interrupt latch (set on THR empty, acked by IIR read)
    bool line_ = false, rose_ = false;
};

} // namespace rthv::vplat
