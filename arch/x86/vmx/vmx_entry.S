/* VM entry and exit as one routine (SDM Vol. 3C 26 VM entries, 28.5 host state on exit):
 *
 *   uint64_t vmx_enter(GuestRegs* regs, uint64_t launched);
 *
 * saves the host's callee-saved registers and `regs` on the stack, points HOST_RSP at them,
 * loads the guest GPRs from `regs` and executes VMLAUNCH (first entry) or VMRESUME. The VM exit
 * lands at vmx_exit (HOST_RIP) with RSP restored, stores the guest GPRs back into `regs` and
 * returns the exit reason (VMCS field 0x4402) to the C++ caller, so the run loop stays plain
 * C++. If VMLAUNCH/VMRESUME itself fails (VMfail, SDM 31.2) it falls through and returns ~0.
 * GuestRegs offsets: arch/x86/hvm/vcpu.hpp. */
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
    mov 0(%rdi), %rax
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
    jnz 1f
    vmlaunch
    jmp 2f
1:  vmresume
2:  /* VMfail: the host's registers are still on the stack. */
    pop %rdi
    mov $-1, %rax
    jmp 3f

vmx_exit:
    push %rdi
    mov 8(%rsp), %rdi
    mov %rax, 0(%rdi)
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
