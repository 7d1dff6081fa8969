/* VM entry and exit as one routine (SDM Vol. 3C 26 VM entries, 28.5 host state on exit):
 *
 *   uint64_t vmx_enter(GuestRegs* regs, uint64_t launched);
 *
 * saves the host's callee-saved registers and `regs` on the stack, points HOST_RSP at them,
 * loads the guest GPRs from `regs` and executes VMLAUNCH (first entry) or VMRESUME. The VM exit
 * lands at vmx_exit (HOST_RIP) with RSP restored, stores the guest GPRs back into `regs` and
 * returns the exit reason (VMCS field 0x4402) to the C++ caller, so the run loop stays plain
 * C++. If VMLAUNCH/VMRESUME itself fails (VMfail, SDM 31.2) it falls through and returns ~0.
 * The GPR moves: arch/x86/hvm/guest_regs.inc. */
#include "arch/x86/hvm/guest_regs.inc"

#define HOST_RSP 0x6c14
#define EXIT_REASON 0x4402

    .text
    .globl vmx_enter, vmx_exit
vmx_enter:
    push %rbp
    push %rbx
    push %r12
    push %r13
    push %r14
    push %r15
    push %rdi
    mov $HOST_RSP, %eax
    vmwrite %rsp, %rax
    /* MOV leaves the flags alone: the test decides VMLAUNCH vs VMRESUME after the loads. */
    test %rsi, %rsi
    mov GUEST_RAX(%rdi), %rax
    GUEST_REGS_LOAD
    jnz 1f
    vmlaunch
    jmp 2f
1:  vmresume
2:  /* VMfail: the host's registers are still on the stack. */
    pop %rdi
    mov $-1, %rax
    jmp 3f

vmx_exit:
    GUEST_REGS_STORE 0 /* regs, pushed by vmx_enter */
    mov %rax, GUEST_RAX(%rdi)
    add $8, %rsp
    mov $EXIT_REASON, %eax
    vmread %rax, %rax
3:  pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbx
    pop %rbp
    ret

    .section .note.GNU-stack, "", @progbits
