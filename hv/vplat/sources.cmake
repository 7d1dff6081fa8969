# The virtual platform a real guest (Linux) sees: device models and boot-time tables, pure logic
# with no x86 host includes, so the host tests and the hypervisor compile the same sources.
# Every .cpp here is a model of its own; globbed so that adding a device touches one folder.
file(GLOB RTHV_VPLAT_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*.cpp)
list(APPEND RTHV_CORE_SOURCES ${RTHV_VPLAT_SOURCES})
