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
 * its other GPRs in `regs` (moved by arch/x86/hvm/guest_regs.inc). Returns the VMCB's
 * EXITCODE with IF=0 and GIF still 0: the caller opens the interrupt window (STI; STGI; CLI).
 * A failed VMRUN (invalid guest state) is a #VMEXIT too, with EXITCODE -1 (15.5.1). */
#include "arch/x86/hvm/guest_regs.inc"

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
    GUEST_REGS_LOAD
    vmrun %rax
    /* #VMEXIT: RAX (the VMCB address), RSP and RIP are the host's again, GIF=0. */
    GUEST_REGS_STORE 16 /* regs, under vmcb and host area */
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
