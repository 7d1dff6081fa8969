# RTDS-scheduled domains (tests/boot/test_scenario_check.py) under both backends, included by
# tests/boot/CMakeLists.txt. Every scenario runs under Bochs at 100 M instructions per emulated
# second (a believable CPU: a VM exit costs a few µs, docs/platform.md), deterministic time and
# CPUs that run in parallel: VT-x with the default CPU model, AMD-V (NPT, NRIPS) with `ryzen`.
# QEMU TCG (AMD-V without NRIPS) runs the one-CPU scenario under -icount: with more vCPUs it
# runs them in turn on one host thread, so a guest's CPU runs at 1/N speed in bursts and SMP
# timing checks cannot hold there (README "Backends").
set(SCENARIO_CHECK ${CMAKE_CURRENT_SOURCE_DIR}/test_scenario_check.py)
set(SCENARIOS ${CMAKE_SOURCE_DIR}/boot/scenarios)

function(rthv_scenario_test name backend)
    add_test(NAME boot.scenario.${backend}.${name}
             COMMAND ${Python3_EXECUTABLE} ${SCENARIO_CHECK} --elf $<TARGET_FILE:rthv.elf>
                     --backend ${backend} ${ARGN})
    set_tests_properties(boot.scenario.${backend}.${name} PROPERTIES LABELS "boot;${backend}"
                         TIMEOUT 180)
endfunction()

foreach(backend vmx svm)
    # The default scenario (what `./rthv run` boots): 4 pCPUs, 7 VCPUs of 5 domains.
    rthv_scenario_test(default.4cpu ${backend} --config ${CMAKE_SOURCE_DIR}/hv/config/default.cfg
                       --smp 4 --for 0.1 --no-server-misses)
    rthv_scenario_test(two-cpus ${backend} --config ${SCENARIOS}/two-cpus.cfg --smp 2 --for 0.2)
    rthv_scenario_test(exit-storm ${backend} --config ${SCENARIOS}/adversary-exit-storm.cfg
                       --smp 2 --for 0.2 --throttled evil --charged evil)
    rthv_scenario_test(ept-escape ${backend} --config ${SCENARIOS}/adversary-ept-escape.cfg
                       --smp 2 --for 0.2 --crashed evil)
    rthv_scenario_test(triple-fault ${backend} --config ${SCENARIOS}/adversary-triple-fault.cfg
                       --smp 2 --for 0.2 --crashed evil)
endforeach()
# A guest spinning with interrupts disabled. Under SVM this needs the INTR intercept to preempt
# a guest at IF=0, which Bochs 2.7's VMRUN does not honour (it keeps the guest's IF for host
# interrupts), so the SVM run is QEMU TCG; one CPU, where -icount time is faithful.
rthv_scenario_test(cli-spin vmx --config ${SCENARIOS}/adversary-cli-spin.cfg --smp 2 --for 0.2
                   --throttled evil)
rthv_scenario_test(cli-spin.tcg svm --accel tcg --config ${SCENARIOS}/one-cpu-cli-spin.cfg
                   --smp 1 --for 0.3 --throttled evil)
# An exit storm with the shortest period on one CPU (EDF serves it first): the hypervisor's work
# on its exits is charged to it, so the others keep their shares and deadlines.
rthv_scenario_test(exit-storm.tcg svm --accel tcg --config ${SCENARIOS}/one-cpu-exit-storm.cfg
                   --smp 1 --for 0.5 --throttled evil --charged evil --no-server-misses)
# QEMU TCG, AMD-V without NRIPS (RIP advanced by the backend): capped, extratime and periodic
# guests on one CPU.
rthv_scenario_test(one-cpu.tcg svm --accel tcg --config ${SCENARIOS}/one-cpu.cfg --smp 1
                   --for 0.5)
# Neither VT-x nor AMD-V (QEMU TCG with SVM hidden): a clear refusal and a clean failing report.
rthv_scenario_test(refusal none --config ${CMAKE_SOURCE_DIR}/hv/config/default.cfg --smp 2
                   --for 0.1 --refusal)
