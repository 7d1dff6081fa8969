#include "arch/x86/smp.hpp"

#include "arch/x86/asm_defs.hpp"
#include "arch/x86/console.hpp"
#include "arch/x86/cr.hpp"
#include "arch/x86/idt.hpp"
#include "arch/x86/lapic.hpp"
#include "arch/x86/paging.hpp"
#include "arch/x86/timer.hpp"
#include "arch/x86/tsc.hpp"

extern "C" char trampoline_start[], trampoline_end[];

namespace rthv::x86 {

namespace {

ApWork ap_work = nullptr;

// The BSP unmapped the trampoline's identity page after this CPU left it; the first wake-up
// comes after that, so one CR3 reload then drops any stale TLB entry for it. Work set before
// the kick is seen after the wake-up it causes; a kick that arrives between the check and the
// HLT stays pending and ends the HLT (idle_wait: the HLT is in STI's shadow).
[[noreturn]] void ap_idle() {
    idle_wait();
    write_cr3(read_cr3());
    for (;;) {
        if (ApWork work = __atomic_load_n(&ap_work, __ATOMIC_ACQUIRE)) work(this_cpu().cpu_id);
        idle_wait();
    }
}

constexpr Duration kInitDelay = 10'000'000; // 10 ms after INIT (SDM 8.4.4.1)
constexpr Duration kSipiDelay = 200'000;    // 200 us between the SIPIs
constexpr Duration kCheckInTimeout = 200'000'000;

template <typename T>
void set_param(uint64_t offset, T value) {
    *phys_to_virt<T>(TRAMPOLINE_PHYS + offset) = value;
}

bool wait_online(const PerCpu& pc, Duration timeout) {
    Time end = now() + timeout;
    while (!__atomic_load_n(&pc.online, __ATOMIC_ACQUIRE))
        if (now() >= end) return false;
    return true;
}

extern "C" [[noreturn]] void ap_entry(PerCpu* pc) {
    cpu_init(*pc);
    __atomic_store_n(&pc->online, true, __ATOMIC_RELEASE);
    ap_idle();
}

} // namespace

void set_ap_work(ApWork work) { __atomic_store_n(&ap_work, work, __ATOMIC_RELEASE); }

void cpu_init(PerCpu& pc) {
    enter_percpu(pc);
    idt_load();
    lapic::init_cpu();
    pc.apic_id = lapic::id();
    timer_init_cpu();
}

CpuId smp_start_aps(const MadtInfo& madt, CpuId max_cpus) {
    auto size = static_cast<size_t>(trampoline_end - trampoline_start);
    auto* page = phys_to_virt<char>(TRAMPOLINE_PHYS);
    for (size_t i = 0; i < size; ++i) page[i] = trampoline_start[i];
    // Identity-mapped read+execute for the instant the AP turns paging on inside it.
    map_page(TRAMPOLINE_PHYS, TRAMPOLINE_PHYS, 0);
    set_param<uint64_t>(TRAMPOLINE_PARAM_CR3, kernel_cr3());
    set_param<uint64_t>(TRAMPOLINE_PARAM_ENTRY, reinterpret_cast<uint64_t>(&ap_entry));

    CpuId next = 1;
    uint32_t bsp_apic = percpu(0).apic_id;
    for (size_t i = 0; i < madt.cpu_count && next < max_cpus && next < percpu_count(); ++i) {
        uint32_t apic_id = madt.cpus[i].apic_id;
        if (apic_id == bsp_apic) continue;
        PerCpu& pc = percpu(next); // its cpu_id was set when the blocks were allocated
        pc.apic_id = apic_id;
        set_param<uint64_t>(TRAMPOLINE_PARAM_STACK, pc.stack_top());
        set_param<uint64_t>(TRAMPOLINE_PARAM_PERCPU, reinterpret_cast<uint64_t>(&pc));
        lapic::send_init(apic_id);
        delay_ns(kInitDelay);
        lapic::send_startup(apic_id, TRAMPOLINE_PHYS >> 12);
        delay_ns(kSipiDelay);
        if (!__atomic_load_n(&pc.online, __ATOMIC_ACQUIRE))
            lapic::send_startup(apic_id, TRAMPOLINE_PHYS >> 12);
        if (!wait_online(pc, kCheckInTimeout)) {
            log(LogLevel::kError, "cpu with APIC id %u did not start", apic_id);
            continue; // its block stays offline; the next AP reuses it
        }
        log(LogLevel::kDebug, "cpu%u up (APIC id %u)", next, apic_id);
        ++next;
    }
    unmap_page(TRAMPOLINE_PHYS);
    return next;
}

} // namespace rthv::x86
