# The SIMD handlers (runtime/interp/simd_*.cpp; SIMD.md), included by
# runtime/CMakeLists.txt after add_library(wisp_runtime).
#
# The handler sources are compiled once per backend, each copy in its own
# namespace (WISP_SIMD_NS), into the runtime:
#   portable  plain C++ (vector extensions); always built; every non-x86 target
#   sse4.1    the same with SSE4.1 intrinsics where they pay; x86-64 only,
#             -msse4.1 on these files alone (the rest stays baseline x86-64)
# simd_select.cpp picks one at the first SIMD instruction: $WISP_SIMD_BACKEND
# if set, else SSE4.1 when the CPU has it, else portable. So one binary runs
# (and CI tests) both, and never dies of SIGILL on an old CPU.
# WISP_SIMD_PORTABLE=ON leaves the SSE4.1 copy out entirely.
option(WISP_SIMD_PORTABLE "Build only the portable SIMD handlers (no x86 intrinsics)" OFF)

set(WISP_SIMD_IMPL_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/simd_compare.cpp
  ${CMAKE_CURRENT_LIST_DIR}/simd_convert.cpp
  ${CMAKE_CURRENT_LIST_DIR}/simd_float.cpp
  ${CMAKE_CURRENT_LIST_DIR}/simd_int.cpp
  ${CMAKE_CURRENT_LIST_DIR}/simd_lanes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/simd_memory.cpp
  ${CMAKE_CURRENT_LIST_DIR}/simd_table.cpp)

function(wisp_simd_backend name)
  add_library(wisp_simd_${name} OBJECT ${WISP_SIMD_IMPL_SOURCES})
  target_include_directories(wisp_simd_${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_compile_features(wisp_simd_${name} PRIVATE cxx_std_20)
  target_compile_definitions(wisp_simd_${name} PRIVATE
    $<TARGET_PROPERTY:wisp_runtime,INTERFACE_COMPILE_DEFINITIONS> ${ARGN})
  target_sources(wisp_runtime PRIVATE $<TARGET_OBJECTS:wisp_simd_${name}>)
endfunction()

wisp_simd_backend(portable WISP_SIMD_NS=simd_portable WISP_SIMD_PORTABLE=1)

set(WISP_HAVE_SIMD_SSE41 OFF)
if(NOT WISP_SIMD_PORTABLE AND CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  include(CheckCXXCompilerFlag)
  check_cxx_compiler_flag(-msse4.1 WISP_CXX_HAS_MSSE41)
  if(WISP_CXX_HAS_MSSE41)
    wisp_simd_backend(sse41 WISP_SIMD_NS=simd_sse41)
    target_compile_options(wisp_simd_sse41 PRIVATE -msse4.1)
    set(WISP_HAVE_SIMD_SSE41 ON)
  endif()
endif()
if(WISP_HAVE_SIMD_SSE41)
  target_compile_definitions(wisp_runtime PUBLIC WISP_HAVE_SIMD_SSE41=1)
  message(STATUS "wisp SIMD backends: sse4.1 (default where the CPU has it), portable")
else()
  message(STATUS "wisp SIMD backends: portable")
endif()
