# AMD-V guest boot tests (tests/boot/test_svm_check.py), included by tests/boot/CMakeLists.txt.
# QEMU TCG with -cpu max (SVM + nested paging, no NRIPS); deterministic -icount time where the
# scenario allows it (see ICOUNT in the checker).
set(SVM_CHECK ${CMAKE_CURRENT_SOURCE_DIR}/test_svm_check.py)
function(rthv_svm_test name scenario smp)
    add_test(NAME boot.svm.${name}
             COMMAND ${Python3_EXECUTABLE} ${SVM_CHECK} --elf $<TARGET_FILE:rthv.elf>
                     --scenario ${scenario} --smp ${smp} ${ARGN})
    set_tests_properties(boot.svm.${name} PROPERTIES LABELS "boot;svm" TIMEOUT 120)
endfunction()
# Wall-clock runs: 0.3 s so that a loaded host still lets every guest show progress.
rthv_svm_test(smoke smoke 2 --for 0.3)
rthv_svm_test(smoke.4cpu smoke 4 --for 0.3) # all four well-behaved workloads, a VMCB per CPU
rthv_svm_test(smoke.epyc smoke 2 --cpu EPYC --for 0.3)
rthv_svm_test(deadlines deadlines 1)
rthv_svm_test(escape escape 2)
rthv_svm_test(triple triple 2)
rthv_svm_test(cli-spin cli-spin 2)
rthv_svm_test(refusal refusal 2)
