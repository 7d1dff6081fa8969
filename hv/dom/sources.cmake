# The domain layer: domains, VCPUs and the per-CPU run loop (absolute paths, appended to the
# core list).
list(APPEND RTHV_CORE_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/guest_events.cpp
    ${CMAKE_CURRENT_LIST_DIR}/switch.cpp
    ${CMAKE_CURRENT_LIST_DIR}/run_loop.cpp
    ${CMAKE_CURRENT_LIST_DIR}/system.cpp)
