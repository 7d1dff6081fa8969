# Control protocol (hv/ctl): absolute paths, appended to the core list. RTHV_CTL_SOURCES is
# also used on its own by tools/xl and tests/unit/xl, which need the protocol but must not
# depend on the rest of the core.
set(RTHV_CTL_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/wire.cpp
    ${CMAKE_CURRENT_LIST_DIR}/crc32.cpp
    ${CMAKE_CURRENT_LIST_DIR}/cobs.cpp
    ${CMAKE_CURRENT_LIST_DIR}/frame.cpp
    ${CMAKE_CURRENT_LIST_DIR}/messages.cpp
    ${CMAKE_CURRENT_LIST_DIR}/messages_trace.cpp
    ${CMAKE_CURRENT_LIST_DIR}/server.cpp
    ${CMAKE_CURRENT_LIST_DIR}/server_queries.cpp
    ${CMAKE_CURRENT_LIST_DIR}/server_commands.cpp
    ${CMAKE_CURRENT_LIST_DIR}/server_trace.cpp)
list(APPEND RTHV_CORE_SOURCES ${RTHV_CTL_SOURCES})
