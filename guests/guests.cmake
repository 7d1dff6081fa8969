# The guest image: every workload in one 32-bit flat binary (guests/guest.ld), built with the
# host compiler in -m32 freestanding mode and embedded in rthv.elf by guest_image.S (.incbin).
# Included from arch/x86/CMakeLists.txt via arch/x86/vmx/vmx.cmake.
set(RTHV_GUEST_DIR ${CMAKE_SOURCE_DIR}/guests)
set(RTHV_GUEST_SOURCES
    ${RTHV_GUEST_DIR}/entry.S
    ${RTHV_GUEST_DIR}/runtime.cpp
    ${RTHV_GUEST_DIR}/busy.cpp
    ${RTHV_GUEST_DIR}/periodic.cpp
    ${RTHV_GUEST_DIR}/interactive.cpp
    ${RTHV_GUEST_DIR}/tasks.cpp
    ${RTHV_GUEST_DIR}/adversarial.cpp)
set(RTHV_GUEST_HEADERS ${RTHV_GUEST_DIR}/abi.hpp ${RTHV_GUEST_DIR}/runtime.hpp)
set(RTHV_GUEST_ELF ${CMAKE_BINARY_DIR}/guests/guest.elf)
set(RTHV_GUEST_BIN ${CMAKE_BINARY_DIR}/guests/guest.bin)
# No SSE/x87: guests share the FPU registers, which the hypervisor never switches.
set(RTHV_GUEST_FLAGS
    -m32 -std=c++20 -ffreestanding -fno-exceptions -fno-rtti -fno-pic -fno-pie
    -fno-stack-protector -fno-asynchronous-unwind-tables -fno-threadsafe-statics
    -mgeneral-regs-only -mno-sse -mno-mmx -mno-80387 -O2 -g
    -Wall -Wextra -Wconversion -Wshadow -Wold-style-cast -Werror -I${CMAKE_SOURCE_DIR})
add_custom_command(OUTPUT ${RTHV_GUEST_BIN}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/guests
    COMMAND ${CMAKE_CXX_COMPILER} ${RTHV_GUEST_FLAGS} -nostdlib -static -no-pie
            -Wl,--build-id=none -Wl,-T,${RTHV_GUEST_DIR}/guest.ld -Wl,--no-warn-rwx-segments
            -o ${RTHV_GUEST_ELF} ${RTHV_GUEST_SOURCES} -lgcc
    COMMAND ${CMAKE_OBJCOPY} -O binary ${RTHV_GUEST_ELF} ${RTHV_GUEST_BIN}
    DEPENDS ${RTHV_GUEST_SOURCES} ${RTHV_GUEST_HEADERS} ${RTHV_GUEST_DIR}/guest.ld
    COMMENT "Building the guest image (32-bit)"
    VERBATIM)
add_custom_target(rthv_guest_image DEPENDS ${RTHV_GUEST_BIN})

set_source_files_properties(${RTHV_GUEST_DIR}/guest_image.S PROPERTIES
    OBJECT_DEPENDS ${RTHV_GUEST_BIN}
    COMPILE_OPTIONS "-Wa,-I${CMAKE_BINARY_DIR}/guests")
