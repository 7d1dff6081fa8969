# Linux domains (kernel = "linux": Debian's cloud kernel through PVH entry, busybox initramfs),
# judged by tests/boot/linux_check.py from the report: the guest's own readiness and CPU count
# through the report device, containment, budgets. Included by tests/boot/CMakeLists.txt.
# QEMU TCG runs AMD-V (instruction-counted time); Bochs runs VT-x at 100 M instructions per
# emulated second, where a Linux boot takes ~1.5 min of wall time per CPU-bound second.
if(NOT TARGET linux_guest_images)
    return()
endif()
set(LINUX_CHECK ${CMAKE_CURRENT_SOURCE_DIR}/linux_check.py)

function(rthv_linux_test name timeout)
    add_test(NAME boot.linux.${name}
             COMMAND ${Python3_EXECUTABLE} ${LINUX_CHECK} --elf $<TARGET_FILE:rthv.elf> ${ARGN})
    set_tests_properties(boot.linux.${name} PROPERTIES LABELS "boot;linux" TIMEOUT ${timeout})
endfunction()

# Boot and CPU count: the guest reaches its init and counts its CPUs (INIT-SIPI for the second).
rthv_linux_test(svm.one 240 --config ${SCENARIOS}/linux-one.cfg --accel tcg --backend svm
                --smp 1 --for 16 --expect linux=1)
rthv_linux_test(svm.two 240 --config ${SCENARIOS}/linux-two.cfg --accel tcg --backend svm
                --smp 2 --for 16 --expect linux2=2)
# Under Bochs (VT-x) the 2-VCPU domain: its second VCPU starts by INIT-SIPI in real mode. The
# 1-VCPU count under VT-x is vmx.cyclictest's (--expect rt=1).
rthv_linux_test(vmx.two 600 --config ${SCENARIOS}/linux-two.cfg --accel bochs --backend vmx
                --smp 2 --for 15 --expect linux2=2)
# Three domains of 128 MiB at once, 4 VCPUs on 2 CPUs (one domain with 2): all reach their
# init with their CPUs online. QEMU's multi-threaded TCG on the wall clock: -icount would run
# the 2 vCPUs in turn on one host thread, and the three boots then need minutes.
rthv_linux_test(svm.three 300 --config ${SCENARIOS}/linux-three.cfg --accel tcg --backend svm
                --smp 2 --wall-clock --for 25 --expect linux-a=1 --expect linux-b=1
                --expect linux-c=2)
# Budget: Linux spinning after boot, 30 % without extratime, beside toy domains on its CPU that
# keep their shares and deadlines over the whole run, Linux's boot included (its polled boot
# console exits thousands of times: their handling is charged to Linux, hv/dom/cpu_ledger.hpp).
rthv_linux_test(svm.budget 300 --config ${SCENARIOS}/linux-budget.cfg --accel tcg
                --backend svm --smp 1 --for 50 --expect linux=1 --budget linux --toys)
# Containment: the kernel crashes itself and triple-faults; only its domain is crashed.
rthv_linux_test(svm.crash 300 --config ${SCENARIOS}/linux-crash.cfg --accel tcg --backend svm
                --smp 1 --for 24 --crashed linux)
# Real time inside the guest (issue 14): cyclictest in an RT Linux domain, its results in the
# report. (b) on one pCPU: the RT domain beside a spinning Linux, cli-spin, an exit storm and a
# busy toy, all with extratime; cyclictest starts once the noisy kernel spins (ready at ~23 s
# and ~34 s emulated; cyclictest from ~38 s to ~40 s). QEMU TCG with
# -icount is exact on one CPU, so the reservation's bound (P - B = 5000 us, + 300 us for the
# hypervisor) and 0 server misses are asserted.
rthv_linux_test(svm.noisy 300 --config ${SCENARIOS}/rt-linux-noisy-1cpu.cfg --accel tcg
                --backend svm --smp 1 --for 50 --expect rt=1 --expect noisy=1
                --cyclictest rt=2000 --max-latency-us 5300 --no-server-misses rt
                --spinning-before noisy=rt)
# Under Bochs (VT-x, deterministic time, 100 M instructions per emulated second) the bound is
# asserted: a ready VCPU of budget B and period P waits at most about P - B = 5000 us.
rthv_linux_test(vmx.cyclictest 600 --config ${SCENARIOS}/rt-linux-alone.cfg --accel bochs
                --backend vmx --smp 1 --for 40 --expect rt=1 --cyclictest rt=2000
                --max-latency-us 5000 --no-server-misses rt)
# A Linux domain that cannot boot (its image is not a kernel) is left out; the toy beside runs.
rthv_linux_test(svm.bad-image 120 --config ${SCENARIOS}/linux-bad-image.cfg --accel tcg
                --backend svm --smp 1 --for 0.5 --left-out notlinux --toys)
# xl console: the boot log streams, and a command typed into the guest's shell runs there.
if(TARGET xl)
    add_test(NAME boot.linux.console
             COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/linux_console_check.py
                     --elf $<TARGET_FILE:rthv.elf> --xl $<TARGET_FILE:xl>
                     --config ${SCENARIOS}/linux-one.cfg)
    set_tests_properties(boot.linux.console PROPERTIES LABELS "boot;linux" TIMEOUT 300)
endif()
