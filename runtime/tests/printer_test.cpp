// The binary -> text printer: unit cases for the parts with exact-output
// rules (floats, strings, segments), then the whole wasm-2.0 suite: every
// module that decodes and validates prints to text that parses back to the
// same bytes (text-built modules) or to a fixed point (binary ones).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "runtime/valid/decoder.hpp"
#include "runtime/text/printer.hpp"
#include "runtime/text/wast.hpp"
#include "runtime/text/wat.hpp"
#include "runtime/valid/validator.hpp"

namespace wisp::text {
namespace {

namespace fs = std::filesystem;

// Text -> binary -> text.
std::string print_of(std::string_view src) {
  auto bin = parse_wat(src);
  if (!bin) return "parse error: " + bin.error().message;
  auto m = decode(*bin);
  if (!m) return "decode error: " + m.error().message;
  auto t = print_wat(*m);
  if (!t) return "print error: " + t.error().message;
  return *t;
}

struct RoundTrip {
  std::string error;  // empty on success
  bool same_bytes = false;
};

// bytes -> t1 -> b2 -> t2 -> b3 -> t3 (print, parse, ...). The first print
// may show a non-canonical encoding (a type index where a short block type
// would do), so stability is required from t2 on: t2 == t3 and b2 == b3.
// same_bytes: bytes were already canonical (b2 == bytes and t1 == t2).
RoundTrip round_trip(const std::vector<uint8_t>& bytes) {
  std::vector<uint8_t> b = bytes;
  std::string texts[3];
  std::vector<uint8_t> bins[3];
  for (int i = 0; i < 3; ++i) {
    auto m = decode(b);
    if (!m) return {"decode " + std::to_string(i) + ": " + m.error().message};
    if (auto v = validate(*m); !v)
      return {"invalid " + std::to_string(i) + ": " + v.error().message + "\n" + (i ? texts[i - 1] : "")};
    auto t = print_wat(*m);
    if (!t) return {"print: " + t.error().message};
    texts[i] = *t;
    auto p = parse_wat(*t);
    if (!p) return {"reparse: " + p.error().message + " at line " + std::to_string(p.error().line) + "\n" + *t};
    bins[i] = *p;
    b = *p;
  }
  if (texts[1] != texts[2]) return {"text not stable:\n" + texts[1] + "\n---\n" + texts[2]};
  if (bins[1] != bins[2]) return {"bytes not stable:\n" + texts[1]};
  RoundTrip rt;
  rt.same_bytes = bins[0] == bytes && texts[0] == texts[1];
  return rt;
}

TEST(Printer, Floats) {
  auto t = print_of(
      "(func f32.const -0 f32.const 0x1p-149 f32.const 0x1.fffffep+127 f32.const -inf "
      "f32.const nan f32.const -nan:0x1 f64.const 0x1p-1074 f64.const 1.5 f64.const nan:0x8000000000001 "
      "drop drop drop drop drop drop drop drop drop)");
  EXPECT_NE(t.find("f32.const -0x0p+0"), std::string::npos) << t;
  EXPECT_NE(t.find("f32.const 0x0.000002p-126"), std::string::npos) << t;
  EXPECT_NE(t.find("f32.const 0x1.fffffep+127"), std::string::npos) << t;
  EXPECT_NE(t.find("f32.const -inf"), std::string::npos) << t;
  EXPECT_NE(t.find("f32.const nan:0x400000"), std::string::npos) << t;
  EXPECT_NE(t.find("f32.const -nan:0x1"), std::string::npos) << t;
  EXPECT_NE(t.find("f64.const 0x0.0000000000001p-1022"), std::string::npos) << t;
  EXPECT_NE(t.find("f64.const 0x1.8000000000000p+0"), std::string::npos) << t;
  EXPECT_NE(t.find("f64.const nan:0x8000000000001"), std::string::npos) << t;
}

TEST(Printer, StringsAndSegments) {
  auto t = print_of(
      "(memory 1) (table 2 funcref) (func $f)"
      "(data (i32.const 8) \"a\\\"\\\\\\00\\ff\") (data \"p\")"
      "(elem (i32.const 0) $f) (elem funcref (ref.null func)) (elem declare func $f)"
      "(export \"\\u{e9}\" (func $f))");
  EXPECT_NE(t.find("(data (memory 0) (offset i32.const 8) \"a\\22\\5c\\00\\ff\")"), std::string::npos) << t;
  EXPECT_NE(t.find("(data \"p\")"), std::string::npos) << t;
  EXPECT_NE(t.find("(elem (table 0) (offset i32.const 0) func 0)"), std::string::npos) << t;
  EXPECT_NE(t.find("(elem funcref (item ref.null func))"), std::string::npos) << t;
  EXPECT_NE(t.find("(elem declare func 0)"), std::string::npos) << t;
  EXPECT_NE(t.find("(export \"\\c3\\a9\" (func 0))"), std::string::npos) << t;
}

TEST(Printer, InstructionsRoundTrip) {
  const char* src = R"((module
    (type $t (func (param i32) (result i32 i32)))
    (import "m" "f" (func (param i32)))
    (import "m" "g" (global (mut i64)))
    (import "m" "t" (table 1 10 externref))
    (memory 1 2)
    (table 3 funcref)
    (global $g f32 (f32.const 1.25))
    (func (export "run") (param i32) (result i32) (local i64 i64 v128 f64)
      (block $b (result i32)
        (i32.const 7)
        (loop $l (param i32) (result i32 i32) (i32.const 5))
        (br_table 0 1 0))
      (if (type $t) (i32.const 1) (then (i32.const 1)) (else (i32.const 2)))
      (drop) (drop)
      (i64.store32 offset=7 align=2 (i32.const 0) (i64.const -9223372036854775808))
      (v128.store64_lane offset=3 1 (i32.const 0) (v128.const f32x4 1 2 3 4))
      (drop (i8x16.shuffle 0 31 2 3 4 5 6 7 8 9 10 11 12 13 14 15 (v128.const i64x2 -1 2) (local.get 3)))
      (call_indirect 1 (type 0) (i32.const 3) (i32.const 0)) (drop) (drop)
      (table.init 1 0 (i32.const 0) (i32.const 0) (i32.const 0))
      (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 0)) (data.drop 0)
      (select (result i32) (i32.const 1) (i32.const 2) (i32.const 3)))
    (elem funcref (ref.func 1))
    (data "xy"))
  )";
  auto bin = parse_wat(src);
  ASSERT_TRUE(bin) << bin.error().message;
  RoundTrip rt = round_trip(*bin);
  EXPECT_EQ(rt.error, "");
  EXPECT_TRUE(rt.same_bytes);
}

