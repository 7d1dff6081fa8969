/* Interrupt entry. One 16-byte stub per vector (idt.cpp computes isr_stubs + 16 * vector)
 * pushes a dummy error code where the CPU pushes none (SDM Vol. 3A 6.13, table 6-1), then the
 * vector, and joins the common path, which saves the GPRs in the layout of InterruptFrame
 * (arch/x86/interrupt_frame.hpp) and calls interrupt_dispatch(frame). The hypervisor never runs
 * ring-3 code, so GS already holds the per-CPU base: no SWAPGS. */

    .text
    .altmacro
.macro ISR_STUB vector
    .balign 16
    .if (\vector == 8) || ((\vector >= 10) && (\vector <= 14)) || (\vector == 17) || (\vector == 21) || (\vector == 29) || (\vector == 30)
    .else
    push $0
    .endif
    push $\vector
    jmp isr_common
.endm

    .balign 16
    .globl isr_stubs
isr_stubs:
    .set vec, 0
    .rept 256
    ISR_STUB %vec
    .set vec, vec + 1
    .endr

isr_common:
    push %r15
    push %r14
    push %r13
    push %r12
    push %r11
    push %r10
    push %r9
    push %r8
    push %rbp
    push %rdi
    push %rsi
    push %rdx
    push %rcx
    push %rbx
    push %rax
    mov %rsp, %rdi
    cld
    call interrupt_dispatch
    pop %rax
    pop %rbx
    pop %rcx
    pop %rdx
    pop %rsi
    pop %rdi
    pop %rbp
    pop %r8
    pop %r9
    pop %r10
    pop %r11
    pop %r12
    pop %r13
    pop %r14
    pop %r15
    add $16, %rsp
    iretq

    .section .note.GNU-stack, "", @progbits
