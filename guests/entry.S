/* First guest instruction. The hypervisor starts every guest in 32-bit protected mode (flat
 * 4 GiB segments, paging off) with ESP at the top of its RAM, so only the C++ entry is left to
 * call. A return from guest_main halts for good (the hypervisor counts that as blocked). */
    .code32
    .section .text.entry, "ax"
    .globl _start
_start:
    cld
    call guest_main
1:  hlt
    jmp 1b

    .section .note.GNU-stack, "", @progbits
