/* VMRUN and #VMEXIT as one routine (AMD APM Vol. 2, 15.5 VMRUN, 15.6 #VMEXIT, 15.17 GIF):
 *
 *   uint64_t svm_enter(GuestRegs* regs, uint64_t vmcb_pa, uint64_t host_area_pa,
 *                      const Vmcb* vmcb);
 *
 * Called with RFLAGS.IF=0. CLGI, then STI: with GIF=0 nothing is delivered, but VMRUN records
 * the host's IF=1 and, with V_INTR_MASKING (15.21.1), that host IF alone decides whether
 * physical interrupts are taken while the guest runs, so they exit (INTR intercept, 15.13.1)
 * even when the guest has IF=0. VMRUN switches only part of the state (15.5.1): FS, GS, TR,
 * LDTR and the syscall MSRs are swapped by VMSAVE/VMLOAD (15.5.2) around it, the host's into
 * the per-CPU area, the guest's from and back to its VMCB. The guest's RAX lives in the VMCB,
 * its other GPRs in `regs` (GuestRegs offsets: arch/x86/hvm/vcpu.hpp). Returns the VMCB's
 * EXITCODE with IF=0 and GIF still 0: the caller opens the interrupt window (STI; STGI; CLI).
 * A failed VMRUN (invalid guest state) is a #VMEXIT too, with EXITCODE -1 (15.5.1). */
#define VMCB_EXITCODE 0x70

    .text
    .globl svm_enter
svm_enter:
    push %rbp
    push %rbx
    push %r12
    push %r13
    push %r14
    push %r15
    push %rdi /* regs */
    push %rdx /* host area */
    push %rcx /* vmcb, virtual */
    clgi
    sti
    mov %rdx, %rax
    vmsave %rax /* host FS/GS/TR/LDTR/KernelGSbase/STAR... */
    mov %rsi, %rax
    vmload %rax /* the guest's */
    mov 8(%rdi), %rbx
    mov 16(%rdi), %rcx
    mov 24(%rdi), %rdx
    mov 32(%rdi), %rsi
    mov 48(%rdi), %rbp
    mov 56(%rdi), %r8
    mov 64(%rdi), %r9
    mov 72(%rdi), %r10
    mov 80(%rdi), %r11
    mov 88(%rdi), %r12
    mov 96(%rdi), %r13
    mov 104(%rdi), %r14
    mov 112(%rdi), %r15
    mov 40(%rdi), %rdi
    vmrun %rax
    /* #VMEXIT: RAX (the VMCB address), RSP and RIP are the host's again, GIF=0. */
    push %rdi
    mov 24(%rsp), %rdi /* regs, under guest RDI, vmcb and host area */
    mov %rbx, 8(%rdi)
    mov %rcx, 16(%rdi)
    mov %rdx, 24(%rdi)
    mov %rsi, 32(%rdi)
    mov %rbp, 48(%rdi)
    mov %r8, 56(%rdi)
    mov %r9, 64(%rdi)
    mov %r10, 72(%rdi)
    mov %r11, 80(%rdi)
    mov %r12, 88(%rdi)
    mov %r13, 96(%rdi)
    mov %r14, 104(%rdi)
    mov %r15, 112(%rdi)
    popq 40(%rdi)
    vmsave %rax /* the guest's hidden state back into its VMCB */
    pop %rcx
    pop %rax
    vmload %rax /* the host's GS base (per-CPU block), TR, ... before any C++ runs */
    cli
    add $8, %rsp
    mov VMCB_EXITCODE(%rcx), %rax
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbx
    pop %rbp
    ret

    .section .note.GNU-stack, "", @progbits
