// Uart16550: register semantics after the PC16550D datasheet ("Register Description" and
// Table IV, "Interrupt Control Functions"). Interrupt state is derived from the registers on
// every access rather than latched, except the THRE interrupt, which the chip itself latches
// (it is acknowledged by the IIR read that reports it even though THR stays empty).
#include "hv/vplat/uart16550.hpp"

namespace rthv::vplat {

namespace {
constexpr size_t kRxMask = Uart16550::kRxCapacity - 1;
static_assert((Uart16550::kRxCapacity & kRxMask) == 0, "kRxCapacity must be a power of two");
constexpr uint8_t kFcrProgrammable = 0xC9; // enable, DMA mode, trigger level (clears self-reset)
constexpr uint8_t kMsrDcts = 0x01, kMsrDdsr = 0x02, kMsrTeri = 0x04, kMsrDdcd = 0x08;
} // namespace

void Uart16550::reset() {
    rx_head_ = rx_count_ = 0;
    ier_ = lcr_ = mcr_ = fcr_ = 0;
    lsr_errors_ = msr_deltas_ = 0;
    thr_ipending_ = false; // IIR = 01 after reset: nothing pending, not even THRE
    msr_lines_ = modem_lines();
    line_ = rose_ = false;
}

uint8_t Uart16550::modem_lines() const {
    if (!(mcr_ & kMcrLoop)) return modem_in_;
    // Loopback (MCR bit 4): the outputs drive the inputs inside the chip:
    // RTS -> CTS, DTR -> DSR, OUT1 -> RI, OUT2 -> DCD.
    uint8_t v = 0;
    if (mcr_ & kMcrRts) v |= kMsrCts;
    if (mcr_ & kMcrDtr) v |= kMsrDsr;
    if (mcr_ & kMcrOut1) v |= kMsrRi;
    if (mcr_ & kMcrOut2) v |= kMsrDcd;
    return v;
}

void Uart16550::sample_modem_lines() {
    const uint8_t now = modem_lines();
    const uint8_t changed = static_cast<uint8_t>(now ^ msr_lines_);
    if (changed & kMsrCts) msr_deltas_ |= kMsrDcts;
    if (changed & kMsrDsr) msr_deltas_ |= kMsrDdsr;
    if (changed & kMsrDcd) msr_deltas_ |= kMsrDdcd;
    // TERI: only the trailing edge of RI (on -> off) counts.
    if ((msr_lines_ & kMsrRi) && !(now & kMsrRi)) msr_deltas_ |= kMsrTeri;
    msr_lines_ = now;
}

void Uart16550::set_modem_inputs(uint8_t msr_high_bits) {
    modem_in_ = static_cast<uint8_t>(msr_high_bits & 0xF0);
    sample_modem_lines();
    update_irq();
}

uint8_t Uart16550::pending_source() const {
    // Table IV priority: line status > received data (or FIFO timeout) > THRE > modem status.
    if ((ier_ & kIerRls) && lsr_errors_) return kIirRls;
    if ((ier_ & kIerRda) && rx_count_ != 0) {
        // FIFO mode: "data available" at the trigger level; below it the chip reports the
        // character timeout after 4 character times. With no baud clock here that time has
        // always passed, so a short burst is reported as a timeout at once (same driver path).
        static constexpr size_t kTrigger[4] = {1, 4, 8, 14};
        if ((fcr_ & kFcrEnable) && rx_count_ < kTrigger[fcr_ >> 6]) return kIirTimeout;
        return kIirRda;
    }
    if ((ier_ & kIerThre) && thr_ipending_) return kIirThre;
    if ((ier_ & kIerMs) && (msr_deltas_ & 0x0F)) return kIirMs;
    return kIirNone;
}

void Uart16550::update_irq() {
    // On a PC the INTRPT pin reaches the bus through a buffer enabled by OUT2; in loopback the
    // chip forces OUT2 inactive, so no IRQ leaves it even though IIR still reports sources.
    const bool now = pending_source() != kIirNone && (mcr_ & kMcrOut2) && !(mcr_ & kMcrLoop);
    if (now && !line_) rose_ = true;
    line_ = now;
}

void Uart16550::receive(uint8_t byte) {
    if (rx_count_ == kRxCapacity) { // overrun: the new byte is lost, the held ones are kept
        lsr_errors_ |= kLsrOe;
        return;
    }
    rx_[(rx_head_ + rx_count_) & kRxMask] = byte;
    ++rx_count_;
}

bool Uart16550::push_input(uint8_t byte) {
    // In loopback the serial input pin is disconnected from the receiver: the byte never
    // reaches the chip (no overrun either); the caller may offer it again later.
    if (mcr_ & kMcrLoop) return false;
    const bool fits = rx_count_ < kRxCapacity;
    receive(byte);
    update_irq();
    return fits;
}

void Uart16550::transmit(uint8_t byte) {
    // Writing THR clears the THRE interrupt; the byte then leaves at once and THR is empty
    // again, which sets it anew: two steps, so the caller sees the edge (take_rising_edge).
    thr_ipending_ = false;
    update_irq();
    if (mcr_ & kMcrLoop) {
        receive(byte); // loopback: the transmitter output is wired to the receiver input
    } else if (out_ != nullptr) {
        out_->put(byte);
    }
    thr_ipending_ = true;
    update_irq();
}

uint8_t Uart16550::read(uint8_t offset) {
    const bool dlab = (lcr_ & kLcrDlab) != 0;
    uint8_t v = 0;
    switch (offset & 7) {
    case kRbrThrDll:
        if (dlab) return dll_;
        if (rx_count_ == 0) return 0; // nothing received: RBR reads 0 here, DR stays 0
        v = rx_[rx_head_];
        rx_head_ = (rx_head_ + 1) & kRxMask;
        --rx_count_;
        break;
    case kIerDlm:
        return dlab ? dlm_ : ier_;
    case kIirFcr: {
        const uint8_t src = pending_source();
        // Reading IIR acknowledges THRE when THRE is what it reports (and only then).
        if (src == kIirThre) thr_ipending_ = false;
        v = static_cast<uint8_t>(src | ((fcr_ & kFcrEnable) ? kIirFifo : 0));
        break;
    }
    case kLcr:
        return lcr_;
    case kMcr:
        return mcr_;
    case kLsr:
        // THRE and TEMT: the transmitter is always idle between accesses. Reading clears OE.
        v = static_cast<uint8_t>((rx_count_ ? kLsrDr : 0) | lsr_errors_ | kLsrThre | kLsrTemt);
        lsr_errors_ = 0;
        break;
    case kMsr:
        v = static_cast<uint8_t>(msr_lines_ | msr_deltas_);
        msr_deltas_ = 0;
        break;
    default: // kScr
        return scr_;
    }
    update_irq();
    return v;
}

void Uart16550::write(uint8_t offset, uint8_t value) {
    const bool dlab = (lcr_ & kLcrDlab) != 0;
    switch (offset & 7) {
    case kRbrThrDll:
        if (dlab) {
            dll_ = value;
        } else {
            transmit(value);
        }
        return;
    case kIerDlm:
        if (dlab) {
            dlm_ = value;
            return;
        }
        {
            const uint8_t old = ier_;
            ier_ = static_cast<uint8_t>(value & 0x0F); // bits 4-7 are always 0 on a 16550
            // Enabling ETBEI while THR is empty (it always is here) raises THRE; Linux's
            // startup test (UART_BUG_THRE) expects the re-assertion after IER 0 -> THRI.
            if ((old ^ ier_) & kIerThre) thr_ipending_ = (ier_ & kIerThre) != 0;
        }
        break;
    case kIirFcr: {
        // Changing FCR0 clears both FIFOs; other bits are only programmed with FCR0 = 1.
        const uint8_t enable = value & kFcrEnable;
        if (enable != (fcr_ & kFcrEnable) || (enable && (value & kFcrClearRx))) {
            rx_head_ = rx_count_ = 0;
        }
        fcr_ = enable ? static_cast<uint8_t>(value & kFcrProgrammable) : 0;
        break;
    }
    case kLcr:
        lcr_ = value;
        return;
    case kMcr:
        mcr_ = static_cast<uint8_t>(value & 0x1F); // bits 5-7 are always 0
        sample_modem_lines();
        break;
    case kLsr: // LSR and MSR are read-only in use (writes are a factory test mode)
    case kMsr:
        return;
    default: // kScr
        scr_ = value;
        return;
    }
    update_irq();
}

} // namespace rthv::vplat
