// Control registers and the few privileged instructions around them (SDM Vol. 3A 2.5).
#pragma once

#include <stdint.h>

namespace rthv::x86 {

inline uint64_t read_cr2() {
    uint64_t v;
    asm volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}
inline uint64_t read_cr3() {
    uint64_t v;
    asm volatile("mov %%cr3, %0" : "=r"(v));
    return v;
}
inline void write_cr3(uint64_t v) { asm volatile("mov %0, %%cr3" ::"r"(v) : "memory"); }
inline void invlpg(uint64_t va) { asm volatile("invlpg (%0)" ::"r"(va) : "memory"); }

inline uint64_t rdtsc() {
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t{hi} << 32) | lo;
}

inline void cli() { asm volatile("cli" ::: "memory"); }
// The only place hypervisor code has interrupts enabled: STI's interrupt shadow covers the HLT
// (SDM Vol. 2B, STI), so no wake-up is lost between the caller's last check and halting, and the
// CLI after it closes the window again once the interrupt handler has returned. QEMU TCG takes
// interrupts only at such a HLT or a branch with IF=1, never in an inline "sti; cli".
inline void idle_wait() { asm volatile("sti; hlt; cli" ::: "memory"); }
[[noreturn]] inline void halt_forever() {
    for (;;) asm volatile("cli; hlt" ::: "memory");
}

} // namespace rthv::x86
