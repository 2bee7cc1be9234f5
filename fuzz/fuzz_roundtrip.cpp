// Text -> binary -> text -> binary is stable.
//
// The input is WAT text, or a binary module if it starts with the wasm
// magic (so the spec suite's binary modules and decoder findings seed it
// too). Whatever decodes and validates is printed (runtime/text/printer) and
// parsed again:
//   b0 --print--> t1 --parse--> b1 --print--> t2 --parse--> b2
// t1 must parse, b1 must validate, and from there on nothing may change:
// t1 == t2 and b1 == b2. When b0 came from text it is already in wisp's
// canonical encoding, so b0 == b1 as well. (A binary input may use overlong
// LEBs, other segment encodings or custom sections, which the printer does
// not keep, so only the later steps must agree for it.)
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "fuzz/fuzz_util.hpp"
#include "runtime/valid/decoder.hpp"
#include "runtime/text/printer.hpp"
#include "runtime/text/wat.hpp"
#include "runtime/valid/validator.hpp"

namespace {

// Decodes and validates; null if either fails.
bool valid(const std::vector<uint8_t>& bytes, wisp::Module& out) {
  auto m = wisp::decode(bytes);
  if (!m || !wisp::validate(*m)) return false;
  out = std::move(*m);
  return true;
}

std::string print(const wisp::Module& m) {
  auto t = wisp::text::print_wat(m);
  FUZZ_CHECK(t, "print_wat failed on a valid module: %s", t.error().message.c_str());
  return std::move(*t);
}

std::vector<uint8_t> parse(const std::string& text) {
  auto b = wisp::text::parse_wat(text);
  FUZZ_CHECK(b, "printed text does not parse: line %zu: %s\n%s", b.error().line,
             b.error().message.c_str(), text.c_str());
  return std::move(*b);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const bool binary = size >= 4 && std::memcmp(data, "\0asm", 4) == 0;
  std::vector<uint8_t> b0;
  if (binary) {
    b0.assign(data, data + size);
  } else {
    auto r = wisp::text::parse_wat(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!r) return 0;
    b0 = std::move(*r);
  }
  wisp::Module m0;
  if (!valid(b0, m0)) return 0;

  std::string t1 = print(m0);
  std::vector<uint8_t> b1 = parse(t1);
  wisp::Module m1;
  FUZZ_CHECK(valid(b1, m1), "the reprinted module is not valid:\n%s", t1.c_str());
  std::string t2 = print(m1);
  std::vector<uint8_t> b2 = parse(t2);
  FUZZ_CHECK(t1 == t2 || binary, "text changed on the second round:\n%s\n---\n%s", t1.c_str(), t2.c_str());
  if (binary) {
    // t1 may still show a non-canonical form (a type index for a [] -> [t]
    // block); from t2 on the text is canonical.
    wisp::Module m2;
    FUZZ_CHECK(valid(b2, m2), "the twice reprinted module is not valid");
    std::string t3 = print(m2);
    FUZZ_CHECK(t2 == t3, "text changed on the third round:\n%s\n---\n%s", t2.c_str(), t3.c_str());
  } else {
    FUZZ_CHECK(b0 == b1, "text input re-encodes differently after printing:\n%s", t1.c_str());
  }
  FUZZ_CHECK(b1 == b2, "bytes changed on the second round:\n%s", t1.c_str());
  return 0;
}
