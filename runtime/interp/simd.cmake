# Build options of the SIMD handlers (runtime/interp/simd_*.cpp; SIMD.md).
# Included by runtime/CMakeLists.txt right after add_library(wisp_runtime).
#
# Default on x86-64: the handlers are compiled with -msse4.1 and use SSE4.1
# intrinsics where they pay (the binary then needs an SSE4.1 CPU; see
# wisp::simd_backend_supported). WISP_SIMD_PORTABLE=ON builds the plain
# C++ fallback instead, the same code other targets get, so CI can test it
# on x86 too.
option(WISP_SIMD_PORTABLE "Build the SIMD handlers without x86 intrinsics" OFF)

file(GLOB WISP_SIMD_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/simd_*.cpp)

if(WISP_SIMD_PORTABLE)
  # PUBLIC so tests can tell which variant they are checking.
  target_compile_definitions(wisp_runtime PUBLIC WISP_SIMD_PORTABLE=1)
  message(STATUS "wisp SIMD handlers: portable C++")
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  include(CheckCXXCompilerFlag)
  check_cxx_compiler_flag(-msse4.1 WISP_CXX_HAS_MSSE41)
  if(WISP_CXX_HAS_MSSE41)
    # Only these files: the rest of the runtime stays baseline x86-64.
    set_source_files_properties(${WISP_SIMD_SOURCES} PROPERTIES COMPILE_OPTIONS -msse4.1)
    # Lets the tests check that the flag reached the handler files.
    target_compile_definitions(wisp_runtime PUBLIC WISP_SIMD_WANT_SSE41=1)
    message(STATUS "wisp SIMD handlers: SSE4.1")
  else()
    message(STATUS "wisp SIMD handlers: portable C++ (compiler lacks -msse4.1)")
  endif()
else()
  message(STATUS "wisp SIMD handlers: portable C++ (${CMAKE_SYSTEM_PROCESSOR})")
endif()
