# Runs rtds-sim on a bad scenario: it must exit with status 2 and name the line (4).
execute_process(COMMAND ${SIM} ${SCN} RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
if(NOT rc EQUAL 2)
    message(FATAL_ERROR "expected exit status 2, got ${rc}: ${err}")
endif()
if(NOT err MATCHES "line 4: budget 2000 us exceeds period 1000 us")
    message(FATAL_ERROR "error message does not name line 4 and the problem: ${err}")
endif()
