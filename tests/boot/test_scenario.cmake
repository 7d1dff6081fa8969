# RTDS-scheduled VT-x domains (tests/boot/test_scenario_check.py), included by
# tests/boot/CMakeLists.txt. Bochs with the VMX CPU model at 100 M instructions per emulated
# second (a believable CPU: a VM exit costs a few µs, docs/platform.md), deterministic time.
set(SCENARIO_CHECK ${CMAKE_CURRENT_SOURCE_DIR}/test_scenario_check.py)
set(SCENARIOS ${CMAKE_SOURCE_DIR}/boot/scenarios)

function(rthv_scenario_test name)
    add_test(NAME boot.scenario.${name}
             COMMAND ${Python3_EXECUTABLE} ${SCENARIO_CHECK} --elf $<TARGET_FILE:rthv.elf> ${ARGN})
    set_tests_properties(boot.scenario.${name} PROPERTIES LABELS "boot;vmx" TIMEOUT 180)
endfunction()

# The default scenario (what `./rthv run` boots): 4 pCPUs, 7 VCPUs of 5 domains.
rthv_scenario_test(default.4cpu --config ${CMAKE_SOURCE_DIR}/hv/config/default.cfg --smp 4
                   --for 0.1)
rthv_scenario_test(two-cpus --config ${SCENARIOS}/two-cpus.cfg --smp 2 --for 0.2)
rthv_scenario_test(cli-spin --config ${SCENARIOS}/adversary-cli-spin.cfg --smp 2 --for 0.2
                   --throttled evil)
rthv_scenario_test(exit-storm --config ${SCENARIOS}/adversary-exit-storm.cfg --smp 2 --for 0.2
                   --throttled evil)
rthv_scenario_test(ept-escape --config ${SCENARIOS}/adversary-ept-escape.cfg --smp 2 --for 0.2
                   --crashed evil)
rthv_scenario_test(triple-fault --config ${SCENARIOS}/adversary-triple-fault.cfg --smp 2
                   --for 0.2 --crashed evil)
# No VT-x (QEMU TCG): the scenario is refused with a clear message and a clean report.
rthv_scenario_test(refusal --config ${CMAKE_SOURCE_DIR}/hv/config/default.cfg --smp 2
                   --for 0.1 --refusal)
