/* Multiboot2 header (Multiboot2 spec 3.1): must be 8-byte aligned within the first 32 KiB of
 * the image. The entry-address tag gives GRUB the physical 32-bit entry explicitly, since the
 * ELF entry of a higher-half image would be ambiguous. */
#define MB2_MAGIC 0xe85250d6
#define MB2_ARCH_I386 0
#define MB2_TAG_END 0
#define MB2_TAG_ENTRY_ADDRESS 3

    .section .multiboot2, "a"
    .balign 8
mb2_header_start:
    .long MB2_MAGIC
    .long MB2_ARCH_I386
    .long mb2_header_end - mb2_header_start
    .long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header_start))

    .balign 8
    .word MB2_TAG_ENTRY_ADDRESS
    .word 0
    .long 12
    .long boot_entry32

    .balign 8
    .word MB2_TAG_END
    .word 0
    .long 8
mb2_header_end:

    .section .note.GNU-stack, "", @progbits
