# Boot configuration parser (absolute paths, appended to the core list).
list(APPEND RTHV_CORE_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/lexer.cpp
    ${CMAKE_CURRENT_LIST_DIR}/values.cpp
    ${CMAKE_CURRENT_LIST_DIR}/parser.cpp
    ${CMAKE_CURRENT_LIST_DIR}/keys.cpp
    ${CMAKE_CURRENT_LIST_DIR}/finish.cpp
    ${CMAKE_CURRENT_LIST_DIR}/plan_key.cpp
    ${CMAKE_CURRENT_LIST_DIR}/report.cpp)
