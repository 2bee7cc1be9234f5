// `wisp validate` on hostile input, run as a separate process: every bad
// input must give exactly one "wisp: error: ..." line on stderr and exit
// status 1, quickly. Never a crash, a hang, or an uncaught exception.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "runtime/wasm/leb128.hpp"
#include "tools/tests/cli_fixture.hpp"

namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<uint8_t>;

using wisp::test::Outcome;
using CliBadInput = wisp::test::CliTest;

// ---- building modules ------------------------------------------------------------------

using wisp::test::append;
using wisp::test::kHeader;
using wisp::test::section;
using wisp::test::u32;

// One function of type [] -> [] with the given body (locals vector
// included).
Bytes one_function(const Bytes& body) {
  Bytes m = kHeader;
  append(m, section(1, {0x01, 0x60, 0x00, 0x00}));
  append(m, section(3, {0x01, 0x00}));
  Bytes code = {0x01};
  append(code, u32(body.size()));
  append(code, body);
  append(m, section(10, code));
  return m;
}

Bytes nested_blocks(size_t depth, const Bytes& innermost, bool close = true) {
  Bytes body = {0x00};
  for (size_t i = 0; i < depth; ++i) append(body, {0x02, 0x40});
  append(body, innermost);
  if (close)
    for (size_t i = 0; i < depth; ++i) body.push_back(0x0B);
  body.push_back(0x0B);
  return one_function(body);
}

// ---- the cases -------------------------------------------------------------------------------

TEST_F(CliBadInput, TruncatedFiles) {
  // type, import, function, memory, global, export, code, data.
  Bytes m = kHeader;
  append(m, section(1, {0x01, 0x60, 0x01, 0x7F, 0x01, 0x7F}));
  append(m, section(2, {0x01, 0x01, 'm', 0x01, 'f', 0x00, 0x00}));
  append(m, section(3, {0x01, 0x00}));
  append(m, section(5, {0x01, 0x00, 0x01}));
  append(m, section(6, {0x01, 0x7F, 0x01, 0x41, 0x2A, 0x0B}));
  append(m, section(7, {0x01, 0x03, 'r', 'u', 'n', 0x00, 0x01}));
  append(m, section(10, {0x01, 0x09, 0x00, 0x20, 0x00, 0x10, 0x00, 0x23, 0x00, 0x6A, 0x0B}));
  append(m, section(11, {0x01, 0x00, 0x41, 0x00, 0x0B, 0x02, 'h', 'i'}));
  expect_valid(run_wisp({"validate", write("full.wasm", m).string()}));

  // Section boundaries: a prefix ending there is a smaller module.
  std::set<size_t> boundaries = {8};
  for (size_t i = 8; i < m.size();) {
    const uint8_t* p = m.data() + i + 1;
    uint32_t size{};
    ASSERT_EQ(wisp::read_uleb<32>(p, m.data() + m.size(), size), wisp::LebStatus::Ok);
    i = size_t(p - m.data()) + size;
    boundaries.insert(i);
  }
  for (size_t n = 0; n < m.size(); ++n) {
    if (boundaries.count(n)) continue;
    SCOPED_TRACE("first " + std::to_string(n) + " bytes");
    Bytes prefix(m.begin(), m.begin() + long(n));
    Outcome r = run_wisp({"validate", write("cut.wasm", prefix).string()});
    expect_one_error_line(r, "malformed module");
    if (n < 8) {
      EXPECT_NE(r.err.find("unexpected end"), std::string::npos) << r.err;
    }
  }
}

TEST_F(CliBadInput, HugeTypeCount) {
  Bytes m = kHeader;
  append(m, section(1, u32(0xFFFFFFFFu)));
  Outcome r = run_wisp({"validate", write("types.wasm", m).string()}, std::chrono::seconds(20));
  expect_one_error_line(r, "unexpected end of section or function");
  EXPECT_LT(r.seconds, 8.0);

  // The same count followed by 16 MiB that are no function type.
  Bytes big = kHeader;
  Bytes payload = u32(0xFFFFFFFFu);
  payload.resize(payload.size() + (16u << 20), 0xFF);
  append(big, section(1, payload));
  r = run_wisp({"validate", write("types-big.wasm", big).string()}, std::chrono::seconds(20));
  expect_one_error_line(r, "malformed module");
  EXPECT_LT(r.seconds, 8.0);
}

