# Timer-interrupt latency to a guest handler (guests/timerlat; tests/boot/timerlat_check.py),
# included by tests/boot/CMakeLists.txt. Bochs only: its time is deterministic, so the figures
# the checker prints are exact and repeatable; the assertions are about correctness (every
# sample, none early, one HLT exit per halted wait) and, when the VCPU is out of budget, the
# reservation's bound. Each run is ~10 s of wall time.
set(TIMERLAT_CHECK ${CMAKE_CURRENT_SOURCE_DIR}/timerlat_check.py)
function(rthv_timerlat_test name config backend smp)
    add_test(NAME boot.timerlat.${backend}.${name}
             COMMAND ${Python3_EXECUTABLE} ${TIMERLAT_CHECK} --elf $<TARGET_FILE:rthv.elf>
                     --config ${SCENARIOS}/${config} --backend ${backend} --smp ${smp} ${ARGN})
    set_tests_properties(boot.timerlat.${backend}.${name} PROPERTIES LABELS "boot;timerlat"
                         TIMEOUT 180)
endfunction()
foreach(backend vmx svm)
    # Alone with extratime: the delivery path itself, running and halted.
    rthv_timerlat_test(alone timerlat-alone.cfg ${backend} 1)
    # 2 ms every 10 ms without extratime beside a busy toy: a deadline that falls after the
    # budget is spent waits for the replenishment, at most P - B = 8 ms (+ 0.2 ms for the
    # delivery path and the replenishment's own handling); the spin phase must reach 4 ms.
    rthv_timerlat_test(starved timerlat-starved.cfg ${backend} 1 --samples 200 --for 1.6
                       --bound-us 8200 --reach-us 4000)
endforeach()
# Noisy neighbours on the other CPU (cli-spin, exit storm, busy, all with extratime).
rthv_timerlat_test(noisy timerlat-noisy.cfg vmx 2)
