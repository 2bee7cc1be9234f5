# `cmake --install`: the wisp command, the C API (wasm.h) and the C++ API
# over it (wisp.hh), the wisp_capi and wisp_runtime static libraries, a
# CMake package (find_package(wisp): target wisp::wisp) and a pkg-config
# file (wisp.pc). Nothing of the runtime's own headers.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS wisp RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
set_target_properties(wisp_capi PROPERTIES EXPORT_NAME wisp)
set_target_properties(wisp_runtime PROPERTIES EXPORT_NAME runtime)
install(TARGETS wisp_capi wisp_runtime EXPORT wispTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES ${PROJECT_SOURCE_DIR}/runtime/capi/wasm.h ${PROJECT_SOURCE_DIR}/runtime/capi/wisp.hh
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(WISP_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/wisp)
install(EXPORT wispTargets NAMESPACE wisp:: DESTINATION ${WISP_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/wispConfig.cmake.in
  ${PROJECT_BINARY_DIR}/wispConfig.cmake INSTALL_DESTINATION ${WISP_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/wispConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/wispConfig.cmake ${PROJECT_BINARY_DIR}/wispConfigVersion.cmake
  DESTINATION ${WISP_CMAKE_DIR})

# Relocatable: the prefix is found from where wisp.pc is (cmake --install
# --prefix may differ from CMAKE_INSTALL_PREFIX).
file(RELATIVE_PATH WISP_PC_TO_PREFIX "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" WISP_PC_TO_PREFIX "${WISP_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/wisp.pc.in ${PROJECT_BINARY_DIR}/wisp.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/wisp.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
