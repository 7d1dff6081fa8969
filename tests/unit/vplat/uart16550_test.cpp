// Uart16550: Linux's 8250 autoconfig sees a 16550A; DLAB, loopback, THRE/RX interrupts and
// their IIR acknowledgement, Table IV priority, overrun, OUT2 gating, and output to the ring.
#include "hv/vplat/uart16550.hpp"

#include <gtest/gtest.h>
#include <memory>

namespace rthv::vplat {
namespace {

using U = Uart16550;

struct Fixture : ::testing::Test {
    std::unique_ptr<ConsoleRing> ring = std::make_unique<ConsoleRing>();
    U uart{ring.get()};
    uint8_t iir() { return uart.read(U::kIirFcr); }
};

using Uart = Fixture;

// drivers/tty/serial/8250/8250_port.c autoconfig() and autoconfig_16550a(), step by step.
TEST_F(Uart, LinuxAutoconfigDetects16550A) {
    // Existence test: IER clears to 0 and takes all four enable bits.
    uint8_t scratch = uart.read(U::kIerDlm);
    uart.write(U::kIerDlm, 0);
    uint8_t scratch2 = uart.read(U::kIerDlm) & 0x0F;
    uart.write(U::kIerDlm, 0x0F);
    uint8_t scratch3 = uart.read(U::kIerDlm) & 0x0F;
    uart.write(U::kIerDlm, scratch);
    EXPECT_EQ(scratch2, 0);
    EXPECT_EQ(scratch3, 0x0F);

    // Loopback test: MCR = LOOP|OUT2|RTS must read back MSR 7:4 = DCD|CTS = 0x90.
    const uint8_t save_mcr = uart.read(U::kMcr);
    const uint8_t save_lcr = uart.read(U::kLcr);
    uart.write(U::kMcr, U::kMcrLoop | 0x0A);
    EXPECT_EQ(uart.read(U::kMsr) & 0xF0, 0x90);
    uart.write(U::kMcr, save_mcr);

    // Type: EFR (an FCR write here) cleared under LCR 0xBF, then FIFO on: IIR 7:6 = 11.
    uart.write(U::kLcr, 0xBF);
    uart.write(U::kIirFcr, 0);
    uart.write(U::kLcr, 0);
    uart.write(U::kIirFcr, U::kFcrEnable);
    EXPECT_EQ(iir(), 0xC1); // 16550A, no interrupt pending

    // Not an ST16C650 (no EFR under DLAB or LCR 0xBF: offset 2 still reads IIR, non-zero).
    uart.write(U::kLcr, 0x80);
    EXPECT_NE(uart.read(U::kIirFcr), 0);
    uart.write(U::kLcr, 0xBF);
    EXPECT_NE(uart.read(U::kIirFcr), 0);
    // Not a TI16750: IIR bit 5 (64-byte FIFO) stays 0 with or without DLAB.
    uart.write(U::kLcr, 0);
    uart.write(U::kIirFcr, 0x21);
    EXPECT_EQ(iir() & 0xE0, 0xC0);
    uart.write(U::kLcr, 0x80);
    uart.write(U::kIirFcr, 0x21);
    EXPECT_EQ(uart.read(U::kIirFcr) & 0xE0, 0xC0);
    uart.write(U::kLcr, 0);
    // Not an XScale: IER bit 6 (UUE) does not stick; IER's upper bits always read 0.
    uart.write(U::kIerDlm, 0xFF);
    EXPECT_EQ(uart.read(U::kIerDlm), 0x0F);
    uart.write(U::kIerDlm, 0);
    uart.write(U::kLcr, save_lcr);

    // autoconfig_8250's scratch test (and the LSR safety check of serial8250_do_startup).
    for (int v : {0xA5, 0x5A}) {
        uart.write(U::kScr, static_cast<uint8_t>(v));
        EXPECT_EQ(uart.read(U::kScr), v);
    }
    EXPECT_NE(uart.read(U::kLsr), 0xFF);
    EXPECT_EQ(uart.read(U::kLsr), U::kLsrThre | U::kLsrTemt);
}

TEST_F(Uart, DlabHidesRbrAndIer) {
    uart.write(U::kIerDlm, U::kIerRda | U::kIerRls);
    ASSERT_TRUE(uart.push_input('x'));
    uart.write(U::kLcr, U::kLcrDlab | 0x03); // 8N1 with the divisor latch selected
    uart.write(U::kRbrThrDll, 0x01);         // 115200 baud: not transmitted, not RBR
    uart.write(U::kIerDlm, 0x00);
    EXPECT_EQ(uart.read(U::kRbrThrDll), 0x01);
    EXPECT_EQ(uart.read(U::kIerDlm), 0x00);
    EXPECT_EQ(uart.divisor(), 1);
    EXPECT_EQ(ring->total_written(), 0u);
    EXPECT_EQ(uart.read(U::kLsr) & U::kLsrDr, U::kLsrDr); // the byte is still waiting
    uart.write(U::kLcr, 0x03);
    EXPECT_EQ(uart.read(U::kLcr), 0x03);
    EXPECT_EQ(uart.read(U::kIerDlm), U::kIerRda | U::kIerRls);
    EXPECT_EQ(uart.read(U::kRbrThrDll), 'x');
    EXPECT_EQ(uart.read(U::kLsr) & U::kLsrDr, 0);
}

TEST_F(Uart, LoopbackEchoesDataAndReflectsModemLines) {
    uart.write(U::kMcr, U::kMcrLoop | U::kMcrOut2 | U::kMcrRts | U::kMcrDtr);
    EXPECT_EQ(uart.read(U::kMsr) & 0xF0, U::kMsrCts | U::kMsrDsr | U::kMsrDcd);
    uart.write(U::kRbrThrDll, 'a');
    EXPECT_EQ(ring->total_written(), 0u); // looped back, not sent
    EXPECT_EQ(uart.read(U::kLsr) & U::kLsrDr, U::kLsrDr);
    EXPECT_EQ(uart.read(U::kRbrThrDll), 'a');
    EXPECT_FALSE(uart.push_input('z')); // the serial input is disconnected in loopback
    uart.write(U::kMcr, U::kMcrLoop | U::kMcrOut1);
    EXPECT_EQ(uart.read(U::kMsr), U::kMsrRi | 0x0B); // RI on; DCTS, DDSR, DDCD changed
    uart.write(U::kMcr, U::kMcrLoop);
    EXPECT_EQ(uart.read(U::kMsr), 0x04); // TERI: RI's trailing edge
    uart.write(U::kMcr, 0);
    EXPECT_EQ(uart.read(U::kMsr) & 0xF0, U::kMsrCts | U::kMsrDsr | U::kMsrDcd); // the cable
    uart.write(U::kRbrThrDll, 'b');
    EXPECT_EQ(ring->total_written(), 1u);
}

TEST_F(Uart, ThreRaisedOnEnableClearedByIirReadRaisedByThrWrite) {
    uart.write(U::kMcr, U::kMcrOut2 | U::kMcrRts | U::kMcrDtr);
    EXPECT_FALSE(uart.irq_line());
    uart.write(U::kIerDlm, U::kIerThre);
    EXPECT_TRUE(uart.irq_line());
    EXPECT_TRUE(uart.take_rising_edge());
    EXPECT_FALSE(uart.take_rising_edge()); // reported once
    EXPECT_EQ(iir(), U::kIirThre);
    EXPECT_FALSE(uart.irq_line());
    EXPECT_EQ(iir(), U::kIirNone); // acknowledged, although THR is still empty
    uart.write(U::kRbrThrDll, 'k');
    EXPECT_TRUE(uart.irq_line()); // the byte left at once: THR empty again
    EXPECT_TRUE(uart.take_rising_edge());
    EXPECT_EQ(ring->total_written(), 1u);
    // serial8250_do_startup's THRE re-assertion test: IER 0 then THRI again re-raises it.
    EXPECT_EQ(iir(), U::kIirThre);
    uart.write(U::kIerDlm, 0);
    uart.write(U::kIerDlm, U::kIerThre);
    EXPECT_EQ(iir(), U::kIirThre);
    // Writing THR while THRE is still pending drops and re-raises the line: a fresh edge.
    uart.write(U::kIerDlm, 0);
    uart.write(U::kIerDlm, U::kIerThre);
    (void)uart.take_rising_edge();
    uart.write(U::kRbrThrDll, 'l');
    EXPECT_TRUE(uart.irq_line());
    EXPECT_TRUE(uart.take_rising_edge());
}

TEST_F(Uart, RxInterruptOnPushInputAndFifoTriggerLevel) {
    uart.write(U::kMcr, U::kMcrOut2);
    uart.write(U::kIerDlm, U::kIerRda);
    EXPECT_TRUE(uart.push_input('a'));
    EXPECT_TRUE(uart.irq_line());
    EXPECT_TRUE(uart.take_rising_edge());
    EXPECT_EQ(iir(), U::kIirRda);
    EXPECT_TRUE(uart.irq_line()); // reading IIR does not acknowledge received data
    EXPECT_EQ(uart.read(U::kRbrThrDll), 'a');
    EXPECT_FALSE(uart.irq_line());
    // FIFO on, trigger 8 (Linux's choice for a 16550A): below it the timeout is reported.
    uart.write(U::kIirFcr, 0x81);
    for (uint8_t i = 0; i < 3; ++i) ASSERT_TRUE(uart.push_input(i));
    EXPECT_TRUE(uart.take_rising_edge());
    EXPECT_EQ(iir(), U::kIirFifo | U::kIirTimeout);
    for (uint8_t i = 3; i < 8; ++i) ASSERT_TRUE(uart.push_input(i));
    EXPECT_EQ(iir(), U::kIirFifo | U::kIirRda);
    for (uint8_t i = 0; i < 8; ++i) EXPECT_EQ(uart.read(U::kRbrThrDll), i);
    EXPECT_EQ(iir(), U::kIirFifo | U::kIirNone);
    EXPECT_FALSE(uart.irq_line());
    // FCR's receiver reset drops what is held.
    ASSERT_TRUE(uart.push_input('q'));
    uart.write(U::kIirFcr, 0x81 | U::kFcrClearRx);
    EXPECT_EQ(uart.read(U::kLsr) & U::kLsrDr, 0);
}

TEST_F(Uart, OverrunSetsOeAndKeepsHeldBytes) {
    for (size_t i = 0; i < U::kRxCapacity; ++i)
        ASSERT_TRUE(uart.push_input(static_cast<uint8_t>(i)));
    EXPECT_EQ(uart.rx_free(), 0u);
    EXPECT_FALSE(uart.push_input(0xEE));
    EXPECT_EQ(uart.read(U::kLsr), U::kLsrDr | U::kLsrOe | U::kLsrThre | U::kLsrTemt);
    EXPECT_EQ(uart.read(U::kLsr), U::kLsrDr | U::kLsrThre | U::kLsrTemt); // read clears OE
    for (size_t i = 0; i < U::kRxCapacity; ++i)
        ASSERT_EQ(uart.read(U::kRbrThrDll), static_cast<uint8_t>(i));
    EXPECT_EQ(uart.read(U::kLsr) & U::kLsrDr, 0);
}

TEST_F(Uart, IirPriorityLineStatusRxThreModem) {
    uart.write(U::kMcr, U::kMcrOut2);
    uart.write(U::kIerDlm, 0x0F);
    uart.set_modem_inputs(U::kMsrCts | U::kMsrDsr);                    // DCD drops: modem status
    for (size_t i = 0; i <= U::kRxCapacity; ++i) uart.push_input('r'); // data + overrun
    EXPECT_TRUE(uart.irq_line());
    EXPECT_EQ(iir(), U::kIirRls);
    EXPECT_EQ(iir(), U::kIirRls); // IIR does not acknowledge line status; LSR does
    (void)uart.read(U::kLsr);
    EXPECT_EQ(iir(), U::kIirRda);
    for (size_t i = 0; i < U::kRxCapacity; ++i) (void)uart.read(U::kRbrThrDll);
    EXPECT_EQ(iir(), U::kIirThre); // reported, hence acknowledged
    EXPECT_EQ(iir(), U::kIirMs);
    EXPECT_TRUE(uart.irq_line());
    EXPECT_EQ(uart.read(U::kMsr), U::kMsrCts | U::kMsrDsr | 0x08); // DDCD
    EXPECT_EQ(iir(), U::kIirNone);
    EXPECT_FALSE(uart.irq_line());
}

TEST_F(Uart, Out2GatesTheIrqLine) {
    uart.write(U::kIerDlm, U::kIerThre);
    EXPECT_FALSE(uart.irq_line()); // pending inside the chip, but OUT2 is off
    EXPECT_FALSE(uart.take_rising_edge());
    uart.write(U::kMcr, U::kMcrOut2);
    EXPECT_TRUE(uart.irq_line());
    EXPECT_TRUE(uart.take_rising_edge());
    uart.write(U::kMcr, U::kMcrOut2 | U::kMcrLoop); // loopback forces OUT2 inactive
    EXPECT_FALSE(uart.irq_line());
    EXPECT_EQ(iir(), U::kIirThre); // the source is still reported
    uart.write(U::kMcr, 0);
    uart.write(U::kIerDlm, 0);
    uart.write(U::kIerDlm, U::kIerThre);
    EXPECT_FALSE(uart.irq_line());
}

TEST_F(Uart, ResetStateAndNullSink) {
    EXPECT_EQ(iir(), U::kIirNone);
    EXPECT_EQ(uart.read(U::kLsr), U::kLsrThre | U::kLsrTemt);
    EXPECT_EQ(uart.read(U::kMsr), U::kMsrCts | U::kMsrDsr | U::kMsrDcd);
    EXPECT_EQ(uart.read(U::kMcr), 0);
    EXPECT_EQ(uart.read(U::kRbrThrDll), 0); // nothing received
    U quiet(nullptr);
    quiet.write(U::kRbrThrDll, 'x'); // dropped, no crash
    EXPECT_EQ(quiet.read(U::kLsr), U::kLsrThre | U::kLsrTemt);
}

} // namespace
} // namespace rthv::vplat
