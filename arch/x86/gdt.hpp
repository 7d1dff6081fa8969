// Per-CPU GDT and TSS (SDM Vol. 3A 3.4.5 segment descriptors, 7.7 64-bit TSS). Each CPU has
// its own TSS (a TSS descriptor is marked busy when loaded, so CPUs cannot share one) holding
// IST stacks for #DF, NMI and #MC, so a kernel stack overflow still reaches the fault report.
// VT-x later needs the same non-zero TR as the VMCS host state.
#pragma once

#include <stdint.h>

namespace rthv::x86 {

struct [[gnu::packed]] Tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
};
static_assert(sizeof(Tss) == 104);

enum IstIndex : uint8_t { kIstNone = 0, kIstDoubleFault = 1, kIstNmi = 2, kIstMachineCheck = 3 };

struct alignas(16) CpuTables {
    uint64_t gdt[5]; // null, code64, data, TSS (two slots)
    Tss tss;
};

// Fills and loads the GDT/TSS of the calling CPU, reloads segment registers and TR.
// IST stacks are given as their top addresses.
void load_cpu_tables(CpuTables& t, uint64_t df_stack, uint64_t nmi_stack, uint64_t mc_stack);

} // namespace rthv::x86
