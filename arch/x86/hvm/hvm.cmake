# Guests on hardware virtualisation: the vendor-neutral layer (hvm/), the VT-x backend (vmx/)
# and the embedded guest image (guests/). Included by arch/x86/CMakeLists.txt after rthv.elf.
include(${CMAKE_SOURCE_DIR}/guests/guests.cmake)

set(RTHV_HVM_DIR ${CMAKE_CURRENT_LIST_DIR})
set(RTHV_VMX_DIR ${CMAKE_CURRENT_LIST_DIR}/../vmx)
target_sources(rthv.elf PRIVATE
    ${RTHV_HVM_DIR}/blocking.cpp
    ${RTHV_HVM_DIR}/cpuid_linux.cpp
    ${RTHV_HVM_DIR}/cpuid_policy.cpp
    ${RTHV_HVM_DIR}/dom_ctl.cpp
    ${RTHV_HVM_DIR}/dom_ctl_commands.cpp
    ${RTHV_HVM_DIR}/dom_ctl_poll.cpp
    ${RTHV_HVM_DIR}/dom_guests.cpp
    ${RTHV_HVM_DIR}/dom_machine.cpp
    ${RTHV_HVM_DIR}/dom_main.cpp
    ${RTHV_HVM_DIR}/dom_report.cpp
    ${RTHV_HVM_DIR}/dom_setup.cpp
    ${RTHV_HVM_DIR}/dom_trace.cpp
    ${RTHV_HVM_DIR}/guest_exits.cpp
    ${RTHV_HVM_DIR}/guest_load.cpp
    ${RTHV_HVM_DIR}/guest_memory.cpp
    ${RTHV_HVM_DIR}/hypercall.cpp
    ${RTHV_HVM_DIR}/linux_boot.cpp
    ${RTHV_HVM_DIR}/linux_exits.cpp
    ${RTHV_HVM_DIR}/linux_interrupts.cpp
    ${RTHV_HVM_DIR}/linux_report.cpp
    ${RTHV_HVM_DIR}/nested_paging.cpp
    ${RTHV_HVM_DIR}/port_io.cpp
    ${RTHV_HVM_DIR}/select.cpp
    ${RTHV_HVM_DIR}/vconsole.cpp
    ${RTHV_VMX_DIR}/ept.cpp
    ${RTHV_VMX_DIR}/exit_cpuid.cpp
    ${RTHV_VMX_DIR}/exit_cr.cpp
    ${RTHV_VMX_DIR}/exit_dispatch.cpp
    ${RTHV_VMX_DIR}/exit_ept.cpp
    ${RTHV_VMX_DIR}/exit_fatal.cpp
    ${RTHV_VMX_DIR}/exit_interrupt.cpp
    ${RTHV_VMX_DIR}/exit_io.cpp
    ${RTHV_VMX_DIR}/exit_msr.cpp
    ${RTHV_VMX_DIR}/exit_vmcall.cpp
    ${RTHV_VMX_DIR}/vmcs_setup.cpp
    ${RTHV_VMX_DIR}/vmx_backend.cpp
    ${RTHV_VMX_DIR}/vmx_cpu.cpp
    ${RTHV_VMX_DIR}/vmx_entry.S
    ${RTHV_VMX_DIR}/vmx_state.cpp
    ${RTHV_GUEST_DIR}/guest_image.S)
include(${CMAKE_CURRENT_LIST_DIR}/../svm/svm.cmake) # the AMD-V backend
