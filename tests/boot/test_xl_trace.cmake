# xl trace end to end and ring overflow at boot level (issue 6), included by
# tests/boot/CMakeLists.txt. QEMU TCG with AMD-V and -icount 3, like test_ctl.cmake: the control
# channel's UART is instant there (under Bochs each byte costs ~87 us of emulated time).
if(TARGET xl AND TARGET rthv-trace)
    set(xl_trace_check ${CMAKE_CURRENT_SOURCE_DIR}/xl_trace_check.py)
    set(xl_trace_args --elf $<TARGET_FILE:rthv.elf> --xl $<TARGET_FILE:xl>
        --rthv-trace $<TARGET_FILE:rthv-trace> --build-dir ${CMAKE_BINARY_DIR}
        --config ${CMAKE_SOURCE_DIR}/boot/scenarios/two-cpus.cfg --smp 2)
    # Tracing off at boot: xl trace starts and stops it (twice); refused requests change nothing.
    add_test(NAME boot.xl_trace.start_stop
             COMMAND ${Python3_EXECUTABLE} ${xl_trace_check} ${xl_trace_args} --mode start-stop)
    # trace=1: xl trace during the run + the end-of-run drain == the report's dispatches.
    add_test(NAME boot.xl_trace.union
             COMMAND ${Python3_EXECUTABLE} ${xl_trace_check} ${xl_trace_args} --mode union)
    set_tests_properties(boot.xl_trace.start_stop boot.xl_trace.union
                         PROPERTIES LABELS "boot;svm" TIMEOUT 150)
endif()
if(TARGET rthv-trace)
    # trace_ring=64: drops counted alike by report, footer, runner, Perfetto and rthv-trace.
    add_test(NAME boot.trace.overflow
             COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/trace_overflow_check.py
                     --elf $<TARGET_FILE:rthv.elf> --rthv-trace $<TARGET_FILE:rthv-trace>
                     --build-dir ${CMAKE_BINARY_DIR}
                     --config ${CMAKE_SOURCE_DIR}/boot/scenarios/two-cpus.cfg --smp 2)
    set_tests_properties(boot.trace.overflow PROPERTIES LABELS "boot;svm" TIMEOUT 150)
endif()
