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
if(TARGET xl)
    # Issue 11.2: SIGINT, SIGTERM, SIGHUP end a run in order (report, tables) and leave no
    # emulator and no temporary file; a signal while booting and a SIGKILLed runner neither.
    add_test(NAME boot.run.signals
             COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/run_signals_check.py
                     --elf $<TARGET_FILE:rthv.elf> --xl $<TARGET_FILE:xl>
                     --config ${CMAKE_SOURCE_DIR}/boot/scenarios/ctl-busy.cfg)
    set_tests_properties(boot.run.signals PROPERTIES LABELS "boot;svm" TIMEOUT 240)
    # Issues 11.1 and 11.3 under Bochs (VT-x, 2 CPUs): `until xl list` from boot, then
    # sched-rtds queries and a change, all answered right; the report's live and time-weighted
    # parameters after an orderly SIGTERM; the busy domain's name is 63 characters long.
    add_test(NAME boot.xl.poll_while_booting
             COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/xl_session_check.py
                     --elf $<TARGET_FILE:rthv.elf> --xl $<TARGET_FILE:xl>
                     --config ${CMAKE_SOURCE_DIR}/boot/scenarios/ctl-long-name.cfg)
    set_tests_properties(boot.xl.poll_while_booting PROPERTIES LABELS "boot;vmx" TIMEOUT 400)
endif()