TEST_F(CliBadInput, HugeCountsInOtherSections) {
  for (uint8_t id : {2, 3, 4, 5, 6, 7, 9, 10, 11}) {
    SCOPED_TRACE("section " + std::to_string(id));
    Bytes m = kHeader;
    append(m, section(id, u32(0xFFFFFFFFu)));
    expect_one_error_line(run_wisp({"validate", write("huge.wasm", m).string()}, std::chrono::seconds(20)),
                          "unexpected end of section or function");
  }
}

TEST_F(CliBadInput, DeepNesting) {
  constexpr size_t kDepth = 100000;
  // Valid: the validator keeps its control stack on the heap.
  expect_valid(run_wisp({"validate", write("deep.wasm", nested_blocks(kDepth, {})).string()}));
  // A type error at the bottom.
  expect_one_error_line(run_wisp({"validate", write("deep-bad.wasm", nested_blocks(kDepth, {0x41, 0x00})).string()}),
                        "type mismatch");
  // Branches out of every level at once: to the function, and one past it.
  Bytes br_out = {0x0C};
  append(br_out, u32(kDepth));
  expect_valid(run_wisp({"validate", write("deep-br.wasm", nested_blocks(kDepth, br_out)).string()}));
  Bytes br_past = {0x0C};
  append(br_past, u32(kDepth + 1));
  expect_one_error_line(run_wisp({"validate", write("deep-br-bad.wasm", nested_blocks(kDepth, br_past)).string()}),
                        "unknown label");
  // Never closed.
  expect_one_error_line(
      run_wisp({"validate", write("deep-open.wasm", nested_blocks(kDepth, {}, false)).string()}),
      "malformed module");
  // Deep nesting inside a global's initializer, where blocks are not
  // constant.
  Bytes g = {0x01, 0x7F, 0x00};
  for (size_t i = 0; i < kDepth; ++i) append(g, {0x02, 0x40});
  for (size_t i = 0; i < kDepth; ++i) g.push_back(0x0B);
  append(g, {0x41, 0x00, 0x0B});
  Bytes m = kHeader;
  append(m, section(6, g));
  expect_one_error_line(run_wisp({"validate", write("deep-global.wasm", m).string()}), "constant expression required");
  // And in the text format.
  std::string wat = "(module (func";
  for (size_t i = 0; i < kDepth; ++i) wat += " (block";
  wat += " (i32.const 0)";
  wat += std::string(kDepth, ')');
  wat += "))";
  expect_one_error_line(run_wisp({"validate", write_text("deep.wat", wat).string()}), "type mismatch");
}

TEST_F(CliBadInput, NonUtf8ImportNames) {
  const Bytes bad_names[] = {
      {0xC0, 0x80},              // overlong NUL
      {0xE0, 0x80, 0xAF},        // overlong '/'
      {0xED, 0xA0, 0x80},        // surrogate U+D800
      {0xF4, 0x90, 0x80, 0x80},  // U+110000
      {0xE2, 0x82},              // truncated
      {0x80},                    // lone continuation
      {0xFF},
  };
  for (const Bytes& name : bad_names) {
    for (bool in_module_name : {true, false}) {
      SCOPED_TRACE(std::string(in_module_name ? "module" : "field") + " name of " + std::to_string(name.size()) +
                   " bytes starting " + std::to_string(name[0]));
      Bytes imp = {0x01};
      const Bytes good = {'o', 'k'};
      const Bytes& first = in_module_name ? name : good;
      const Bytes& second = in_module_name ? good : name;
      append(imp, u32(first.size()));
      append(imp, first);
      append(imp, u32(second.size()));
      append(imp, second);
      append(imp, {0x03, 0x7F, 0x00});  // global i32
      Bytes m = kHeader;
      append(m, section(2, imp));
      expect_one_error_line(run_wisp({"validate", write("utf8.wasm", m).string()}), "malformed UTF-8 encoding");
    }
  }
}

