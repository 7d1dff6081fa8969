# RTDS scheduler core sources (absolute paths, appended to the core list).
list(APPEND RTHV_CORE_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/params.cpp
    ${CMAKE_CURRENT_LIST_DIR}/text.cpp
    ${CMAKE_CURRENT_LIST_DIR}/admission.cpp
    ${CMAKE_CURRENT_LIST_DIR}/cpu_heap.cpp
    ${CMAKE_CURRENT_LIST_DIR}/pools.cpp
    ${CMAKE_CURRENT_LIST_DIR}/lifecycle.cpp
    ${CMAKE_CURRENT_LIST_DIR}/describe.cpp
    ${CMAKE_CURRENT_LIST_DIR}/server.cpp
    ${CMAKE_CURRENT_LIST_DIR}/queues.cpp
    ${CMAKE_CURRENT_LIST_DIR}/events.cpp
    ${CMAKE_CURRENT_LIST_DIR}/schedule.cpp
    ${CMAKE_CURRENT_LIST_DIR}/dump.cpp
    ${CMAKE_CURRENT_LIST_DIR}/verify.cpp)