// A non-canonical binary (overlong LEBs, a type-index block type for
// [] -> [i32]) prints and re-encodes canonically.
TEST(Printer, BinaryReachesFixedPoint) {
  std::vector<uint8_t> b = {
      0, 'a', 's', 'm', 1, 0, 0, 0,
      1, 8, 2, 0x60, 0, 0, 0x60, 0, 1, 0x7F,  // types: [] -> [], [] -> [i32]
      3, 3, 1, 0x80, 0x00,                    // func 0 has type 0, overlong LEB
      10, 10, 1, 8,                           // one body of 8 bytes:
      0,                                      //   no locals
      0x02, 1, 0x41, 0, 0x0B,                 //   block (type 1) i32.const 0 end
      0x1A, 0x0B};                            //   drop end
  RoundTrip rt = round_trip(b);
  EXPECT_EQ(rt.error, "");
  EXPECT_FALSE(rt.same_bytes);
}

// $WISP_TESTSUITE, else ../shared/testsuite beside the checkout (as CMake does).
fs::path suite_dir() {
  if (const char* env = std::getenv("WISP_TESTSUITE"); env && *env) return fs::path(env) / "wasm-2.0";
  fs::path here = fs::path(__FILE__).parent_path();  // runtime/tests
  fs::path in_tree = here / ".." / ".." / "spec-tests" / "testsuite" / "wasm-2.0";
  if (fs::exists(in_tree)) return in_tree;
  return here / ".." / ".." / ".." / "shared" / "testsuite" / "wasm-2.0";
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

TEST(Printer, SpecSuiteRoundTrips) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(suite_dir(), ec))
    if (e.path().extension() == ".wast") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  if (files.empty()) GTEST_SKIP() << "no suite at " << suite_dir();
  size_t valid = 0, text_same = 0, failures = 0;
  for (const auto& path : files) {
    std::string name = path.filename().string();
    auto script = parse_wast(slurp(path));
    ASSERT_TRUE(script) << name;
    for (const Command& c : script->commands) {
      if (!c.has_module || c.kind == Command::AssertMalformed || c.kind == Command::AssertInvalid) continue;
      auto bytes = module_binary(c.module);
      if (!bytes) continue;
      auto m = decode(*bytes);
      if (!m || !validate(*m)) continue;
      ++valid;
      RoundTrip rt = round_trip(*bytes);
      if (!rt.error.empty()) {
        if (++failures < 5) ADD_FAILURE() << name << ":" << c.module.line << ": " << rt.error;
        continue;
      }
      // wisp's own encoding of a text module is canonical, so printing and
      // re-parsing must give the very same bytes.
      if (c.module.form == ScriptModule::Text) {
        EXPECT_TRUE(rt.same_bytes) << name << ":" << c.module.line << " re-encodes differently";
        text_same += rt.same_bytes;
      }
    }
  }
  EXPECT_EQ(failures, 0u);
  EXPECT_GT(valid, 1500u);
  EXPECT_GT(text_same, 1500u);
}

}  // namespace
}  // namespace wisp::text
