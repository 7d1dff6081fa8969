#include "arch/x86/percpu.hpp"

#include <new>

#include "arch/x86/msr.hpp"
#include "arch/x86/paging.hpp"
#include "arch/x86/percpu_area.hpp"

namespace rthv::x86 {
namespace {

// The BSP's block from boot_main's first instruction until percpu_allocate: faults must be
// reported (GS, IST stacks in the TSS) before the frame allocator exists and long before the
// MADT says how many CPUs there are. It has no areas after it, and needs none: the subsystems
// that own areas start after the switch.
PerCpu boot_block;

// Dense CPU id -> block. kMaxArchCpus pointers (512 bytes), not the blocks themselves.
PerCpu* blocks[kMaxArchCpus] = {&boot_block};
CpuId count = 1;

// The areas the subsystems reserve by static initialisation, laid out after the core.
struct Area {
    size_t offset; // from the block's start
    PerCpuConstruct construct;
};
constexpr size_t kMaxAreas = 16;
Area areas[kMaxAreas];
size_t area_count = 0;
bool too_many_areas = false;
size_t block_bytes = sizeof(PerCpu);
bool allocated = false;

} // namespace

size_t percpu_reserve(size_t size, size_t align, PerCpuConstruct construct) {
    // A reservation after the blocks exist would point past their end: stop at once (#UD, the
    // fault report names the caller). Static constructors run before that, with no IDT yet,
    // so running out of slots is only recorded and refused by percpu_allocate.
    if (allocated) __builtin_trap();
    const size_t offset = (block_bytes + align - 1) & ~(align - 1);
    if (area_count == kMaxAreas) {
        too_many_areas = true;
        return offset;
    }
    areas[area_count++] = {offset, construct};
    block_bytes = offset + size;
    return offset;
}

const char* percpu_allocate(CpuId cpus, FrameAllocator& frames) {
    if (too_many_areas) return "more per-CPU areas reserved than kMaxAreas";
    if (cpus == 0 || cpus > kMaxArchCpus) return "CPU count out of range";
    const size_t nframes = (block_bytes + kFrameSize - 1) / kFrameSize;
    for (CpuId c = 0; c < cpus; ++c) {
        // Contiguous, so the stacks and areas need no mapping of their own: the physmap covers
        // the frames (paging.hpp), with NX, which stacks and data want anyway.
        const uint64_t pa = frames.alloc_contiguous(nframes);
        if (pa == 0) return "out of memory";
        auto* pc = new (phys_to_virt<void>(pa)) PerCpu{};
        pc->self = pc;
        pc->cpu_id = c;
        for (size_t a = 0; a < area_count; ++a)
            areas[a].construct(reinterpret_cast<uint8_t*>(pc) + areas[a].offset);
        blocks[c] = pc;
    }
    count = cpus;
    allocated = true;
    // The boot block's GDT is left behind with its TSS descriptor marked busy; block 0's is
    // written fresh (available), so LTR accepts it (LTR faults on a busy TSS: SDM Vol. 2A).
    enter_percpu(*blocks[0]);
    return nullptr;
}

PerCpu& percpu(CpuId cpu) { return *blocks[cpu]; }

CpuId percpu_count() { return count; }

size_t percpu_block_bytes() { return block_bytes; }

CpuId cpus_started() {
    CpuId n = 0;
    while (n < count && __atomic_load_n(&blocks[n]->online, __ATOMIC_ACQUIRE)) ++n;
    return n;
}

void enter_percpu(PerCpu& pc) {
    pc.self = &pc;
    wrmsr(Msr::kGsBase, reinterpret_cast<uint64_t>(&pc));
    load_cpu_tables(pc.tables, reinterpret_cast<uint64_t>(pc.double_fault_stack + kIstStackSize),
                    reinterpret_cast<uint64_t>(pc.nmi_stack + kIstStackSize),
                    reinterpret_cast<uint64_t>(pc.machine_check_stack + kIstStackSize));
}

CpuId current_cpu_id() { return rdmsr(Msr::kGsBase) == 0 ? 0 : this_cpu().cpu_id; }

} // namespace rthv::x86
