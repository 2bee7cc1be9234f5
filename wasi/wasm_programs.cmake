# Building C programs for wasm32-wasi (tests and benchmarks).
#
# Probes for a clang that can target wasm32-wasi with wasi-libc (Debian:
# clang-19 + wasi-libc, sysroot in /usr/{include,lib}/wasm32-wasi; or a
# wasi-sdk style /usr/share/wasi-sysroot). Sets WISP_WASI_PROGRAMS_OK and
# defines wisp_wasm_program(<out-var> <output.wasm> <source.c> [deps...]).
find_program(WISP_WASI_CC NAMES clang-19 clang-20 clang-18 clang
             DOC "clang that can target wasm32-wasi (for wasi/ tests and benchmarks)")
set(WISP_WASI_PROGRAM_SYSROOT "" CACHE PATH "WASI sysroot for test/bench programs; empty = probe")
set(WISP_WASI_PROGRAMS_OK FALSE)
if(WISP_WASI_CC)
  set(_wp_sysroots ${WISP_WASI_PROGRAM_SYSROOT})
  if(NOT _wp_sysroots)
    set(_wp_sysroots "/usr/share/wasi-sysroot" "-")  # "-" = the compiler's default
  endif()
  set(_wp_probe ${CMAKE_CURRENT_BINARY_DIR}/wasm-probe)
  file(MAKE_DIRECTORY ${_wp_probe})
  file(WRITE ${_wp_probe}/probe.c "#include <stdio.h>\nint main(void) { puts(\"ok\"); return 0; }\n")
  foreach(_sr IN LISTS _wp_sysroots)
    set(_flags --target=wasm32-wasi)
    if(NOT _sr STREQUAL "-")
      if(NOT EXISTS ${_sr})
        continue()
      endif()
      list(APPEND _flags --sysroot=${_sr})
    endif()
    execute_process(COMMAND ${WISP_WASI_CC} ${_flags} -O2 probe.c -o probe.wasm
                    WORKING_DIRECTORY ${_wp_probe} RESULT_VARIABLE _rc OUTPUT_QUIET ERROR_QUIET)
    if(_rc EQUAL 0)
      set(WISP_WASI_CC_FLAGS ${_flags})
      set(WISP_WASI_PROGRAMS_OK TRUE)
      break()
    endif()
  endforeach()
endif()
if(WISP_WASI_PROGRAMS_OK)
  message(STATUS "wasm32-wasi programs: ${WISP_WASI_CC} ${WISP_WASI_CC_FLAGS}")
else()
  message(STATUS "wasm32-wasi programs: no clang with wasi-libc, WASI programs not built")
endif()

# Compiles (-O2) and links in separate steps: with -O at link time clang runs
# binaryen's wasm-opt when it is on PATH, so the output would depend on it.
function(wisp_wasm_program out wasm src)
  get_filename_component(_name ${wasm} NAME_WE)
  get_filename_component(_dir ${wasm} DIRECTORY)
  set(_obj ${_dir}/obj/${_name}.o)
  add_custom_command(
      OUTPUT ${_obj}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${_dir}/obj
      COMMAND ${WISP_WASI_CC} ${WISP_WASI_CC_FLAGS} -O2 -Wall -Wextra -c ${src} -o ${_obj}
      DEPENDS ${src} ${ARGN}
      VERBATIM)
  add_custom_command(
      OUTPUT ${wasm}
      COMMAND ${WISP_WASI_CC} ${WISP_WASI_CC_FLAGS} ${_obj} -o ${wasm}
      DEPENDS ${_obj}
      COMMENT "wasm32-wasi ${_name}.wasm"
      VERBATIM)
  set(${out} ${wasm} PARENT_SCOPE)
endfunction()
