// Domains scheduled by the RTDS core (what the hypervisor runs): the boot configuration's, run
// by the portable domain layer (hv/dom: domains, VCPUs, blocking, the SMP hand-off and the
// per-CPU run loop with its time accounting), which sees the hardware through HvmGuests and
// X86Machine. Files:
//   dom_setup.cpp    config module -> domains, guest memory, VMCS, scheduler insertion
//   dom_guests.cpp   HvmGuests: a stint in the guest through the vendor's Backend, FPU switch
//   dom.hpp          X86Machine: interrupt window, HLT, timer flush (inline)
//   dom_machine.cpp  X86Machine: the control channel
//   dom_main.cpp     start, hooks, end-of-run barrier;  dom_report.cpp  the report sections
#pragma once

#include "arch/x86/hvm/backend.hpp"
#include "arch/x86/json_writer.hpp"
#include "arch/x86/percpu.hpp"
#include "arch/x86/timer.hpp"
#include "arch/x86/tsc.hpp"
#include "hv/config/config.hpp"
#include "hv/dom/domain.hpp"

namespace rthv::x86::hvm {

inline constexpr uint32_t kMaxDomVcpus = 32; // VCPUs over all domains

using dom::CpuRun;
using dom::Domain;
using dom::LoopPhase;

// A VCPU of the domain layer with what VT-x or AMD-V runs: its hardware context.
struct DomVcpu : dom::DomVcpu {
    HvmVcpu hvm;
};

static_assert(kMaxArchCpus <= dom::kMaxDomCpus, "every CPU has its row in guest_ns_on");

inline DomVcpu& hvm_vcpu(dom::DomVcpu& v) { return static_cast<DomVcpu&>(v); }

// The domain layer's guest backend on x86 (dom_guests.cpp): one for VT-x and AMD-V, over the
// vendor's Backend table.
class HvmGuests final : public dom::Guests {
public:
    const Backend* backend = nullptr;

    bool cpu_enable(CpuId cpu, const char*& why) override;
    void load(dom::DomVcpu& v, CpuId cpu) override;
    void unload(dom::DomVcpu& v) override;
    void prepare(dom::DomVcpu& v) override;
    dom::Stint run(dom::DomVcpu& v, CpuId cpu, Time deadline) override;
    Time timer_deadline(dom::DomVcpu& v) override { return hvm_vcpu(v).hvm.timer_deadline; }
    bool interrupt_pending(dom::DomVcpu& v) override;
    void halt_over(dom::DomVcpu& v) override;
    bool timer_is_interrupt(dom::DomVcpu& v) override;
    Time timer_fired(dom::DomVcpu& v) override;
    bool crashed(dom::DomVcpu& v) override { return hvm_vcpu(v).hvm.crashed; }
};

// The run loop's machine on x86: the STI window, HLT, the timer flush before an entry, the
// control channel on CPU 0 (its poll in dom_machine.cpp). Inline: the loop (hv/dom/run_loop.hpp) is
// instantiated with this type in dom_guests.cpp, so these are not calls at all. The loop runs
// with interrupts off; they are taken in the window, in the idle HLT and, while a guest runs,
// on its exit (acknowledge-on-exit, vmx/exit_interrupt.cpp).
class X86Machine final : public dom::Machine {
public:
    Time now() override { return x86::now(); }
    uint64_t interrupts_taken(CpuId) override {
        const PerCpu& pc = this_cpu();
        return pc.timer_irqs + pc.rearm_irqs + pc.reschedule_irqs;
    }
    // SDM Vol. 2B STI: interrupts are recognised after the instruction following STI, so the
    // NOP is the window; pending timer and IPI vectors are taken through the IDT here.
    void interrupt_window(CpuId) override { asm volatile("sti; nop; cli" ::: "memory"); }
    // sti; hlt; cli: the HLT sits in STI's shadow, so no wake-up is lost before the halt.
    void idle(CpuId) override { idle_wait(); }
    // The deadlines armed since the last flush are programmed before the guest runs.
    void before_entry(CpuId) override { timer_flush(); }
    bool serve_control(CpuId cpu) override;
};

struct DomState {
    const Backend* backend = nullptr;
    const char* refusal = nullptr;
    config::Config config;
    char config_summary[160] = {};
    const char* config_source = "none";
    Domain domains[config::kMaxDomains];
    uint32_t domain_count = 0;
    DomVcpu vcpus[kMaxDomVcpus];
    uint32_t vcpu_count = 0;
    uint32_t refused_vcpus = 0; // not admitted by the scheduler (logged)
    Scheduler sched;
    TimerCore timers;
    HvmGuests guests;
    X86Machine machine;
    dom::System system; // the above, as the domain layer sees them (dom_main.cpp)
    dom::DomVcpu* vcpu_ptrs[kMaxDomVcpus] = {};
    CpuId ncpus = 0;
    Time start = 0, end = 0;
    volatile bool go = false;     // APs may enter their loops
    volatile bool ending = false; // EndRun was accepted: every CPU's `stop` is set
    uint64_t pool_locks_at_start = 0, pool_locks_at_end = 0; // Scheduler::pool_lock_acquisitions
    CpuRun* cpu = nullptr; // ncpus of them, from the frame allocator (dom_main.cpp)
};

DomState& dom_state();

// dom_setup.cpp: everything before the CPUs start (false: nothing can run; reason logged).
bool dom_setup(DomState& s);
// dom_guests.cpp: CPU `cpu`'s run loop until the run ends (false: it cannot run guests).
bool dom_cpu_loop(DomState& s, CpuId cpu);
// dom_report.cpp
void report_dom(JsonWriter& out);
bool dom_passed(const DomState& s);

} // namespace rthv::x86::hvm
