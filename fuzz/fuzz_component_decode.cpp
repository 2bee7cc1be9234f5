// Any bytes -> the component decoder (runtime/component/), and describe()
// of what it accepts. Input that does not start with "\0asm" gets the
// component preamble put in front, so the fuzzer works on the sections.
// Rejections must be Malformed or Invalid errors; a crash, hang, leak or
// sanitizer report is a bug.
#include <cstdint>
#include <cstring>
#include <vector>

#include "fuzz/fuzz_util.hpp"
#include "runtime/component/decoder.hpp"
#include "runtime/component/describe.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const uint8_t kPreamble[8] = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};
  std::vector<uint8_t> bytes;
  if (size < 4 || std::memcmp(data, "\0asm", 4) != 0) bytes.assign(kPreamble, kPreamble + 8);
  bytes.insert(bytes.end(), data, data + size);
  auto c = wisp::component::decode(bytes.data(), bytes.size());
  if (!c.ok()) {
    const wisp::ErrorKind k = c.error().kind;
    FUZZ_CHECK(k == wisp::ErrorKind::Malformed || k == wisp::ErrorKind::Invalid, "error of kind %d: %s",
               int(k), c.error().message.c_str());
    FUZZ_CHECK(c.error().offset <= bytes.size(), "error offset %zu past the end (%zu)", c.error().offset,
               bytes.size());
    return 0;
  }
  std::string text = wisp::component::describe(*c.value());
  FUZZ_CHECK(text.size() < (size_t(1) << 30), "describe() made %zu bytes", text.size());
  return 0;
}
