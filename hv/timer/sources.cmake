# Timer core sources (absolute paths, appended to the core list).
list(APPEND RTHV_CORE_SOURCES ${CMAKE_CURRENT_LIST_DIR}/timer_core.cpp)
