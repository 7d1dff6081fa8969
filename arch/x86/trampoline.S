/* AP start-up code (SDM Vol. 3A 8.4.4.1 "Typical BSP Initialization Sequence"). A SIPI starts
 * the AP in real mode at CS = vector << 8, IP = 0. The BSP copies this blob to TRAMPOLINE_PHYS
 * and fills the parameter slots; the AP climbs real -> protected -> long mode with the final
 * page tables (which identity-map this page read+execute while APs start) and jumps to C++.
 * The blob is position-dependent only on TRAMPOLINE_PHYS, hence "label - trampoline_start". */
#include "arch/x86/asm_defs.hpp"

#define T(label) (TRAMPOLINE_PHYS + (label - trampoline_start))

    .section .rodata, "a"
    .globl trampoline_start, trampoline_end
    .code16
trampoline_start:
    cli
    cld
    mov %cs, %ax
    mov %ax, %ds
    lgdtl (tramp_gdt_ptr - trampoline_start)
    mov %cr0, %eax
    or $CR0_PE, %eax
    mov %eax, %cr0
    ljmpl $0x18, $T(tramp32)

    .code32
tramp32:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov %cr4, %eax
    or $(CR4_PAE | CR4_PGE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
    mov %eax, %cr4
    mov TRAMPOLINE_PHYS + TRAMPOLINE_PARAM_CR3, %eax
    mov %eax, %cr3
    mov $MSR_EFER, %ecx
    rdmsr
    or $(EFER_LME | EFER_NXE), %eax
    wrmsr
    /* An AP leaves INIT with caching disabled (CR0.CD/NW set, SDM Vol. 3A 9.1.1): clear them. */
    mov %cr0, %eax
    and $~(CR0_CD | CR0_NW | CR0_EM | CR0_TS), %eax
    or $(CR0_PG | CR0_WP | CR0_MP | CR0_NE), %eax
    mov %eax, %cr0
    ljmp $0x08, $T(tramp64)

    .code64
tramp64:
    mov TRAMPOLINE_PHYS + TRAMPOLINE_PARAM_STACK, %rsp
    mov TRAMPOLINE_PHYS + TRAMPOLINE_PARAM_PERCPU, %rdi
    mov TRAMPOLINE_PHYS + TRAMPOLINE_PARAM_ENTRY, %rax
    xor %ebp, %ebp
    jmp *%rax

    .balign 8
tramp_gdt:
    .quad 0
    /* Accessed bits preset: the page is mapped read-only once paging is on, and the CPU
     * would otherwise write them on the segment loads (SDM Vol. 3A 3.4.5.1). */
    .quad 0x00af9b000000ffff /* 0x08: 64-bit code */
    .quad 0x00cf93000000ffff /* 0x10: flat data */
    .quad 0x00cf9b000000ffff /* 0x18: 32-bit code */
tramp_gdt_ptr:
    .word tramp_gdt_ptr - tramp_gdt - 1
    .long T(tramp_gdt)
trampoline_end:

    .section .note.GNU-stack, "", @progbits
