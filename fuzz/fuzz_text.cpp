// Any bytes -> the text front end: as one WAT module, and as a .wast script
// (whose quoted modules are parsed too). Every module that parses is then
// decoded and validated, which exercises the binary writer's output.
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_util.hpp"
#include "runtime/valid/decoder.hpp"
#include "runtime/text/wast.hpp"
#include "runtime/text/wat.hpp"
#include "runtime/valid/validator.hpp"

namespace {

void check_binary(const std::vector<uint8_t>& bytes) {
  auto m = wisp::decode(bytes);
  if (m) (void)wisp::validate(*m);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  // With a name section, as `wisp run` parses: the default (no names) is
  // what fuzz_roundtrip and the .wast path below exercise.
  wisp::text::WatOptions opts;
  opts.names = true;
  auto wat = wisp::text::parse_wat(text, opts);
  if (wat) {
    check_binary(*wat);
  } else {
    FUZZ_CHECK(wat.error().kind == wisp::ErrorKind::Malformed, "parse_wat error of kind %d",
               int(wat.error().kind));
  }
  auto script = wisp::text::parse_wast(text);
  if (!script) return 0;
  for (const auto& c : script->commands) {
    if (!c.has_module) continue;
    auto bin = wisp::text::module_binary(c.module);
    if (bin) check_binary(*bin);
  }
  return 0;
}
