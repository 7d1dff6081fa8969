# rthv-plan must refuse a malformed task set with exit status 2 and name the line and field.
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/bad.tasks "1000/10000\n2000/abc\n")
execute_process(COMMAND ${PLAN} ${CMAKE_CURRENT_BINARY_DIR}/bad.tasks
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 2)
    message(FATAL_ERROR "expected exit status 2, got ${rc}")
endif()
if(NOT err MATCHES "line 2, task 2 \\(field T\\)")
    message(FATAL_ERROR "error does not name line 2, task 2, field T: ${err}")
endif()
