# Trace rings, the scheduler trace hook and the text export (absolute paths, appended to the
# core list, so every flavour - host, TSan, release, freestanding - compiles them).
list(APPEND RTHV_CORE_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/ring.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sched_hook.cpp
    ${CMAKE_CURRENT_LIST_DIR}/export.cpp)
