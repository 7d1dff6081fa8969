# Control channel end to end (tests/boot/test_ctl_check.py), included by
# tests/boot/CMakeLists.txt: `./rthv run` with its control socket, then xl against the running
# hypervisor. QEMU TCG with AMD-V on one CPU and -icount 3 (deterministic emulated time that
# skips idle periods, so a 2 s emulated measurement window costs about a second of wall time).
if(TARGET xl)
    add_test(NAME boot.ctl.xl
             COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/test_ctl_check.py
                     --elf $<TARGET_FILE:rthv.elf> --xl $<TARGET_FILE:xl>
                     --config ${CMAKE_SOURCE_DIR}/boot/scenarios/ctl-busy.cfg)
    set_tests_properties(boot.ctl.xl PROPERTIES LABELS "boot;svm" TIMEOUT 120)
endif()
