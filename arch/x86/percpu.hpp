// Per-CPU data: one block per CPU the boot found (MADT, capped by cpus=), allocated from the
// frame allocator once that count is known (percpu_allocate) and reached through the GS base
// (IA32_GS_BASE): the block's first word points to itself so "mov %gs:0" yields its address.
// A block is this core PerCpu (identity, timer, GDT/TSS, stacks) followed by the per-CPU areas
// the subsystems reserve for their own state types (percpu_area.hpp: VT-x, AMD-V, the domain
// loop's entry claim). Assembly uses only the offsets in asm_defs.hpp, checked here.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "arch/x86/asm_defs.hpp"
#include "arch/x86/frame_alloc.hpp"
#include "arch/x86/gdt.hpp"
#include "hv/lib/types.hpp"

namespace rthv::x86 {

// An upper bound on the CPUs used, not a storage size: dense CPU ids index 64-bit masks
// (PerCpu::rearm_remote) and the small table of block pointers.
inline constexpr CpuId kMaxArchCpus = 64;
inline constexpr size_t kStackSize = 16 * 1024;
inline constexpr size_t kIstStackSize = 8 * 1024;

struct PerCpu {
    PerCpu* self; // PERCPU_SELF
    CpuId cpu_id; // PERCPU_CPU_ID: dense index, 0 = BSP
    uint32_t apic_id;
    volatile bool online;
    bool in_fault; // a fault report is in progress on this CPU (nested faults stop early)

    // Timer state (arch/x86/timer.cpp).
    Time deadline;         // programmed one-shot deadline in ns, kTimeNever when disarmed
    uint64_t deadline_tsc; // its TSC value (TSC-deadline mode; 0 = not known)
    Time pending_deadline; // set by arm()/timer_defer(), taken by the REARM IPI or timer_flush()
    bool rearm_self;       // timer_defer() for this CPU awaits timer_flush()
    uint64_t rearm_remote; // CPUs whose deferred deadline still needs this CPU's REARM IPI
    uint64_t timer_irqs;
    uint64_t reschedule_irqs;
    uint64_t rearm_irqs;
    Time last_tick; // self-test heartbeat: the last deadline it armed

    CpuTables tables; // GDT and TSS
    alignas(16) uint8_t stack[kStackSize];
    alignas(16) uint8_t double_fault_stack[kIstStackSize];
    alignas(16) uint8_t nmi_stack[kIstStackSize];
    alignas(16) uint8_t machine_check_stack[kIstStackSize];

    uint64_t stack_top() const { return reinterpret_cast<uint64_t>(stack + kStackSize); }
};

static_assert(offsetof(PerCpu, self) == PERCPU_SELF);
static_assert(offsetof(PerCpu, cpu_id) == PERCPU_CPU_ID);
static_assert(sizeof(CpuId) == 4);

PerCpu& percpu(CpuId cpu); // the block of CPU `cpu` < percpu_count() (started or not)
CpuId percpu_count();      // blocks allocated: the CPUs the boot expects (1 before allocation)
CpuId cpus_started();      // how many blocks are in use (BSP + APs brought up)

// One block for each of CPUs 0 .. count-1 (count <= kMaxArchCpus), each holding the core and
// every reserved area (constructed); then moves the calling CPU, the BSP, from its static boot
// block onto block 0 (enter_percpu). Called once; nullptr on success, else why not.
const char* percpu_allocate(CpuId count, FrameAllocator& frames);
size_t percpu_block_bytes(); // core + areas, before rounding up to frames

// Points GS at `pc` (IA32_GS_BASE) on the calling CPU and loads the block's GDT and TSS (its
// IST stacks).
void enter_percpu(PerCpu& pc);

inline PerCpu& this_cpu() {
    PerCpu* p;
    asm volatile("mov %%gs:%c1, %0" : "=r"(p) : "i"(PERCPU_SELF));
    return *p;
}

// Safe before GS is set up (the MSR reads 0 then): used by the console and fault paths.
CpuId current_cpu_id();

} // namespace rthv::x86
