/* The guest image, embedded in the hypervisor (built by guests/guests.cmake). The hypervisor
 * copies it into each domain's RAM at guest-physical kImageGpa (guests/abi.hpp). */
    .section .rodata
    .balign 4096
    .globl guest_image_start, guest_image_end
guest_image_start:
    .incbin "guest.bin"
guest_image_end:

    .section .note.GNU-stack, "", @progbits
