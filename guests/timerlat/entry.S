/* timerlat's first instructions and its interrupt stubs (32-bit, PVH entry: protected mode,
 * paging off, flat segments, interrupts off, EBX = hvm_start_info; hv/vplat/PVH.md). */
    .code32
    .section .text.entry, "ax"
    .globl _start
_start:
    cld
    /* PVH leaves GDTR undefined: our own flat GDT first, since interrupt delivery and IRET
     * load CS from it (SDM Vol. 3A 6.12.1). */
    lgdt gdt_desc
    ljmp $0x08, $1f
1:  mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov %ax, %fs
    mov %ax, %gs
    mov $stack_top, %esp
    push %ebx                   /* the start info's guest-physical address */
    call timerlat_main
2:  cli
    hlt
    jmp 2b

/* The local APIC timer's handler: the TSC is read before anything else, so the figure is the
 * delivery (exit, hypervisor, injection, entry, IDT dispatch), not this handler's own work. */
    .globl timer_stub
timer_stub:
    push %eax
    push %edx
    rdtsc
    mov %eax, handler_tsc
    mov %edx, handler_tsc + 4
    push %ecx
    mov $0x80b, %ecx            /* x2APIC EOI (SDM Vol. 3A 11.12.1.2): any write, value 0 */
    xor %eax, %eax
    xor %edx, %edx
    wrmsr
    pop %ecx
    incl fired
    pop %edx
    pop %eax
    iret

/* Any other vector (an exception, a spurious interrupt) ends the run: counted, then halted. */
    .globl fault_stub
fault_stub:
    incl faults
    cli
3:  hlt
    jmp 3b

    .section .rodata
    .balign 8
gdt:
    .quad 0
    .quad 0x00cf9b000000ffff    /* 0x08: code, base 0, limit 4 GiB, 32-bit (accessed) */
    .quad 0x00cf93000000ffff    /* 0x10: data, base 0, limit 4 GiB (accessed) */
gdt_desc:
    .word gdt_desc - gdt - 1
    .long gdt

    .section .bss
    .balign 16
    .space 8192
stack_top:

/* XEN_ELFNOTE_PHYS32_ENTRY (Xen's public/elfnote.h, type 18): the 32-bit entry point, which is
 * how the PVH loader finds where to start (hv/vplat/pvh_elf.hpp). */
    .section .note.Xen, "a"
    .balign 4
    .long 4                     /* namesz: "Xen\0" */
    .long 4                     /* descsz */
    .long 18                    /* type */
    .asciz "Xen"
    .long _start

    .section .note.GNU-stack, "", @progbits