TEST_F(CliBadInput, EmptyFile) {
  expect_one_error_line(run_wisp({"validate", write("empty.wasm", {}).string()}), "unexpected end");
}

TEST_F(CliBadInput, JustTheMagic) {
  expect_one_error_line(run_wisp({"validate", write("magic.wasm", {0x00, 0x61, 0x73, 0x6D}).string()}),
                        "unexpected end");
  expect_one_error_line(
      run_wisp({"validate", write("version.wasm", {0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00}).string()}),
      "unknown binary version");
}

TEST_F(CliBadInput, MissingFile) {
  expect_one_error_line(run_wisp({"validate", (dir_ / "no-such-file.wasm").string()}), "no-such-file.wasm");
}

// A directory is not a module (libstdc++'s filebuf used to throw on EISDIR).
TEST_F(CliBadInput, Directory) {
  fs::create_directory(dir_ / "sub.wasm");
  expect_one_error_line(run_wisp({"validate", dir_.string()}), dir_.string());
  expect_one_error_line(run_wisp({"validate", (dir_ / "sub.wasm").string()}), "sub.wasm");
}

TEST_F(CliBadInput, GarbageBinaryAndText) {
  Bytes noise(4096);
  uint32_t x = 12345;
  for (uint8_t& b : noise) b = uint8_t((x = x * 1103515245u + 12345u) >> 24);
  noise[0] = 0x01;  // not "\0asm"
  expect_one_error_line(run_wisp({"validate", write("noise.wasm", noise).string()}), "magic header not detected");
  // Without the .wasm suffix it is taken for text, and rejected as such.
  expect_one_error_line(run_wisp({"validate", write("noise", noise).string()}), "noise");
  expect_one_error_line(run_wisp({"validate", write_text("bad.wat", "(module (func (i32.const)))").string()}),
                        "bad.wat");
}

TEST_F(CliBadInput, Usage) {
  expect_one_error_line(run_wisp({"validate"}), "usage");
  expect_one_error_line(run_wisp({"validate", "a.wasm", "b.wasm"}), "usage");
}

}  // namespace

// ---- components ------------------------------------------------------------------------------

namespace {
// (component (type (func (param "x" u32) (result string))) (import "f" (func (type 0)))
//            (export "g" (func 0)))
Bytes small_component() {
  Bytes c = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};
  append(c, section(7, {0x01, 0x40, 0x01, 0x01, 'x', 0x79, 0x00, 0x73}));
  append(c, section(10, {0x01, 0x00, 0x01, 'f', 0x01, 0x00}));
  append(c, section(11, {0x01, 0x00, 0x01, 'g', 0x01, 0x00, 0x00}));
  return c;
}
}  // namespace

TEST_F(CliBadInput, ComponentsAreRecognisedValidatedAndListed) {
  const std::string path = write("small.component.wasm", small_component()).string();
  expect_valid(run_wisp({"validate", path}));
  Outcome r = run_wisp({"inspect", path});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "component\nimport f: func(x: u32) -> string\nexport g: func(x: u32) -> string\n");
  // It imports something the host does not provide: said in one line, not
  // "unknown binary version".
  expect_one_error_line(run_wisp({"run", path}), "import `f` is not provided (not in wisp's WASI 0.2");
  // It imports a function: it cannot be instantiated yet either.
  expect_one_error_line(run_wisp({"run", "--invoke", "g(1)", path}), "import `f` is not provided");
}

TEST_F(CliBadInput, TruncatedAndCorruptComponents) {
  const Bytes full = small_component();
  for (size_t n = 8; n < full.size(); ++n) {
    Bytes prefix(full.begin(), full.begin() + ptrdiff_t(n));
    SCOPED_TRACE(n);
    Outcome r = run_wisp({"validate", write("cut.component.wasm", prefix).string()});
    // A cut at a section boundary leaves a valid component.
    if (r.exit_code == 0) continue;
    expect_one_error_line(r, "component at offset 0x");
  }
  Bytes bad = full;
  bad[bad.size() - 2] = 0x07;  // export func 7: there is no function 7
  expect_one_error_line(run_wisp({"validate", write("bad.component.wasm", bad).string()}),
                        "unknown func 7");
}
