#include "arch/x86/gdt.hpp"

#include "arch/x86/asm_defs.hpp"

namespace rthv::x86 {
namespace {

struct [[gnu::packed]] DescriptorPointer {
    uint16_t limit;
    uint64_t base;
};

// 64-bit code: L=1, P=1, DPL0, type execute/read. Data: P=1, type read/write (SDM 3.4.5).
// Accessed bits preset so loading a selector never writes to the table.
constexpr uint64_t kCode64 = 0x00af9b000000ffff;
constexpr uint64_t kData = 0x00cf93000000ffff;

// A 64-bit TSS descriptor spans two GDT slots (SDM Vol. 3A 7.2.3, figure 7-4). Type 9 =
// available 64-bit TSS.
void tss_descriptor(uint64_t* slot, uint64_t base, uint32_t limit) {
    slot[0] = (limit & 0xffffull) | ((base & 0xffffffull) << 16) | (0x89ull << 40) |
              ((uint64_t{limit} >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
    slot[1] = base >> 32;
}

} // namespace

void load_cpu_tables(CpuTables& t, uint64_t df_stack, uint64_t nmi_stack, uint64_t mc_stack) {
    t.tss = Tss{};
    t.tss.ist[kIstDoubleFault - 1] = df_stack;
    t.tss.ist[kIstNmi - 1] = nmi_stack;
    t.tss.ist[kIstMachineCheck - 1] = mc_stack;
    t.tss.iomap_base = sizeof(Tss); // no I/O bitmap
    t.gdt[0] = 0;
    t.gdt[SEL_KERNEL_CODE / 8] = kCode64;
    t.gdt[SEL_KERNEL_DATA / 8] = kData;
    tss_descriptor(&t.gdt[SEL_TSS / 8], reinterpret_cast<uint64_t>(&t.tss), sizeof(Tss) - 1);

    DescriptorPointer gdtr{sizeof(t.gdt) - 1, reinterpret_cast<uint64_t>(t.gdt)};
    asm volatile("lgdt %0" ::"m"(gdtr));
    // Reload CS with a far return, then the data segments and TR.
    asm volatile("pushq %[code]\n"
                 "leaq 1f(%%rip), %%rax\n"
                 "pushq %%rax\n"
                 "lretq\n"
                 "1:\n"
                 "mov %[data], %%eax\n"
                 "mov %%eax, %%ds\n"
                 "mov %%eax, %%es\n"
                 "mov %%eax, %%ss\n"
                 "xor %%eax, %%eax\n"
                 "mov %%eax, %%fs\n"
                 "ltr %w[tss]\n"
                 :
                 : [code] "i"(SEL_KERNEL_CODE), [data] "i"(SEL_KERNEL_DATA), [tss] "r"(SEL_TSS)
                 : "rax", "memory");
}

} // namespace rthv::x86
