# Reservation planning from a guest task set (absolute paths, appended to the core list).
list(APPEND RTHV_CORE_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/taskset.cpp
    ${CMAKE_CURRENT_LIST_DIR}/supply.cpp
    ${CMAKE_CURRENT_LIST_DIR}/horizon.cpp
    ${CMAKE_CURRENT_LIST_DIR}/uniprocessor.cpp
    ${CMAKE_CURRENT_LIST_DIR}/global.cpp
    ${CMAKE_CURRENT_LIST_DIR}/plan.cpp)
