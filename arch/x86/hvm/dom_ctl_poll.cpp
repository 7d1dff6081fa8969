// Serving the control channel during a scenario run (dom_ctl.hpp). A TimerCore timer on CPU 0
// marks a poll due every kCtlPollNs; CPU 0's run loop calls ctl_poll() on every pass, and a
// running guest is interrupted at least at that timer (the run loop bounds each entry by
// CPU 0's next deadline), so requests wait at most about one poll interval. The timer callback
// only sets a flag: requests change scheduler state, which is done from the loop, outside
// TimerCore::expire, like every other scheduling decision of CPU 0.
#include "arch/x86/console.hpp"
#include "arch/x86/ctl_port.hpp"
#include "arch/x86/hvm/dom_ctl.hpp"
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

// Storage for the objects above, constructed in ctl_start (they need the DomState).
alignas(DomCtl) unsigned char dispatcher_storage[sizeof(DomCtl)];
alignas(ctl::Endpoint) unsigned char endpoint_storage[sizeof(ctl::Endpoint)];

void on_poll_timer(void*, Time) { poll_due = true; }

} // namespace

void ctl_start(DomState& s) {
    if (!ctl_port::init()) {
        log(LogLevel::kInfo, "ctl: no UART at COM2, control channel off");
        return;
    }
    dispatcher = new (dispatcher_storage) DomCtl(s);
    endpoint = new (endpoint_storage) ctl::Endpoint(*dispatcher, sink);
    poll_timer.bind(on_poll_timer, nullptr);
    s.timers.add(0, poll_timer, now() + kCtlPollNs);
    enabled = true;
    log(LogLevel::kInfo, "ctl: control channel on COM2 (0x2f8), polled every %llu us",
        static_cast<unsigned long long>(kCtlPollNs / 1000));
}

void ctl_poll(DomState& s) {
    if (!enabled || !poll_due) return;
    poll_due = false;
    ctl_port::pump(); // what the UART did not take at the last poll
    uint8_t bytes[64];
    for (int round = 0; round < 8; ++round) {
        const size_t n = ctl_port::read(bytes, sizeof bytes);
        if (n == 0) break;
        endpoint->receive(bytes, n);
    }
    s.timers.add(0, poll_timer, now() + kCtlPollNs);
}

} // namespace rthv::x86::hvm
