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
[[noreturn]] inline void halt_forever() {
    for (;;) asm volatile("cli; hlt" ::: "memory");
}

} // namespace rthv::x86
