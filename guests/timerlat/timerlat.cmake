# timerlat (guests/timerlat/timerlat.cpp): a PVH guest measuring timer-interrupt latency to its
# own handler on the virtual PC platform. Built 32-bit like the toy guests, then wrapped as
# ELF64, the class the PVH loader reads (hv/vplat/pvh_elf.hpp). Target: timerlat_guest (in
# ALL); the runner finds it as module "timerlat" (tools/run/guest_modules.py).
set(RTHV_TIMERLAT_DIR ${CMAKE_SOURCE_DIR}/guests/timerlat)
set(RTHV_TIMERLAT_OUT ${CMAKE_BINARY_DIR}/guests/timerlat)
set(RTHV_TIMERLAT_SOURCES ${RTHV_TIMERLAT_DIR}/entry.S ${RTHV_TIMERLAT_DIR}/timerlat.cpp)
set(RTHV_TIMERLAT_FLAGS
    -m32 -std=c++20 -ffreestanding -fno-exceptions -fno-rtti -fno-pic -fno-pie
    -fno-stack-protector -fno-asynchronous-unwind-tables -fno-threadsafe-statics
    -mgeneral-regs-only -mno-sse -mno-mmx -mno-80387 -O2 -g
    -Wall -Wextra -Wconversion -Wshadow -Wold-style-cast -Werror)
add_custom_command(OUTPUT ${RTHV_TIMERLAT_OUT}/timerlat.elf
    COMMAND ${CMAKE_COMMAND} -E make_directory ${RTHV_TIMERLAT_OUT}
    COMMAND ${CMAKE_CXX_COMPILER} ${RTHV_TIMERLAT_FLAGS} -nostdlib -static -no-pie
            -Wl,--build-id=none -Wl,-T,${RTHV_TIMERLAT_DIR}/timerlat.ld
            -Wl,--no-warn-rwx-segments -o ${RTHV_TIMERLAT_OUT}/timerlat32.elf
            ${RTHV_TIMERLAT_SOURCES} -lgcc
    COMMAND ${CMAKE_OBJCOPY} -I elf32-i386 -O elf64-x86-64 ${RTHV_TIMERLAT_OUT}/timerlat32.elf
            ${RTHV_TIMERLAT_OUT}/timerlat.elf
    DEPENDS ${RTHV_TIMERLAT_SOURCES} ${RTHV_TIMERLAT_DIR}/timerlat.ld
    COMMENT "Building the timerlat PVH guest"
    VERBATIM)
add_custom_target(timerlat_guest ALL DEPENDS ${RTHV_TIMERLAT_OUT}/timerlat.elf)
