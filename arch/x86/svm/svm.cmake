# The AMD-V backend (arch/x86/svm), beside the VT-x one; included by arch/x86/hvm/hvm.cmake.
set(RTHV_SVM_DIR ${CMAKE_CURRENT_LIST_DIR})
target_sources(rthv.elf PRIVATE
    ${RTHV_SVM_DIR}/asid.cpp
    ${RTHV_SVM_DIR}/exit_cpuid.cpp
    ${RTHV_SVM_DIR}/exit_dispatch.cpp
    ${RTHV_SVM_DIR}/exit_double_fault.cpp
    ${RTHV_SVM_DIR}/exit_fatal.cpp
    ${RTHV_SVM_DIR}/exit_hypercall.cpp
    ${RTHV_SVM_DIR}/exit_io.cpp
    ${RTHV_SVM_DIR}/exit_msr.cpp
    ${RTHV_SVM_DIR}/exit_npf.cpp
    ${RTHV_SVM_DIR}/npt.cpp
    ${RTHV_SVM_DIR}/svm_backend.cpp
    ${RTHV_SVM_DIR}/svm_cpu.cpp
    ${RTHV_SVM_DIR}/svm_entry.S
    ${RTHV_SVM_DIR}/svm_report.cpp
    ${RTHV_SVM_DIR}/svm_state.cpp
    ${RTHV_SVM_DIR}/vmcb_setup.cpp)
