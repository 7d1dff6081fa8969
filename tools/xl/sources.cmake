# xl's library sources (everything but main.cpp), shared by tools/xl and tests/unit/xl so the
# tests exercise the very code the binary runs.
set(RTHV_XL_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/socket_path.cpp
    ${CMAKE_CURRENT_LIST_DIR}/transport.cpp
    ${CMAKE_CURRENT_LIST_DIR}/client.cpp
    ${CMAKE_CURRENT_LIST_DIR}/numbers.cpp
    ${CMAKE_CURRENT_LIST_DIR}/options.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sched_rtds_args.cpp
    ${CMAKE_CURRENT_LIST_DIR}/format.cpp
    ${CMAKE_CURRENT_LIST_DIR}/text_util.cpp
    ${CMAKE_CURRENT_LIST_DIR}/help.cpp
    ${CMAKE_CURRENT_LIST_DIR}/xl.cpp
    ${CMAKE_CURRENT_LIST_DIR}/cmd_sched_rtds.cpp
    ${CMAKE_CURRENT_LIST_DIR}/cmd_domain.cpp
    ${CMAKE_CURRENT_LIST_DIR}/cmd_console.cpp
    ${CMAKE_CURRENT_LIST_DIR}/cmd_stats.cpp
    ${CMAKE_CURRENT_LIST_DIR}/cmd_trace.cpp
    ${CMAKE_CURRENT_LIST_DIR}/trace_file.cpp)
