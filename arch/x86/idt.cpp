#include "arch/x86/idt.hpp"

#include <stdint.h>

#include "arch/x86/asm_defs.hpp"
#include "arch/x86/gdt.hpp"

extern "C" char isr_stubs[]; // 256 stubs of 16 bytes each

namespace rthv::x86 {
namespace {

struct Gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
};
static_assert(sizeof(Gate) == 16);

struct [[gnu::packed]] IdtPointer {
    uint16_t limit;
    uint64_t base;
};

constexpr uint8_t kInterruptGate = 0x8e; // present, DPL 0, 64-bit interrupt gate (IF cleared)
constexpr uint64_t kStubSize = 16;

alignas(16) Gate idt[256];

uint8_t ist_for(unsigned vector) {
    switch (vector) {
    case 2:
        return kIstNmi;
    case 8:
        return kIstDoubleFault;
    case 18:
        return kIstMachineCheck;
    default:
        return kIstNone;
    }
}

} // namespace

void idt_init() {
    for (unsigned v = 0; v < 256; ++v) {
        uint64_t target = reinterpret_cast<uint64_t>(isr_stubs) + v * kStubSize;
        idt[v] = Gate{static_cast<uint16_t>(target),
                      SEL_KERNEL_CODE,
                      ist_for(v),
                      kInterruptGate,
                      static_cast<uint16_t>(target >> 16),
                      static_cast<uint32_t>(target >> 32),
                      0};
    }
}

void idt_load() {
    IdtPointer p{sizeof(idt) - 1, reinterpret_cast<uint64_t>(idt)};
    asm volatile("lidt %0" ::"m"(p));
}

} // namespace rthv::x86
