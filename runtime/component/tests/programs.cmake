# Component tests built from C (issue 14): programs compiled for
# wasm32-wasip1 against a newer wasi-libc than Debian's (the sysroot
# scripts/install-deps.sh takes from npm's @yowasp/clang), adapted into WASI
# 0.2 commands by jco (npm @bytecodealliance/jco), and run by wisp as core
# modules (WASI preview 1), as components (WASI 0.2) and by `jco run`
# (node): jco_command_test.sh compares the three.
find_program(WISP_JCO jco HINTS $ENV{WISP_NPM_PREFIX}/node_modules/.bin
             $ENV{HOME}/.cache/wisp/npm/node_modules/.bin)
set(WISP_P2_SYSROOT "$ENV{WISP_P2_SYSROOT}" CACHE PATH "wasm32-wasip1 sysroot for component test programs")
if(NOT WISP_P2_SYSROOT)
  set(WISP_P2_SYSROOT "$ENV{HOME}/.cache/wisp/wasi-sysroot")
endif()
set(_p2_builtins ${WISP_P2_SYSROOT}/lib/wasm32-unknown-wasip1/libclang_rt.builtins.a)
if(NOT WISP_BUILD_TESTS OR NOT WISP_JCO OR NOT WISP_WASI_CC OR NOT EXISTS ${_p2_builtins})
  message(STATUS "component tests with jco: not configured (needs jco and ${WISP_P2_SYSROOT}: "
                 "scripts/install-deps.sh)")
  return()
endif()
message(STATUS "component tests with jco: ${WISP_JCO}, sysroot ${WISP_P2_SYSROOT}")

set(_dir ${CMAKE_BINARY_DIR}/component-programs)
set(_programs)
# Compile and link apart (-O at link time would run binaryen if on PATH);
# the sysroot's own compiler-rt (clang-19's resource dir has none for wasip1).
function(_wisp_p2_program name src)
  add_custom_command(
      OUTPUT ${_dir}/${name}.wasm
      COMMAND ${CMAKE_COMMAND} -E make_directory ${_dir}
      COMMAND ${WISP_WASI_CC} --target=wasm32-wasip1 --sysroot=${WISP_P2_SYSROOT} -O2 -c ${src}
              -o ${_dir}/${name}.o
      COMMAND ${WISP_WASI_CC} --target=wasm32-wasip1 --sysroot=${WISP_P2_SYSROOT} ${_dir}/${name}.o
              -nodefaultlibs -lc ${_p2_builtins} -o ${_dir}/${name}.wasm
      DEPENDS ${src}
      COMMENT "${name}.wasm (wasm32-wasip1, ${WISP_P2_SYSROOT})"
      VERBATIM)
  set(_programs ${_programs} ${_dir}/${name}.wasm PARENT_SCOPE)
endfunction()
set(_here ${CMAKE_CURRENT_LIST_DIR})
_wisp_p2_program(hello ${PROJECT_SOURCE_DIR}/bench/coldstart/hello.c)
_wisp_p2_program(args_env ${_here}/args_env.c)
_wisp_p2_program(fs_tour ${_here}/fs_tour.c)
add_custom_target(component_programs ALL DEPENDS ${_programs})

add_test(NAME component/jco_wasi_command
         COMMAND ${_here}/jco_command_test.sh ${WISP_JCO} $<TARGET_FILE:wisp> $<TARGET_FILE:runtime_tests>
                 ${_dir} ${CMAKE_BINARY_DIR}/component-work)

# A large real program as a component: Yosys from npm (fetched by
# bench/real/run into bench/real/.cache), adapted by jco, must write the
# files its core module writes.
find_program(WISP_NPM npm)
if(WISP_NPM)
  add_test(NAME component/yosys_adapted
           COMMAND ${_here}/yosys_component_test.sh $<TARGET_FILE:wisp> ${WISP_JCO}
                   ${PROJECT_SOURCE_DIR}/bench/real/run ${CMAKE_BINARY_DIR}/component-yosys)
  set_tests_properties(component/yosys_adapted PROPERTIES TIMEOUT 600)
endif()

# wisp serve with a hand-written and a JavaScript wasi:http handler.
find_program(WISP_CURL curl)
if(WISP_CURL)
  add_test(NAME serve/handlers
           COMMAND ${PROJECT_SOURCE_DIR}/tools/tests/serve/serve_test.sh $<TARGET_FILE:wisp> ${WISP_JCO}
                   ${CMAKE_BINARY_DIR}/serve-test)
  set_tests_properties(serve/handlers PROPERTIES TIMEOUT 300)
endif()
