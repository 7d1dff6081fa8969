# Reservations planned from a guest's task set, checked end to end in a boot (issue 16 item 4;
# tests/boot/planned_tasks_check.py), included by tests/boot/CMakeLists.txt. Bochs: the guests'
# kernel "tasks" runs the very task set each domain was planned for and counts missed jobs;
# rthv-plan is the oracle for the planned period and budget. 15-35 s of wall time each.
set(PLANNED_CHECK ${CMAKE_CURRENT_SOURCE_DIR}/planned_tasks_check.py)
function(rthv_planned_test name config backend)
    add_test(NAME boot.planned.${backend}.${name}
             COMMAND ${Python3_EXECUTABLE} ${PLANNED_CHECK} --elf $<TARGET_FILE:rthv.elf>
                     --plan $<TARGET_FILE:rthv-plan> --config ${config} --backend ${backend}
                     --smp 2 --for 1 ${ARGN})
    set_tests_properties(boot.planned.${backend}.${name} PROPERTIES LABELS "boot;planned"
                         TIMEOUT 180)
endfunction()
# EDF and RM guests with planned reservations beside busy and CBS neighbours: 0 missed jobs.
foreach(backend vmx svm)
    rthv_planned_test(tasks ${SCENARIOS}/planned-tasks.cfg ${backend})
endforeach()
# The same planned without the hypervisor's overhead: the RM guest misses jobs (6 in 1 s), so
# the check sees misses when there are some, and plan_overhead_us is what prevents them.
rthv_planned_test(no-overhead ${CMAKE_CURRENT_SOURCE_DIR}/scenarios/planned-tasks-no-overhead.cfg
                  vmx --expect-misses rm-vm)
