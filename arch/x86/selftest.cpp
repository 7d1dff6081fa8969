// Boot-time self-tests of the machine layer, run instead of the domains (hvm/dom_main.hpp) when
// the command line says test=<selector>:
//   boot      every CPU takes a one-shot timer interrupt each tick for runtime_ms (APs first
//             armed remotely by the BSP), the BSP kicks the APs round-robin
//   fault     #UD on the BSP            fault-pf  read of an unmapped address
//   fault-wx  write to the own .text    fault-nx  jump into .data
//   fault-ap  #UD on CPU 1 (from its reschedule IPI)
//   hang      stop with interrupts off and no report (the runner's wall-clock timeout test)
// Every run ends in report_and_exit(); the fault tests end in the fault report instead.
#include "arch/x86/boot_state.hpp"
#include "arch/x86/console.hpp"
#include "arch/x86/cr.hpp"
#include "arch/x86/paging.hpp"
#include "arch/x86/percpu.hpp"
#include "arch/x86/report.hpp"
#include "arch/x86/timer.hpp"
#include "arch/x86/tsc.hpp"
#include "arch/x86/x86_platform.hpp"

namespace rthv::x86 {
namespace {

constexpr Duration kTickPeriod = 1'000'000; // 1 ms
Time run_end = 0;
CpuId online = 1;
uint64_t kicks_sent = 0;
volatile uint8_t data_byte = 0xc3; // "ret", for fault-nx

bool str_eq(const char* a, const char* b) {
    while (*a != '\0' && *a == *b) ++a, ++b;
    return *a == *b;
}

// Re-arms from the previous deadline, not from now, so the tick count does not drift with
// interrupt latency: a late tick is followed by an early one.
void on_tick(CpuId cpu) {
    PerCpu& pc = percpu(cpu);
    Time next = pc.last_tick + kTickPeriod;
    pc.last_tick = next;
    // The BSP keeps ticking past the end: its tick is what wakes it to write the report.
    if (next < run_end || cpu == 0) platform().arm(cpu, next);
    if (cpu == 0 && online > 1 && next < run_end) {
        platform().kick(1 + static_cast<CpuId>(kicks_sent % (online - 1)));
        ++kicks_sent;
    }
}

void on_kick_fault(CpuId cpu) {
    if (cpu == 1) asm volatile("ud2");
}

} // namespace

void report_boot(JsonWriter& out) {
    const BootState& s = boot_state();
    out.field("cpus_online", cpus_started());
    out.field("cpus_expected", s.cpus_expected);
    // One per-CPU block per CPU found (percpu.hpp), and what each holds: core and areas.
    out.field("percpu_blocks", percpu_count());
    out.field("percpu_block_bytes", percpu_block_bytes());
    out.field("tsc_hz", tsc_info().hz);
    out.field("tsc_source", tsc_info().source);
    out.field("tsc_measured_hz", tsc_info().measured_hz);
    out.field("timer_mode", timer_mode_name());
    out.field("lapic_timer_hz", lapic_timer_hz());
    out.field("test", s.options.test);
    out.field("runtime_ms", s.options.runtime_ms);
    out.field("tick_period_ns", kTickPeriod);
    out.field("kicks_sent", kicks_sent);
    out.field("bad_options", s.options.bad_options);
    out.field("free_frames", frame_allocator().free_frames());
    out.begin_array("cpus");
    for (CpuId c = 0; c < cpus_started(); ++c) {
        const PerCpu& pc = percpu(c);
        out.begin_object();
        out.field("cpu", c);
        out.field("apic_id", pc.apic_id);
        out.field("timer_irqs", pc.timer_irqs);
        out.field("reschedule_irqs", pc.reschedule_irqs);
        out.field("rearm_irqs", pc.rearm_irqs);
        out.end_object();
    }
    out.end_array();
}

namespace {

[[noreturn]] void run_heartbeat() {
    Time start = now();
    run_end = start + static_cast<Duration>(boot_state().options.runtime_ms) * 1'000'000;
    set_timer_hook(on_tick);
    for (CpuId c = online; c-- > 0;) {
        percpu(c).last_tick = start;
        platform().arm(c, start + kTickPeriod); // remote for every AP
    }
    // Two more ticks let the APs take their last one before counting.
    while (now() < run_end + 2 * kTickPeriod) idle_wait();
    bool pass = cpus_started() == boot_state().cpus_expected;
    for (CpuId c = 0; c < cpus_started(); ++c) pass = pass && percpu(c).timer_irqs > 0;
    report_and_exit(pass);
}

} // namespace

void run_self_test(const char* test) {
    online = cpus_started();
    if (str_eq(test, "boot")) run_heartbeat();
    log(LogLevel::kInfo, "running deliberate fault test \"%s\"", test);
    if (str_eq(test, "fault")) asm volatile("ud2");
    if (str_eq(test, "fault-pf")) (void)*reinterpret_cast<volatile uint64_t*>(0x1000);
    if (str_eq(test, "fault-wx")) *reinterpret_cast<volatile uint8_t*>(&run_self_test) = 0x90;
    if (str_eq(test, "fault-nx")) reinterpret_cast<void (*)()>(const_cast<uint8_t*>(&data_byte))();
    if (str_eq(test, "hang")) halt_forever();
    if (str_eq(test, "fault-ap") && online > 1) {
        set_reschedule_hook(on_kick_fault);
        platform().kick(1);
        for (;;) idle_wait();
    }
    log(LogLevel::kError, "unknown or impossible test \"%s\"", test);
    report_and_exit(false);
}

} // namespace rthv::x86
