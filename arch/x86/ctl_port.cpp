#include "arch/x86/ctl_port.hpp"

#include "arch/x86/asm_defs.hpp"
#include "arch/x86/ioapic.hpp"
#include "arch/x86/uart16550.hpp"

namespace rthv::x86::ctl_port {
namespace {

Uart16550 com2(0x2f8);

// Replies wait here until the UART takes them. Room for several whole frames (hv/ctl
// kMaxEncoded is 2074 bytes + delimiters).
constexpr size_t kTxBytes = 8192;
uint8_t tx[kTxBytes];
size_t tx_head = 0; // next byte to send
size_t tx_len = 0;  // bytes queued

constexpr uint8_t kIsaIrq = 3; // COM2
void (*receive_hook)() = nullptr;
uint64_t interrupts = 0;

} // namespace

bool init() { return com2.init(); }

bool enable_receive_interrupt(const MadtInfo& madt, uint32_t bsp_apic_id, void (*hook)()) {
    if (!com2.present()) return false;
    receive_hook = hook;
    if (!ioapic::route_isa_irq(madt, kIsaIrq, VECTOR_CTL_UART, bsp_apic_id)) {
        receive_hook = nullptr;
        return false;
    }
    com2.enable_receive_interrupt();
    return true;
}

void receive_interrupt() {
    ++interrupts;
    if (receive_hook != nullptr) receive_hook();
}

uint64_t receive_interrupts() { return interrupts; }
bool has_input() { return com2.present() && com2.can_read(); }
bool output_queued() { return tx_len > 0; }

size_t read(uint8_t* out, size_t cap) {
    if (!com2.present()) return 0;
    size_t n = 0;
    while (n < cap && com2.can_read()) out[n++] = com2.get();
    return n;
}

void write(const uint8_t* bytes, size_t n) {
    if (!com2.present()) return;
    // A frame that does not fit is dropped whole: the stream stays a sequence of complete
    // frames, and the client's retry (or timeout) recovers.
    if (n > kTxBytes - tx_len) return;
    for (size_t i = 0; i < n; ++i) tx[(tx_head + tx_len + i) % kTxBytes] = bytes[i];
    tx_len += n;
    pump();
}

void pump() {
    // put() waits a bounded time for the transmitter; when it stays busy (the emulator's
    // socket is full, or its main loop is late) the rest stays queued for the next poll
    // instead of being lost mid-frame, and CPU 0 is never wedged by a host that stopped
    // reading.
    while (tx_len > 0 && com2.put(tx[tx_head])) {
        tx_head = (tx_head + 1) % kTxBytes;
        --tx_len;
    }
}

} // namespace rthv::x86::ctl_port
