# Pure arch/x86 code (no privileged instructions): built into the hypervisor and, with host
# flags and sanitizers, into tests/unit/arch.
set(RTHV_ARCH_PURE_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/acpi.cpp
    ${CMAKE_CURRENT_LIST_DIR}/cmdline.cpp
    ${CMAKE_CURRENT_LIST_DIR}/frame_alloc.cpp
    ${CMAKE_CURRENT_LIST_DIR}/json_writer.cpp
    ${CMAKE_CURRENT_LIST_DIR}/madt.cpp
    ${CMAKE_CURRENT_LIST_DIR}/multiboot2.cpp)
