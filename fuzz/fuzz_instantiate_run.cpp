// A valid module -> instantiate with dummy imports -> call every export with
// fuel, a memory cap and a small call depth. Traps are fine; crashes,
// hangs, sanitizer reports and wrong result types are not.
//
// An input that starts with the wasm magic is used as the module itself (so
// the spec suite's modules seed this target); any other input is a recipe
// for wisp's generator of valid modules (module_gen.hpp), which must then
// validate.
#include <cstdint>
#include <cstring>

#include "fuzz/fuzz_util.hpp"
#include "fuzz/harness.hpp"
#include "fuzz/module_gen.hpp"
#include "runtime/api/wisp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const bool binary = size >= 4 && std::memcmp(data, "\0asm", 4) == 0;
  std::vector<uint8_t> bytes = binary ? std::vector<uint8_t>(data, data + size)
                                      : wisp::fuzz::generate_module(data, size);
  auto m = wisp::load_module(std::move(bytes));
  if (!m) {
    FUZZ_CHECK(binary, "the generator made an invalid module: %s", wisp::format_error(m.error()).c_str());
    return 0;
  }
  wisp::fuzz::instantiate_and_run(*m, data, size);
  return 0;
}
