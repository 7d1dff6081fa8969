# VT-x guest boot tests (tests/boot/test_vmx_check.py), included by tests/boot/CMakeLists.txt:
# the guest scenarios of tests/boot/scenarios/ (one guest per CPU) under Bochs with the VMX CPU
# model, 2 CPUs, deterministic time (clock sync=none, ips 20 M; cli-spin 100 M, below); the
# refusal test runs QEMU TCG, which has no VT-x.
set(VMX_CHECK ${CMAKE_CURRENT_SOURCE_DIR}/test_vmx_check.py)
foreach(scenario smoke escape triple refusal)
    add_test(NAME boot.vmx.${scenario}
             COMMAND ${Python3_EXECUTABLE} ${VMX_CHECK} --elf $<TARGET_FILE:rthv.elf>
                     --scenario ${scenario} --smp 2)
    set_tests_properties(boot.vmx.${scenario} PROPERTIES LABELS "boot;vmx" TIMEOUT 180)
endforeach()
# cli-spin at 100 M instructions per emulated second, as the other Bochs tests since issue 13:
# Bochs turns no host interrupt into a VM exit while the guest has IF=0, so the hypervisor
# polls such a guest every 200 us (hvm/README.md), and at 20 M/s each poll's pass of ~1,300
# instructions is 65 us of it: the guest's share measured the emulator's slowness (78 % against
# the 80 % bound once exits were charged in full, issue 13). At 100 M/s it is 95 %.
add_test(NAME boot.vmx.cli-spin
         COMMAND ${Python3_EXECUTABLE} ${VMX_CHECK} --elf $<TARGET_FILE:rthv.elf>
                 --scenario cli-spin --smp 2 --ips 100000000)
set_tests_properties(boot.vmx.cli-spin PROPERTIES LABELS "boot;vmx" TIMEOUT 180)
# Four CPUs: all four well-behaved workloads side by side (periodic, exit-storm, busy,
# interactive), each CPU in VMX operation with its own VMXON region and VMCS.
add_test(NAME boot.vmx.smoke.4cpu
         COMMAND ${Python3_EXECUTABLE} ${VMX_CHECK} --elf $<TARGET_FILE:rthv.elf>
                 --scenario smoke-4cpu --smp 4)
set_tests_properties(boot.vmx.smoke.4cpu PROPERTIES LABELS "boot;vmx" TIMEOUT 240)
