// The stack layout built by isr.S: GPRs pushed by the common stub, then the vector and error
// code pushed by the per-vector stub, then what the CPU pushes (SDM Vol. 3A 6.14.2, figure 6-9).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace rthv::x86 {

struct InterruptFrame {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t vector;
    uint64_t error_code; // 0 for vectors without one
    uint64_t rip, cs, rflags, rsp, ss;
};
static_assert(offsetof(InterruptFrame, vector) == 15 * 8, "isr.S pushes 15 GPRs");
static_assert(sizeof(InterruptFrame) % 16 == 0, "keeps the C call 16-byte aligned");

} // namespace rthv::x86
