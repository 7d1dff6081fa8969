/* 32-bit multiboot2 entry -> 64-bit long mode -> C++ (SDM Vol. 3A 9.8.5 "Initializing IA-32e
 * Mode"). GRUB enters in flat 32-bit protected mode, paging off, EAX = magic, EBX = info.
 * Early page tables map the first 4 GiB three times with 2 MiB pages: identity (to survive the
 * switch), the physmap at PHYS_MAP_BASE and the kernel window at KERNEL_VMA. They are RWX;
 * arch/x86/paging replaces them with W^X tables before anything else runs. */
#include "arch/x86/asm_defs.hpp"

    .section .boot.text, "ax"
    .code32
    .globl boot_entry32
boot_entry32:
    cli
    cld
    mov $early_stack_top, %esp
    mov %eax, %edi /* magic, first argument of boot_main */
    mov %ebx, %esi /* multiboot2 info (physical), second argument */

    /* PD entries: 2048 x 2 MiB = 4 GiB, present|writable|large. */
    mov $early_pd, %ebx
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $21, %eax
    or $0x83, %eax
    mov %eax, (%ebx, %ecx, 8)
    movl $0, 4(%ebx, %ecx, 8)
    inc %ecx
    cmp $2048, %ecx
    jne 1b

    /* PDPT low: 4 entries -> the 4 PD pages. Used for identity and physmap. */
    mov $early_pdpt_low, %ebx
    xor %ecx, %ecx
2:  mov %ecx, %eax
    shl $12, %eax
    add $early_pd + 3, %eax
    mov %eax, (%ebx, %ecx, 8)
    inc %ecx
    cmp $4, %ecx
    jne 2b

    /* PDPT high: entry 510 (VA 0xffffffff80000000) -> first PD (phys 0..1 GiB). */
    movl $early_pd + 3, early_pdpt_high + 510 * 8

    movl $early_pdpt_low + 3, early_pml4
    movl $early_pdpt_low + 3, early_pml4 + PML4_INDEX_PHYS_MAP * 8
    movl $early_pdpt_high + 3, early_pml4 + 511 * 8

    mov %cr4, %eax
    or $(CR4_PAE | CR4_PGE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
    mov %eax, %cr4
    mov $early_pml4, %eax
    mov %eax, %cr3
    mov $MSR_EFER, %ecx
    rdmsr
    or $(EFER_LME | EFER_NXE), %eax
    wrmsr
    mov %cr0, %eax
    and $~(CR0_EM | CR0_TS), %eax /* FXSAVE/FXRSTOR of guest FPU state (hvm/dom_guests.cpp) */
    or $(CR0_PG | CR0_WP | CR0_PE | CR0_MP | CR0_NE), %eax
    mov %eax, %cr0

    lgdt early_gdt_ptr
    ljmp $8, $boot_entry64

    .code64
boot_entry64:
    xor %eax, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    mov %eax, %fs
    mov %eax, %gs
    movabs $bsp_stack_top, %rsp
    movabs $boot_main, %rax
    call *%rax
3:  cli
    hlt
    jmp 3b

    .section .boot.data, "aw"
    .balign 8
early_gdt:
    .quad 0
    .quad 0x00af9a000000ffff /* 64-bit code, DPL 0 */
early_gdt_ptr:
    .word early_gdt_ptr - early_gdt - 1
    .long early_gdt

    .section .boot.bss, "aw", @nobits
    .balign 4096
early_pml4: .skip 4096
early_pdpt_low: .skip 4096
early_pdpt_high: .skip 4096
early_pd: .skip 4 * 4096
    .skip 1024
early_stack_top:

    /* The BSP's stack (in the high half, so it survives the switch to the final tables). */
    .bss
    .balign 16
    .globl bsp_stack_top
bsp_stack:
    .skip 16384
bsp_stack_top:

    .section .note.GNU-stack, "", @progbits
