# AMD-V guest boot tests (tests/boot/test_svm_check.py), included by tests/boot/CMakeLists.txt:
# the guest scenarios of tests/boot/scenarios/ (one guest per CPU). QEMU TCG with -cpu max
# (SVM + nested paging, no NRIPS: the backend advances RIPs by the lengths it knows);
# deterministic -icount time where the scenario allows it (see ICOUNT in the checker). Bochs'
# ryzen model (SVM + nested paging + NRIPS: RIPs from NEXT_RIP; deterministic time) covers the
# other path; each of those runs ~10 s of wall time for 0.1 s of guest time.
set(SVM_CHECK ${CMAKE_CURRENT_SOURCE_DIR}/test_svm_check.py)
function(rthv_svm_test name scenario smp)
    add_test(NAME boot.svm.${name}
             COMMAND ${Python3_EXECUTABLE} ${SVM_CHECK} --elf $<TARGET_FILE:rthv.elf>
                     --scenario ${scenario} --smp ${smp} ${ARGN})
    set_tests_properties(boot.svm.${name} PROPERTIES LABELS "boot;svm" TIMEOUT 120)
endfunction()
# Wall-clock runs: 0.3 s so that a loaded host still lets every guest show progress.
rthv_svm_test(smoke smoke 2 --nrips no --for 0.3)
rthv_svm_test(smoke.4cpu smoke-4cpu 4 --nrips no --for 0.3) # all four well-behaved workloads
rthv_svm_test(smoke.epyc smoke 2 --cpu EPYC --nrips no --for 0.3)
# Wall-clock guests count their progress against the TSC, so these three must not share the
# 2 host cores with another emulator: beside a Bochs test (ctest -j2) boot.svm.smoke.epyc's
# periodic guest did 71 of ~150 jobs in CI, and passed 5 of 5 alone.
set_tests_properties(boot.svm.smoke boot.svm.smoke.4cpu boot.svm.smoke.epyc PROPERTIES
                     RUN_SERIAL TRUE)
rthv_svm_test(deadlines deadlines 1 --nrips no)
rthv_svm_test(escape escape 2)
rthv_svm_test(triple triple 2)
rthv_svm_test(cli-spin cli-spin 1) # two boots: cli-spin alone, busy alone
rthv_svm_test(refusal refusal 2)
# NRIPS under Bochs. No cli-spin here: Bochs 2.7's VMRUN loads the guest's RFLAGS before it is
# in guest mode, so a guest entered with IF=0 masks physical interrupts (no INTR exit) until it
# sets IF itself; SVM has no preemption timer to fall back on (VT-x's Bochs workaround).
rthv_svm_test(bochs-ryzen.smoke smoke 2 --bochs-cpu ryzen --nrips yes)
rthv_svm_test(bochs-ryzen.deadlines deadlines 1 --bochs-cpu ryzen --nrips yes)
rthv_svm_test(bochs-ryzen.escape escape-periodic 2 --bochs-cpu ryzen --nrips yes)
rthv_svm_test(bochs-ryzen.triple triple-periodic 2 --bochs-cpu ryzen --nrips yes)
