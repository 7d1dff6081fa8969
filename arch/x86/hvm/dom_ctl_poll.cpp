// Serving the control channel during a scenario run (dom_ctl.hpp). A request's first byte
// raises COM2's receive interrupt on CPU 0 (ctl_port.hpp), whose hook marks a poll due; CPU 0's
// run loop calls ctl_poll() on every pass, and a running guest exits at the interrupt, so a
// request is served at once. A TimerCore timer on CPU 0 also marks a poll due: every kCtlPollNs
// while bytes remain to be read or sent, else every kCtlIdlePollNs as a safety net (an edge the
// emulator never raised costs a tenth of a second, not the request). Without an IOAPIC route
// the timer polls every kCtlPollNs, as before. Requests change scheduler state, so they are
// served from the loop, outside interrupt context and TimerCore::expire, like every other
// scheduling decision of CPU 0.
#include "arch/x86/boot_state.hpp"
#include "arch/x86/console.hpp"
#include "arch/x86/ctl_port.hpp"
#include "arch/x86/hvm/dom_ctl.hpp"
#include "arch/x86/json_writer.hpp"
#include "arch/x86/percpu.hpp"
#include "arch/x86/tsc.hpp"
#include "hv/ctl/server.hpp"

#include <new>

namespace rthv::x86::hvm {
namespace {

class UartSink final : public ctl::ByteSink {
public:
    void write(const uint8_t* bytes, size_t n) override { ctl_port::write(bytes, n); }
};

DomCtl* dispatcher = nullptr;
UartSink sink;
ctl::Endpoint* endpoint = nullptr;
Timer poll_timer;
volatile bool poll_due = false;
bool enabled = false;
bool by_interrupt = false;
uint64_t polls = 0; // passes of ctl_poll that found a poll due

// Storage for the objects above, constructed in ctl_start (they need the DomState).
alignas(DomCtl) unsigned char dispatcher_storage[sizeof(DomCtl)];
alignas(ctl::Endpoint) unsigned char endpoint_storage[sizeof(ctl::Endpoint)];

void on_poll_timer(void*, Time) { poll_due = true; }
void on_receive_interrupt() { poll_due = true; }

} // namespace

void ctl_start(DomState& s) {
    if (!ctl_port::init()) {
        log(LogLevel::kInfo, "ctl: no UART at COM2, control channel off");
        return;
    }
    dispatcher = new (dispatcher_storage) DomCtl(s);
    endpoint = new (endpoint_storage) ctl::Endpoint(*dispatcher, sink);
    poll_timer.bind(on_poll_timer, nullptr);
    by_interrupt = ctl_port::enable_receive_interrupt(boot_state().madt, percpu(0).apic_id,
                                                      on_receive_interrupt);
    s.timers.add(0, poll_timer, now() + (by_interrupt ? kCtlIdlePollNs : kCtlPollNs));
    enabled = true;
    if (by_interrupt)
        log(LogLevel::kInfo, "ctl: control channel on COM2 (0x2f8), IRQ 3 -> CPU 0");
    else
        log(LogLevel::kInfo, "ctl: control channel on COM2 (0x2f8), polled every %llu us",
            static_cast<unsigned long long>(kCtlPollNs / 1000));
}

void ctl_report(JsonWriter& out) {
    out.begin_object("ctl");
    out.field_bool("enabled", enabled);
    out.field("mode", by_interrupt ? "interrupt" : "poll");
    out.field("interrupts", ctl_port::receive_interrupts());
    out.field("polls", polls);
    out.end_object();
}

bool ctl_poll(DomState& s) {
    if (!enabled || !poll_due) return false;
    poll_due = false;
    ++polls;
    ctl_port::pump(); // what the UART did not take at the last poll
    uint8_t bytes[64];
    for (int round = 0; round < 8; ++round) {
        const size_t n = ctl_port::read(bytes, sizeof bytes);
        if (n == 0) break;
        endpoint->receive(bytes, n);
    }
    // More to read (the FIFO refilled while this pass read: its line never dropped, so no new
    // edge will come) or to send: poll again soon; else only the safety net.
    const bool busy = ctl_port::has_input() || ctl_port::output_queued();
    s.timers.add(0, poll_timer, now() + (busy || !by_interrupt ? kCtlPollNs : kCtlIdlePollNs));
    return true;
}

} // namespace rthv::x86::hvm
