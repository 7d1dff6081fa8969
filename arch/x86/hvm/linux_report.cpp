// The report's "linux" array: per Linux domain what its guest reported through the report
// device (hv/vplat/report_device.hpp), how its platform was used, and the end of its console.
// Boot tests assert on the figures, never on the console text, which is for people.
#include "arch/x86/hvm/dom.hpp"
#include "arch/x86/hvm/linux_vcpu.hpp"

namespace rthv::x86::hvm {
namespace {

constexpr size_t kConsoleTail = 1536;

void write_console_tail(JsonWriter& out, const LinuxDomain& d) {
    char text[kConsoleTail + 1];
    uint64_t written = d.console.total_written();
    vplat::ConsoleRing::Cursor c{written > kConsoleTail ? written - kConsoleTail : 0};
    uint64_t lost = 0;
    size_t n = d.console.read(c, reinterpret_cast<uint8_t*>(text), kConsoleTail, lost);
    for (size_t i = 0; i < n; ++i)
        if (text[i] == '\0') text[i] = ' ';
    text[n] = '\0';
    out.field("console_tail", text);
}

// From the guest's `ready` to the end of the run: the window and each VCPU's share of a pCPU
// in it (run_ns from the scheduler's statistics at both ends).
void write_since_ready(JsonWriter& out, const LinuxDomain& d) {
    const DomState& s = dom_state();
    Duration window = d.ready_at != 0 && s.end > d.ready_at ? s.end - d.ready_at : 0;
    out.field("ready_at_ns", d.ready_at != 0 && d.ready_at > s.start ? d.ready_at - s.start : 0);
    out.field("window_since_ready_ns", window);
    out.begin_array("share_since_ready");
    for (uint32_t k = 0; k < d.vcpu_count; ++k) {
        const LinuxVcpu& lv = *d.vcpus[k];
        uint64_t ran = lv.owner->final_stats.run_ns - lv.run_ns_at_ready;
        out.field_fixed(nullptr, window != 0 ? ran * 1'000'000 / window : 0, 6);
    }
    out.end_array();
}

} // namespace

void linux_report(JsonWriter& out) {
    out.begin_array("linux");
    for (uint32_t i = 0; i < linux_domain_count(); ++i) {
        const LinuxDomain& d = linux_domain_at(i);
        out.begin_object();
        out.field("domain", d.name);
        out.field("memory_bytes", d.memory.bytes());
        out.field("vcpus", d.vcpu_count);
        out.begin_object("reported"); // the guest's own figures: last value of each name
        for (size_t k = 0; k < d.report.count(); ++k) {
            const vplat::Figure& f = d.report.figure(k);
            out.field_signed(f.name, f.value);
        }
        out.end_object();
        out.field("report_lines_malformed", d.report.malformed());
        out.field("report_names_dropped", d.report.dropped());
        uint64_t injected = 0;
        for (uint32_t k = 0; k < d.vcpu_count; ++k) injected += d.vcpus[k]->injected;
        out.field("interrupts_injected", injected);
        out.field("msr_refused", d.unhandled_msrs);
        out.field("mmio_exits", d.mmio_exits);
        out.field("uart_irq_edges", d.uart_edges);
        out.field("ioapic_deliveries", d.ioapic_deliveries);
        out.field("com1_redirection", d.ioapic.redirection(kUartIrq)); // I/O APIC pin 4
        out.field("console_bytes", d.console.total_written());
        write_since_ready(out, d);
        write_console_tail(out, d);
        out.end_object();
    }
    out.end_array();
}

} // namespace rthv::x86::hvm
