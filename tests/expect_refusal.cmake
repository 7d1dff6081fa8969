# A tool must refuse bad input with exit status 2 and an error naming where and what:
#   cmake -DTOOL=<binary> -DINPUT=<file> -DEXPECT=<regex the error must match> -P this file
# (rtds-sim on a bad scenario, rthv-plan on a bad task set).
execute_process(COMMAND ${TOOL} ${INPUT} RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
if(NOT rc EQUAL 2)
    message(FATAL_ERROR "expected exit status 2, got ${rc}: ${err}")
endif()
if(NOT err MATCHES "${EXPECT}")
    message(FATAL_ERROR "the error does not match '${EXPECT}': ${err}")
endif()
