// Any bytes -> decode + validate. Either step may reject the input, but only
// with an error of the right kind; a crash, hang, leak or sanitizer report is
// a bug.
#include <cstdint>
#include <cstdlib>

#include "fuzz/fuzz_util.hpp"
#include "runtime/valid/decoder.hpp"
#include "runtime/valid/validator.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Borrowed: libFuzzer's buffer is exactly `size` bytes on the heap, so
  // ASan sees any read past the end.
  auto m = wisp::decode_borrowed(data, size);
  if (!m) {
    FUZZ_CHECK(m.error().kind == wisp::ErrorKind::Malformed, "decode error of kind %d",
               int(m.error().kind));
    return 0;
  }
  wisp::Status s = wisp::validate(*m);
  if (s) {
    FUZZ_CHECK(m->validated, "validate() succeeded without marking the module");
  } else {
    FUZZ_CHECK(s.error().kind == wisp::ErrorKind::Malformed || s.error().kind == wisp::ErrorKind::Invalid,
               "validate error of kind %d", int(s.error().kind));
  }
  return 0;
}
