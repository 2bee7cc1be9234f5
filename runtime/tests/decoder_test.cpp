// The binary decoder on hand-built modules: header, section order and
// sizes, hostile counts, truncation at every byte, segment forms, the name
// section, count consistency and UTF-8 names. Modules are spelled out byte
// by byte (helpers below) so each case shows exactly what it feeds in.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/valid/decoder.hpp"
#include "runtime/wasm/leb128.hpp"
#include "runtime/wasm/reader.hpp"
#include "runtime/text/wat.hpp"
#include "runtime/valid/validator.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define WISP_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WISP_TEST_ASAN 1
#endif
#endif

namespace wisp {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}
Bytes u32(uint64_t v) {
  Bytes b;
  write_uleb(b, v);
  return b;
}
Bytes str(std::string_view s) { return cat({u32(s.size()), Bytes(s.begin(), s.end())}); }
Bytes raw_str(Bytes s) { return cat({u32(s.size()), s}); }
Bytes section(uint8_t id, const Bytes& payload) { return cat({{id}, u32(payload.size()), payload}); }

const Bytes kHeader = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
Bytes module(std::initializer_list<Bytes> sections) {
  Bytes out = kHeader;
  for (const Bytes& s : sections) out.insert(out.end(), s.begin(), s.end());
  return out;
}

// Common sections.
const Bytes kTypeVoid = section(1, {0x01, 0x60, 0x00, 0x00});  // (type (func))
const Bytes kOneFunc = section(3, {0x01, 0x00});                // one func of type 0
const Bytes kOneEmptyBody = section(10, {0x01, 0x02, 0x00, 0x0B});

// "ok" or the decoder's message.
std::string decode_msg(const Bytes& b) {
  auto m = decode(b);
  if (m.ok()) return "ok";
  EXPECT_EQ(m.error().kind, ErrorKind::Malformed) << m.error().message;
  return m.error().message;
}

// "ok" or the first error of decoding then validating.
std::string load_msg(const Bytes& b) {
  auto m = decode(b);
  if (!m.ok()) return m.error().message;
  Status s = validate(*m);
  return s.ok() ? "ok" : s.error().message;
}

// ---- header ------------------------------------------------------------------------

TEST(Decoder, Header) {
  EXPECT_EQ(decode_msg({}), "unexpected end");
  EXPECT_EQ(decode_msg({0x00, 0x61, 0x73}), "unexpected end");
  EXPECT_EQ(decode_msg({0x00, 0x61, 0x73, 0x6D}), "unexpected end");
  EXPECT_EQ(decode_msg({0x00, 0x61, 0x73, 0x6D, 0x01, 0x00}), "unexpected end");
  EXPECT_EQ(decode_msg({0x00, 0x61, 0x73, 0x6E, 0x01, 0x00, 0x00, 0x00}), "magic header not detected");
  EXPECT_EQ(decode_msg({0x6D, 0x73, 0x61, 0x00, 0x01, 0x00, 0x00, 0x00}), "magic header not detected");
  EXPECT_EQ(decode_msg({'(', 'm', 'o', 'd', 'u', 'l', 'e', ')'}), "magic header not detected");
  EXPECT_EQ(decode_msg({0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00}), "unknown binary version");
  EXPECT_EQ(decode_msg({0x00, 0x61, 0x73, 0x6D, 0x00, 0x00, 0x00, 0x01}), "unknown binary version");
  // The component-model layer field (0x0d 0x00 0x01 0x00).
  EXPECT_EQ(decode_msg({0x00, 0x61, 0x73, 0x6D, 0x0D, 0x00, 0x01, 0x00}), "unknown binary version");
  EXPECT_EQ(decode_msg(kHeader), "ok");
}

TEST(Decoder, ErrorOffsetsPointAtTheProblem) {
  auto m = decode({0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00});
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().offset, 4u);
  // An out-of-order section is reported at its id byte.
  Bytes b = module({kOneFunc, kTypeVoid});
  m = decode(b);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().offset, 8u + kOneFunc.size());
}

TEST(Decoder, SectionIds) {
  // 13 is Wasm 3.0's tag section: known, not decoded yet.
  EXPECT_EQ(decode_msg(module({{13, 0x00}})), "exception handling (tag section) not supported yet");
  EXPECT_EQ(decode_msg(module({{14, 0x00}})), "malformed section id");
  EXPECT_EQ(decode_msg(module({{0x7F, 0x00}})), "malformed section id");
  EXPECT_EQ(decode_msg(module({{0xFF, 0x00}})), "malformed section id");
  EXPECT_EQ(decode_msg(module({{0x01}})), "unexpected end");  // no size
  EXPECT_EQ(decode_msg(module({{0x01, 0x80}})), "unexpected end");
}

// ---- section ordering -----------------------------------------------------------------

// Each known section with an empty (but well-formed) payload, in the order
// the binary format requires (data count sits between element and code).
struct Sec {
  uint8_t id;
  const char* name;
};
constexpr Sec kOrder[] = {{1, "type"},    {2, "import"},   {3, "function"}, {4, "table"},
                          {5, "memory"},  {6, "global"},   {7, "export"},   {8, "start"},
                          {9, "element"}, {12, "datacount"}, {10, "code"},  {11, "data"}};
Bytes empty_section(uint8_t id) { return section(id, {0x00}); }  // vec() or start 0

TEST(Decoder, SectionsInOrderDecode) {
  Bytes all = kHeader;
  for (const Sec& s : kOrder) {
    Bytes e = empty_section(s.id);
    all.insert(all.end(), e.begin(), e.end());
  }
  EXPECT_EQ(decode_msg(all), "ok");
}

TEST(Decoder, EveryPairOutOfOrderIsRejected) {
  constexpr size_t n = std::size(kOrder);
  int checked = 0;
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      SCOPED_TRACE(std::string(kOrder[i].name) + " then " + kOrder[j].name);
      Bytes b = module({empty_section(kOrder[i].id), empty_section(kOrder[j].id)});
      if (i < j) {
        EXPECT_EQ(decode_msg(b), "ok");
      } else {
        // j < i is out of order; i == j is a duplicate.
        EXPECT_EQ(decode_msg(b), "unexpected content after last section");
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 78);  // 66 inverted pairs + 12 duplicates
}

TEST(Decoder, OrderIsCheckedAgainstTheLastSectionNotJustTheNeighbour) {
  // type, export, memory: memory follows export's rank although it is
  // after type.
  EXPECT_EQ(decode_msg(module({empty_section(1), empty_section(7), empty_section(5)})),
            "unexpected content after last section");
}

TEST(Decoder, CustomSectionsMayAppearAnywhere) {
  Bytes custom = section(0, cat({str("anything"), {1, 2, 3}}));
  Bytes b = module({custom});
  for (const Sec& s : kOrder) {
    Bytes e = empty_section(s.id);
    b.insert(b.end(), e.begin(), e.end());
    b.insert(b.end(), custom.begin(), custom.end());
  }
  auto m = decode(b);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->customs.size(), std::size(kOrder) + 1);
  EXPECT_EQ(m->customs[0].name, "anything");
  EXPECT_EQ(m->customs[0].size, 3u);
  EXPECT_EQ(m->bytes[m->customs[0].offset], 1);
}

TEST(Decoder, CustomSectionContents) {
  EXPECT_EQ(decode_msg(module({section(0, str(""))})), "ok");  // empty name, no payload
  EXPECT_EQ(decode_msg(module({{0x00, 0x00}})), "unexpected end of section or function");
  // Name longer than the section.
  EXPECT_EQ(decode_msg(module({section(0, {0x05, 'a', 'b'})})), "length out of bounds");
}

TEST(Decoder, DataCountPosition) {
  Bytes dc = section(12, {0x00});
  Bytes elem = empty_section(9), code = empty_section(10), data = empty_section(11);
  EXPECT_EQ(decode_msg(module({elem, dc, code, data})), "ok");
  EXPECT_EQ(decode_msg(module({dc, elem})), "unexpected content after last section");
  EXPECT_EQ(decode_msg(module({code, dc})), "unexpected content after last section");
  EXPECT_EQ(decode_msg(module({data, dc})), "unexpected content after last section");
  EXPECT_EQ(decode_msg(module({empty_section(7), dc, empty_section(11)})), "ok");
  auto m = decode(module({dc}));
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->has_data_count);
  EXPECT_EQ(m->data_count, 0u);
}

// ---- section sizes ------------------------------------------------------------------------

TEST(Decoder, SectionSizeMismatch) {
  // Type section claims 5 bytes, its content is 4.
  EXPECT_EQ(decode_msg(module({{0x01, 0x05, 0x01, 0x60, 0x00, 0x00, 0x00}})), "section size mismatch");
  // Claims 3, content needs 4.
  EXPECT_EQ(decode_msg(module({{0x01, 0x03, 0x01, 0x60, 0x00, 0x00}})),
            "unexpected end of section or function");
  // Start section with a trailing byte.
  EXPECT_EQ(decode_msg(module({section(8, {0x00, 0x00})})), "section size mismatch");
  // The size of a section past the end of the input.
  EXPECT_EQ(decode_msg(module({{0x01, 0x05, 0x00}})), "length out of bounds");
  EXPECT_EQ(decode_msg(module({{0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00}})), "length out of bounds");
  // A size that is not a valid u32.
  EXPECT_EQ(decode_msg(module({{0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00}})), "integer too large");
  EXPECT_EQ(decode_msg(module({{0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}})),
            "integer representation too long");
}

TEST(Decoder, LengthOutOfBounds) {
  // An import name longer than the section.
  EXPECT_EQ(decode_msg(module({section(2, {0x01, 0x10, 'm'})})), "length out of bounds");
  // A code entry longer than the section.
  EXPECT_EQ(decode_msg(module({kTypeVoid, kOneFunc, section(10, {0x01, 0x09, 0x00, 0x0B})})),
            "length out of bounds");
  // A data segment longer than the section.
  EXPECT_EQ(decode_msg(module({section(11, {0x01, 0x01, 0x05, 'a', 'b'})})), "length out of bounds");
}

TEST(Decoder, IntegerErrorsInsideASectionAreReportedAsSuch) {
  // The reader looks past the section end to tell "too long" from "end":
  // a 6-byte u32 is too long even where the section ends after 3 bytes.
  EXPECT_EQ(decode_msg(module({{0x03, 0x03, 0x01, 0x80, 0x80}, {0x80, 0x80, 0x80, 0x00}})),
            "integer representation too long");
  // ...but a well-formed integer cut by the section end is an unexpected end.
  EXPECT_EQ(decode_msg(module({{0x03, 0x02, 0x01, 0x80}, {0x00}})),
            "unexpected end of section or function");
}

// ---- huge declared counts --------------------------------------------------------------------

constexpr uint32_t kHuge = 0xFFFFFFFFu;

// Modules whose (first) count in some section is 2^32-1, followed by
// `tail` bytes of 0xFF (no valid first element starts with 0xFF).
struct HugeCase {
  const char* what;
  uint8_t section;
  // Payload bytes before the huge count, given the payload's total size.
  Bytes (*before)(size_t payload_size);
  const char* error;  // without a tail; "" if the module decodes
};
const char* const kEndOfSection = "unexpected end of section or function";
const HugeCase kHugeCases[] = {
    {"types", 1, [](size_t) { return Bytes{}; }, kEndOfSection},
    {"imports", 2, [](size_t) { return Bytes{}; }, kEndOfSection},
    {"functions", 3, [](size_t) { return Bytes{}; }, kEndOfSection},
    {"tables", 4, [](size_t) { return Bytes{}; }, kEndOfSection},
    {"memories", 5, [](size_t) { return Bytes{}; }, kEndOfSection},
    {"globals", 6, [](size_t) { return Bytes{}; }, kEndOfSection},
    {"exports", 7, [](size_t) { return Bytes{}; }, kEndOfSection},
    {"elements", 9, [](size_t) { return Bytes{}; }, kEndOfSection},
    {"code", 10, [](size_t) { return Bytes{}; }, kEndOfSection},
    {"data", 11, [](size_t) { return Bytes{}; }, kEndOfSection},
    {"params", 1, [](size_t) { return Bytes{0x01, 0x60}; }, kEndOfSection},
    {"results", 1, [](size_t) { return Bytes{0x01, 0x60, 0x00}; }, kEndOfSection},
    {"element funcs", 9, [](size_t) { return Bytes{0x01, 0x01, 0x00}; }, kEndOfSection},
    {"element exprs", 9, [](size_t) { return Bytes{0x01, 0x05, 0x70}; }, kEndOfSection},
    {"import name length", 2, [](size_t) { return Bytes{0x01}; }, "length out of bounds"},
    {"data length", 11, [](size_t) { return Bytes{0x01, 0x01}; }, "length out of bounds"},
    {"function names", 0,
     [](size_t size) {
       // The subsection runs to the end; its size as a 5-byte LEB so that
       // this prefix has the same length whatever the size.
       Bytes b = cat({str("name"), {0x01}});
       uint32_t sub = uint32_t(size - b.size() - 5);
       return cat({b, {uint8_t(0x80 | (sub & 0x7F)), uint8_t(0x80 | ((sub >> 7) & 0x7F)),
                       uint8_t(0x80 | ((sub >> 14) & 0x7F)), uint8_t(0x80 | ((sub >> 21) & 0x7F)),
                       uint8_t(sub >> 28)}});
     },
     ""},
};

// The whole module in one allocation (so that building it leaves no big
// free blocks behind for the decoder to reuse unseen).
Bytes build_huge(const HugeCase& c, size_t tail) {
  size_t before_size = c.before(0).size();
  size_t payload = before_size + 5 + tail;
  size_t total = 8 + 1 + u32(payload).size() + payload;
  Bytes b;
  b.reserve(total);
  b.insert(b.end(), kHeader.begin(), kHeader.end());
  b.push_back(c.section);
  write_uleb(b, payload);
  Bytes before = c.before(payload);
  EXPECT_EQ(before.size(), before_size);
  b.insert(b.end(), before.begin(), before.end());
  write_uleb(b, kHuge);
  b.resize(total, 0xFF);
  return b;
}

TEST(Decoder, HugeCountsFailQuickly) {
  auto start = std::chrono::steady_clock::now();
  for (const HugeCase& c : kHugeCases) {
    SCOPED_TRACE(c.what);
    auto m = decode(build_huge(c, 0));
    if (!*c.error) {
      // The name section is advisory: ignored, not an error.
      ASSERT_TRUE(m.ok()) << m.error().message;
      EXPECT_TRUE(m->func_names.empty());
    } else {
      ASSERT_FALSE(m.ok());
      EXPECT_EQ(m.error().message, c.error);
    }
  }
  // Honouring any of those counts would take billions of steps.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(Decoder, HugeCountsInBodiesFailQuickly) {
  auto start = std::chrono::steady_clock::now();
  auto body = [](Bytes b) { return module({kTypeVoid, kOneFunc, section(10, cat({{0x01}, raw_str(b)}))}); };
  // Locals: one run of 2^32-1 i32s.
  EXPECT_EQ(load_msg(body(cat({{0x01}, u32(kHuge), {0x7F, 0x0B}}))), "too many locals");
  // Two runs whose sum overflows u32.
  EXPECT_EQ(load_msg(body(cat({{0x02}, u32(0x80000000u), {0x7F}, u32(0x80000000u), {0x7E, 0x0B}}))),
            "too many locals");
  // br_table with 2^32-1 targets.
  EXPECT_EQ(load_msg(body(cat({{0x00, 0x41, 0x00, 0x0E}, u32(kHuge), {0x00, 0x0B}}))), kEndOfSection);
  // select (result t*) with 2^32-1 types: stops at the first byte that is
  // no value type.
  EXPECT_EQ(load_msg(body(cat({{0x00, 0x1C}, u32(kHuge), {0x7F, 0x0B}}))), "malformed value type");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

// Caps this process's address space at its current size plus `budget`.
bool limit_address_space(size_t budget) {
  long pages = 0;
  FILE* f = fopen("/proc/self/statm", "r");
  if (!f) return false;
  bool ok = fscanf(f, "%ld", &pages) == 1;
  fclose(f);
  if (!ok) return false;
  struct rlimit rl;
  rl.rlim_cur = rl.rlim_max = rlim_t(pages) * rlim_t(sysconf(_SC_PAGESIZE)) + budget;
  return setrlimit(RLIMIT_AS, &rl) == 0;
}

// Decodes case c with a 16 MiB tail in a child process whose address space
// may grow by at most 32 MiB once the input is built. The count is far
// beyond what the input holds, and nothing may be reserved for it beyond
// what the bytes actually read justify: an allocation sized by the count
// hits the limit and dies of std::bad_alloc. The child is a fresh process
// (threadsafe style), so no free memory left over from other tests can
// hide an allocation.
int decode_within_budget(const HugeCase& c) {
  Bytes b = build_huge(c, 16u << 20);
  if (!limit_address_space(32u << 20)) return 3;
  auto m = decode_borrowed(b.data(), b.size());
  return m.ok() == !*c.error ? 0 : 2;
}

TEST(Decoder, HugeCountsDoNotAllocate) {
#ifdef WISP_TEST_ASAN
  GTEST_SKIP() << "address-space limits do not mix with ASan's shadow memory";
#else
  std::string old_style = GTEST_FLAG_GET(death_test_style);
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  for (const HugeCase& c : kHugeCases) {
    SCOPED_TRACE(c.what);
    EXPECT_EXIT(_exit(decode_within_budget(c)), ::testing::ExitedWithCode(0), "");
  }
  GTEST_FLAG_SET(death_test_style, old_style);
#endif
}

// ---- truncation at every byte ---------------------------------------------------------------

// Offsets at which a prefix of b ends exactly between sections.
std::set<size_t> section_boundaries(const Bytes& b) {
  std::set<size_t> out = {8};
  size_t i = 8;
  while (i < b.size()) {
    const uint8_t* p = b.data() + i + 1;
    uint32_t size{};
    EXPECT_EQ(read_uleb<32>(p, b.data() + b.size(), size), LebStatus::Ok);
    i = size_t(p - b.data()) + size;
    out.insert(i);
  }
  return out;
}

void check_every_prefix(const Bytes& full) {
  ASSERT_EQ(load_msg(full), "ok");
  std::set<size_t> boundaries = section_boundaries(full);
  const std::set<std::string> truncation_messages = {
      "unexpected end", "unexpected end of section or function", "length out of bounds",
      "function and code section have inconsistent lengths"};
  for (size_t n = 0; n < full.size(); ++n) {
    SCOPED_TRACE("prefix of " + std::to_string(n) + " bytes");
    // An exactly-sized copy, so a sanitizer build catches any over-read.
    auto m = decode(Bytes(full.begin(), full.begin() + long(n)));
    if (!boundaries.count(n)) {
      ASSERT_FALSE(m.ok());
      EXPECT_TRUE(truncation_messages.count(m.error().message)) << m.error().message;
      EXPECT_LE(m.error().offset, n);
    } else if (m.ok()) {
      // A prefix that ends between sections is a smaller module: fine,
      // as long as validating it works too.
      Status s = validate(*m);
      if (!s.ok()) {
        EXPECT_FALSE(s.error().message.empty());
      }
    }
  }
}

TEST(Decoder, EveryPrefixOfAValidModuleIsRejected) {
  const char* sources[] = {
      R"((module
          (type $t (func (param i32) (result i32)))
          (import "env" "f" (func $imp (type $t)))
          (import "env" "g" (global $g i32))
          (table 2 funcref)
          (memory 1 2)
          (global $h (mut i64) (i64.const -1))
          (export "run" (func $run))
          (start $s)
          (elem (i32.const 0) $run $s)
          (elem funcref (ref.func $run))
          (func $s)
          (func $run (param i32) (result i32) (local f64)
            (block (result i32)
              (block (result i32)
                (br_table 0 1 (local.get 0) (local.get 0))))
            (call $imp)
            (i32.load offset=4 (i32.const 0))
            (i32.add)
            (if (result i32) (then (i32.const 1)) (else (i32.const 2))))
          (data (i32.const 16) "hello")
          (data "passive"))
      )",
      R"((module (memory 1) (func (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 1)) (data.drop 0)) (data "x")))",
      R"((module (func (export "v") (result v128) (v128.const i32x4 1 2 3 4))))",
  };
  for (const char* src : sources) {
    auto bytes = text::parse_wat(src);
    ASSERT_TRUE(bytes.ok()) << bytes.error().message;
    check_every_prefix(*bytes);
  }
  // With a name section too.
  check_every_prefix(module({kTypeVoid, kOneFunc, kOneEmptyBody,
                             section(0, cat({str("name"), {0x01, 0x04, 0x01, 0x00, 0x01, 'f'}}))}));
}

TEST(Decoder, SingleByteMutationsNeverCrash) {
  // Not a fuzzer, but every byte of a realistic module set to values that
  // mean something different in each position. Whatever the outcome, an
  // error must be a proper decode or validation error.
  auto bytes = text::parse_wat(R"((module
      (type (func (param i32 i64) (result i32)))
      (import "m" "f" (func (type 0)))
      (table 1 funcref) (memory 1) (global (mut i32) (i32.const 7))
      (export "g" (global 0))
      (elem (i32.const 0) 0)
      (func (type 0) (local i32)
        (block (result i32) (local.get 0) (br_if 0 (i32.const 1)) (drop) (i32.const 2))
        (call_indirect (type 0) (i64.const 3) (i32.const 0))
        (drop) (i32.load8_u (i32.const 1)) (global.set 0 (i32.const 4)))
      (data (i32.const 0) "ab")))");
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  const Bytes& good = *bytes;
  ASSERT_EQ(load_msg(good), "ok");
  for (size_t i = 0; i < good.size(); ++i) {
    for (uint8_t v : {0x00, 0x01, 0x0B, 0x40, 0x7F, 0x80, 0xFF}) {
      Bytes b = good;
      b[i] = v;
      auto m = decode(b);
      if (!m.ok()) {
        EXPECT_EQ(m.error().kind, ErrorKind::Malformed);
        EXPECT_FALSE(m.error().message.empty());
        continue;
      }
      Status s = validate(*m);
      if (!s.ok()) {
        EXPECT_TRUE(s.error().kind == ErrorKind::Malformed || s.error().kind == ErrorKind::Invalid)
            << "byte " << i << " = " << int(v) << ": " << s.error().message;
        EXPECT_FALSE(s.error().message.empty());
      }
    }
  }
}

// ---- element and data segment forms -------------------------------------------------------

TEST(Decoder, AllEightElementSegmentForms) {
  // Two functions, two tables; each segment refers to function 1.
  Bytes elems = cat({
      {0x08},
      {0x00, 0x41, 0x05, 0x0B, 0x01, 0x01},              // 0: active table 0, offset, funcs
      {0x01, 0x00, 0x01, 0x01},                          // 1: passive, elemkind, funcs
      {0x02, 0x01, 0x41, 0x06, 0x0B, 0x00, 0x01, 0x01},  // 2: active table 1, offset, elemkind, funcs
      {0x03, 0x00, 0x02, 0x01, 0x00},                    // 3: declarative, elemkind, funcs
      {0x04, 0x41, 0x07, 0x0B, 0x01, 0xD2, 0x01, 0x0B},  // 4: active table 0, offset, exprs
      {0x05, 0x6F, 0x01, 0xD0, 0x6F, 0x0B},              // 5: passive, reftype, exprs
      {0x06, 0x01, 0x41, 0x08, 0x0B, 0x70, 0x02, 0xD2, 0x01, 0x0B, 0xD0, 0x70, 0x0B},  // 6
      {0x07, 0x70, 0x01, 0xD2, 0x00, 0x0B},              // 7: declarative, reftype, exprs
  });
  Bytes b = module({kTypeVoid, section(3, {0x02, 0x00, 0x00}),
                    section(4, {0x02, 0x70, 0x00, 0x0A, 0x70, 0x00, 0x0A}), section(9, elems),
                    section(10, {0x02, 0x02, 0x00, 0x0B, 0x02, 0x00, 0x0B})});
  auto m = decode(b);
  ASSERT_TRUE(m.ok()) << m.error().message;
  ASSERT_EQ(m->elems.size(), 8u);

  struct Want {
    SegmentMode mode;
    uint32_t table;
    bool exprs;
    ValType type;
    uint32_t size;
    int32_t offset_const;  // the i32.const of the offset, -1 if none
  };
  const Want want[8] = {
      {SegmentMode::Active, 0, false, ValType::FuncRef, 1, 5},
      {SegmentMode::Passive, 0, false, ValType::FuncRef, 1, -1},
      {SegmentMode::Active, 1, false, ValType::FuncRef, 1, 6},
      {SegmentMode::Declarative, 0, false, ValType::FuncRef, 2, -1},
      {SegmentMode::Active, 0, true, ValType::FuncRef, 1, 7},
      {SegmentMode::Passive, 0, true, ValType::ExternRef, 1, -1},
      {SegmentMode::Active, 1, true, ValType::FuncRef, 2, 8},
      {SegmentMode::Declarative, 0, true, ValType::FuncRef, 1, -1},
  };
  for (int i = 0; i < 8; ++i) {
    SCOPED_TRACE("form " + std::to_string(i));
    const ElemSegment& s = m->elems[i];
    EXPECT_EQ(s.mode, want[i].mode);
    EXPECT_EQ(s.table, want[i].table);
    EXPECT_EQ(s.uses_exprs, want[i].exprs);
    EXPECT_EQ(s.type, want[i].type);
    EXPECT_EQ(s.size(), want[i].size);
    EXPECT_EQ(s.uses_exprs ? s.funcs.size() : s.exprs.size(), 0u);
    if (want[i].offset_const >= 0) {
      ASSERT_EQ(s.offset.size, 3u);  // i32.const N end
      EXPECT_EQ(m->bytes[s.offset.offset], 0x41);
      EXPECT_EQ(m->bytes[s.offset.offset + 1], want[i].offset_const);
      EXPECT_EQ(m->bytes[s.offset.offset + 2], 0x0B);
    } else {
      EXPECT_EQ(s.offset.size, 0u);
    }
  }
  EXPECT_EQ(m->elems[0].funcs, std::vector<uint32_t>{1});
  EXPECT_EQ(m->elems[3].funcs, (std::vector<uint32_t>{1, 0}));
  // Expression contents: ref.func 1 end / ref.null func end.
  const ConstExpr& e0 = m->elems[6].exprs[0];
  EXPECT_EQ(Bytes(m->bytes + e0.offset, m->bytes + e0.offset + e0.size), (Bytes{0xD2, 0x01, 0x0B}));
  const ConstExpr& e1 = m->elems[6].exprs[1];
  EXPECT_EQ(Bytes(m->bytes + e1.offset, m->bytes + e1.offset + e1.size), (Bytes{0xD0, 0x70, 0x0B}));
  EXPECT_EQ(load_msg(b), "ok");
}

TEST(Decoder, ElementSegmentErrors) {
  auto elem = [](Bytes seg) { return decode_msg(module({section(9, cat({{0x01}, seg}))})); };
  EXPECT_EQ(elem({0x08, 0x00, 0x00}), "malformed elements segment kind");
  EXPECT_EQ(elem({0x01, 0x01, 0x00}), "malformed element kind");       // elemkind must be 0
  EXPECT_EQ(elem({0x05, 0x7F, 0x00}), "malformed reference type");     // i32 is no reftype
  EXPECT_EQ(elem({0x00, 0x41, 0x00, 0x06, 0x00}),  // 0x06 is no 2.0 opcode: 3.0's legacy `try`
            "illegal opcode: try, not supported yet (legacy exception handling)");
  EXPECT_EQ(elem({0x00, 0x41, 0x00, 0x1E, 0x00}), "illegal opcode");  // in no proposal
  EXPECT_EQ(elem({0x00, 0x41, 0x00, 0x00}), kEndOfSection);  // 0x00 is `unreachable`: no end
  EXPECT_EQ(elem({0x01, 0x00, 0x02, 0x00}), "unexpected end of section or function");
}

TEST(Decoder, AllThreeDataSegmentForms) {
  Bytes datas = cat({{0x03},
                     {0x00, 0x41, 0x10, 0x0B, 0x02, 'h', 'i'},        // active, memory 0
                     {0x01, 0x03, 'a', 'b', 'c'},                     // passive
                     {0x02, 0x00, 0x41, 0x20, 0x0B, 0x00}});          // active, explicit memory, empty
  Bytes b = module({section(5, {0x01, 0x00, 0x01}), section(11, datas)});
  auto m = decode(b);
  ASSERT_TRUE(m.ok()) << m.error().message;
  ASSERT_EQ(m->datas.size(), 3u);
  auto data = [&](const DataSegment& d) {
    return std::string(reinterpret_cast<const char*>(m->bytes) + d.data_offset, d.data_size);
  };
  EXPECT_EQ(m->datas[0].mode, SegmentMode::Active);
  EXPECT_EQ(m->datas[0].memory, 0u);
  EXPECT_EQ(m->datas[0].offset.size, 3u);
  EXPECT_EQ(m->bytes[m->datas[0].offset.offset + 1], 0x10);
  EXPECT_EQ(data(m->datas[0]), "hi");
  EXPECT_EQ(m->datas[1].mode, SegmentMode::Passive);
  EXPECT_EQ(m->datas[1].offset.size, 0u);
  EXPECT_EQ(data(m->datas[1]), "abc");
  EXPECT_EQ(m->datas[2].mode, SegmentMode::Active);
  EXPECT_EQ(m->bytes[m->datas[2].offset.offset + 1], 0x20);
  EXPECT_EQ(data(m->datas[2]), "");
  EXPECT_EQ(load_msg(b), "ok");

  // Form 2 with memory 1: decodes, and the validator rejects the index.
  Bytes mem1 = module({section(5, {0x01, 0x00, 0x01}), section(11, {0x01, 0x02, 0x01, 0x41, 0x00, 0x0B, 0x00})});
  m = decode(mem1);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->datas[0].memory, 1u);
  EXPECT_EQ(load_msg(mem1), "unknown memory 1");
  EXPECT_EQ(decode_msg(module({section(11, {0x01, 0x03, 0x00})})), "malformed data segment kind");
}

// ---- the name section ----------------------------------------------------------------------

Bytes name_section(Bytes subsections) { return section(0, cat({str("name"), subsections})); }
Bytes subsection(uint8_t id, Bytes payload) { return cat({{id}, u32(payload.size()), payload}); }

Bytes three_funcs_with(Bytes custom) {
  return module({kTypeVoid, section(3, {0x03, 0x00, 0x00, 0x00}),
                 section(10, {0x03, 0x02, 0x00, 0x0B, 0x02, 0x00, 0x0B, 0x02, 0x00, 0x0B}), custom});
}

TEST(Decoder, NameSectionFillsFuncNames) {
  Bytes names = name_section(cat({
      subsection(0, str("mod")),
      subsection(1, cat({{0x02}, {0x00}, str("first"), {0x02}, str("third")})),
      subsection(2, {0x00}),  // local names: skipped
  }));
  auto m = decode(three_funcs_with(names));
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->name, "mod");
  ASSERT_EQ(m->func_names.size(), 2u);
  EXPECT_EQ(m->func_names[0].index, 0u);
  EXPECT_EQ(m->func_names[0].name, "first");
  EXPECT_EQ(m->func_names[1].index, 2u);
  EXPECT_EQ(m->func_name(2), "third");
  EXPECT_EQ(m->func_name(1), "");
}

TEST(Decoder, MalformedNameSectionsAreIgnored) {
  const std::pair<const char*, Bytes> cases[] = {
      {"subsections out of order",
       cat({subsection(1, cat({{0x01, 0x00}, str("f")})), subsection(0, str("mod"))})},
      {"repeated subsection",
       cat({subsection(1, cat({{0x01, 0x00}, str("f")})), subsection(1, cat({{0x01, 0x01}, str("g")}))})},
      {"indices not increasing", subsection(1, cat({{0x02, 0x01}, str("a"), {0x01}, str("b")}))},
      {"indices decreasing", subsection(1, cat({{0x02, 0x02}, str("a"), {0x01}, str("b")}))},
      {"count beyond the subsection", subsection(1, cat({{0x05, 0x00}, str("a")}))},
      {"name beyond the subsection", subsection(1, {0x01, 0x00, 0x09, 'a'})},
      {"subsection beyond the section", {0x01, 0x20, 0x01, 0x00, 0x01, 'a'}},
      {"invalid UTF-8 name", subsection(1, cat({{0x01, 0x00}, raw_str({0xC0, 0x80})}))},
      {"bad LEB", subsection(1, {0x81, 0x80, 0x80, 0x80, 0x80, 0x00})},
      {"missing size", {0x01}},
  };
  for (const auto& [what, sub] : cases) {
    SCOPED_TRACE(what);
    auto m = decode(three_funcs_with(name_section(sub)));
    ASSERT_TRUE(m.ok()) << m.error().message;
    EXPECT_TRUE(m->func_names.empty());
    EXPECT_EQ(m->func_name(0), "");
    ASSERT_EQ(m->customs.size(), 1u);
    EXPECT_EQ(m->customs[0].name, "name");
  }
}

TEST(Decoder, FunctionNamesFallBackToExports) {
  Bytes b = module({kTypeVoid, kOneFunc, section(7, cat({{0x01}, str("exported"), {0x00, 0x00}})),
                    kOneEmptyBody});
  auto m = decode(b);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->func_name(0), "exported");
}

// ---- counts that must agree ------------------------------------------------------------------

TEST(Decoder, FunctionAndCodeCountsMustAgree) {
  const char* kMsg = "function and code section have inconsistent lengths";
  EXPECT_EQ(decode_msg(module({kTypeVoid, kOneFunc, kOneEmptyBody})), "ok");
  EXPECT_EQ(decode_msg(module({kTypeVoid, kOneFunc})), kMsg);  // no code section
  EXPECT_EQ(decode_msg(module({kTypeVoid, kOneEmptyBody})), kMsg);  // no function section
  EXPECT_EQ(decode_msg(module({kTypeVoid, section(3, {0x02, 0x00, 0x00}), kOneEmptyBody})), kMsg);
  EXPECT_EQ(decode_msg(module({kTypeVoid, kOneFunc, section(10, {0x02, 0x02, 0x00, 0x0B, 0x02, 0x00, 0x0B})})),
            kMsg);
  // An empty function section and an empty code section agree.
  EXPECT_EQ(decode_msg(module({section(3, {0x00}), section(10, {0x00})})), "ok");
  // Imported functions do not count.
  Bytes import_f = section(2, cat({{0x01}, str("m"), str("f"), {0x00, 0x00}}));
  EXPECT_EQ(decode_msg(module({kTypeVoid, import_f, kOneFunc, kOneEmptyBody})), "ok");
  EXPECT_EQ(decode_msg(module({kTypeVoid, import_f, kOneEmptyBody})), kMsg);
}

TEST(Decoder, CodeBodiesAreDelimited) {
  Bytes b = module({kTypeVoid, section(3, {0x02, 0x00, 0x00}),
                    section(10, {0x02, 0x02, 0x00, 0x0B, 0x04, 0x01, 0x01, 0x7F, 0x0B})});
  auto m = decode(b);
  ASSERT_TRUE(m.ok()) << m.error().message;
  ASSERT_EQ(m->funcs.size(), 2u);
  EXPECT_EQ(m->funcs[0].body_size, 2u);
  EXPECT_EQ(m->funcs[1].body_size, 4u);
  EXPECT_EQ(m->bytes[m->funcs[1].body_offset], 0x01);  // one run of locals
  EXPECT_EQ(m->funcs[1].body_offset, m->funcs[0].body_offset + 3);
}

TEST(Decoder, DataCountMustMatchDataSection) {
  const char* kMsg = "data count and data section have inconsistent lengths";
  Bytes mem = section(5, {0x01, 0x00, 0x01});
  Bytes one_data = section(11, {0x01, 0x01, 0x00});
  EXPECT_EQ(decode_msg(module({mem, section(12, {0x01}), one_data})), "ok");
  EXPECT_EQ(decode_msg(module({mem, section(12, {0x02}), one_data})), kMsg);
  EXPECT_EQ(decode_msg(module({mem, section(12, {0x00}), one_data})), kMsg);
  EXPECT_EQ(decode_msg(module({mem, section(12, {0x01})})), kMsg);  // no data section
  EXPECT_EQ(decode_msg(module({mem, section(12, {0x00})})), "ok");
  EXPECT_EQ(decode_msg(module({mem, one_data})), "ok");  // data count is optional
}

// ---- UTF-8 names ------------------------------------------------------------------------------

struct Utf8Case {
  const char* what;
  Bytes bytes;
  bool valid;
};
const Utf8Case kUtf8[] = {
    {"empty", {}, true},
    {"ASCII", {'a', 'b', 'c'}, true},
    {"NUL is a character", {0x00}, true},
    {"U+0080", {0xC2, 0x80}, true},
    {"U+00E9", {0xC3, 0xA9}, true},
    {"U+07FF", {0xDF, 0xBF}, true},
    {"U+0800", {0xE0, 0xA0, 0x80}, true},
    {"U+20AC", {0xE2, 0x82, 0xAC}, true},
    {"U+D7FF", {0xED, 0x9F, 0xBF}, true},
    {"U+E000", {0xEE, 0x80, 0x80}, true},
    {"U+FFFF", {0xEF, 0xBF, 0xBF}, true},
    {"U+10000", {0xF0, 0x90, 0x80, 0x80}, true},
    {"U+10FFFF", {0xF4, 0x8F, 0xBF, 0xBF}, true},
    {"overlong NUL (2 bytes)", {0xC0, 0x80}, false},
    {"overlong U+007F (2 bytes)", {0xC1, 0xBF}, false},
    {"overlong U+07FF (3 bytes)", {0xE0, 0x9F, 0xBF}, false},
    {"overlong U+0000 (3 bytes)", {0xE0, 0x80, 0x80}, false},
    {"overlong U+FFFF (4 bytes)", {0xF0, 0x8F, 0xBF, 0xBF}, false},
    {"surrogate U+D800", {0xED, 0xA0, 0x80}, false},
    {"surrogate U+DBFF", {0xED, 0xAF, 0xBF}, false},
    {"surrogate U+DC00", {0xED, 0xB0, 0x80}, false},
    {"surrogate U+DFFF", {0xED, 0xBF, 0xBF}, false},
    {"surrogate pair as CESU-8", {0xED, 0xA0, 0xBD, 0xED, 0xB2, 0xA9}, false},
    {"U+110000", {0xF4, 0x90, 0x80, 0x80}, false},
    {"U+1FFFFF", {0xF7, 0xBF, 0xBF, 0xBF}, false},
    {"5-byte form", {0xF8, 0x88, 0x80, 0x80, 0x80}, false},
    {"6-byte form", {0xFC, 0x84, 0x80, 0x80, 0x80, 0x80}, false},
    {"0xFE", {0xFE}, false},
    {"0xFF", {0xFF}, false},
    {"lone continuation byte", {0x80}, false},
    {"continuation after ASCII", {'a', 0xBF}, false},
    {"truncated 2-byte", {0xC3}, false},
    {"truncated 3-byte", {0xE2, 0x82}, false},
    {"truncated 4-byte", {0xF0, 0x90, 0x80}, false},
    {"truncated, then ASCII", {0xE2, 0x82, 'a'}, false},
    {"lead byte without continuation", {0xC3, 'a'}, false},
    {"4-byte lead, 3 continuations then lead", {0xF0, 0x90, 0x80, 0xC3, 0xA9}, false},
};

TEST(Decoder, Utf8Checker) {
  for (const Utf8Case& c : kUtf8) {
    SCOPED_TRACE(c.what);
    // An exactly-sized heap copy so reading past the end would be caught.
    std::unique_ptr<uint8_t[]> p(new uint8_t[c.bytes.size() + 1]);
    std::copy(c.bytes.begin(), c.bytes.end(), p.get());
    EXPECT_EQ(valid_utf8(p.get(), c.bytes.size()), c.valid);
  }
}

TEST(Decoder, NonUtf8NamesAreMalformed) {
  const char* kMsg = "malformed UTF-8 encoding";
  for (const Utf8Case& c : kUtf8) {
    SCOPED_TRACE(c.what);
    std::string want = c.valid ? "ok" : kMsg;
    // Import module name and field name.
    EXPECT_EQ(decode_msg(module({section(2, cat({{0x01}, raw_str(c.bytes), str("f"), {0x03, 0x7F, 0x00}}))})),
              want);
    EXPECT_EQ(decode_msg(module({section(2, cat({{0x01}, str("m"), raw_str(c.bytes), {0x03, 0x7F, 0x00}}))})),
              want);
    // Export name.
    EXPECT_EQ(decode_msg(module({kTypeVoid, kOneFunc, section(7, cat({{0x01}, raw_str(c.bytes), {0x00, 0x00}})),
                                 kOneEmptyBody})),
              want);
    // Custom section name.
    EXPECT_EQ(decode_msg(module({section(0, raw_str(c.bytes))})), want);
  }
}

TEST(Decoder, Utf8ErrorIsAtTheName) {
  Bytes b = module({section(2, cat({{0x01}, str("m"), raw_str({0xED, 0xA0, 0x80}), {0x03, 0x7F, 0x00}}))});
  auto m = decode(b);
  ASSERT_FALSE(m.ok());
  // header 8, section id + size 2, count 1, "m" 2, length byte 1.
  EXPECT_EQ(m.error().offset, 14u);
}

// ---- other malformations ------------------------------------------------------------------------

TEST(Decoder, MalformedTypesAndKinds) {
  EXPECT_EQ(decode_msg(module({section(1, {0x01, 0x61, 0x00, 0x00})})), "malformed function type");
  EXPECT_EQ(decode_msg(module({section(1, {0x01, 0x60, 0x01, 0x40, 0x00})})), "malformed value type");
  EXPECT_EQ(decode_msg(module({section(1, {0x01, 0x60, 0x00, 0x01, 0x00})})), "malformed value type");
  // A bad type is reported even when the declared count runs past the
  // section: the reference decoder reads them one by one.
  EXPECT_EQ(decode_msg(module({section(1, {0x01, 0x60, 0x05, 0x7F, 0x00})})), "malformed value type");
  EXPECT_EQ(decode_msg(module({section(1, {0x01, 0x60, 0x05, 0x7F, 0x7E})})), kEndOfSection);
  EXPECT_EQ(decode_msg(module({section(2, cat({{0x01}, str("m"), str("f"), {0x04, 0x00}}))})),
            "malformed import kind");
  EXPECT_EQ(decode_msg(module({section(6, {0x01, 0x7F, 0x02, 0x41, 0x00, 0x0B})})), "malformed mutability");
  EXPECT_EQ(decode_msg(module({section(4, {0x01, 0x7F, 0x00, 0x00})})), "malformed reference type");
  EXPECT_EQ(decode_msg(module({kTypeVoid, kOneFunc, section(7, cat({{0x01}, str("e"), {0x04, 0x00}})),
                               kOneEmptyBody})),
            "malformed export kind");
}

TEST(Decoder, LimitsFlags) {
  EXPECT_EQ(decode_msg(module({section(5, {0x01, 0x00, 0x01})})), "ok");
  EXPECT_EQ(decode_msg(module({section(5, {0x01, 0x01, 0x01, 0x02})})), "ok");
  // Shared (threads) and 64-bit (memory64) limits: the spec's "integer too
  // large" first, then what they are.
  EXPECT_EQ(decode_msg(module({section(5, {0x01, 0x02, 0x01})})),
            "integer too large: limits flags 0x02 and 0x03, shared memories (threads), are not supported");
  EXPECT_EQ(decode_msg(module({section(5, {0x01, 0x04, 0x01})})),
            "integer too large: limits flags 0x04 to 0x07, 64-bit memories and tables (memory64), are not supported yet");
  EXPECT_EQ(decode_msg(module({section(5, {0x01, 0x10, 0x01})})), "integer too large");
  EXPECT_EQ(decode_msg(module({section(5, {0x01, 0x81, 0x00, 0x01})})), "integer representation too long");
  EXPECT_EQ(decode_msg(module({section(5, {0x01, 0x01, 0x01})})), "unexpected end of section or function");
  auto m = decode(module({section(5, {0x01, 0x01, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F})}));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->memories[0].type.limits.min, 2u);
  EXPECT_TRUE(m->memories[0].type.limits.has_max);
  EXPECT_EQ(m->memories[0].type.limits.max, 0xFFFFFFFFu);
}

TEST(Decoder, ImportsFillTheIndexSpaces) {
  Bytes imports = cat({{0x04},
                       str("m"), str("f"), {0x00, 0x00},
                       str("m"), str("t"), {0x01, 0x6F, 0x00, 0x01},
                       str("m"), str("mem"), {0x02, 0x00, 0x01},
                       str("m"), str("g"), {0x03, 0x7E, 0x01}});
  auto m = decode(module({kTypeVoid, section(2, imports), kOneFunc, kOneEmptyBody}));
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->num_imported_funcs, 1u);
  EXPECT_EQ(m->num_imported_tables, 1u);
  EXPECT_EQ(m->num_imported_memories, 1u);
  EXPECT_EQ(m->num_imported_globals, 1u);
  ASSERT_EQ(m->funcs.size(), 2u);
  EXPECT_TRUE(m->funcs[0].imported);
  EXPECT_FALSE(m->funcs[1].imported);
  EXPECT_EQ(m->tables[0].type.elem, ValType::ExternRef);
  EXPECT_EQ(m->globals[0].type.type, ValType::I64);
  EXPECT_TRUE(m->globals[0].type.mut);
  EXPECT_EQ(m->imports[2].name, "mem");
  EXPECT_EQ(m->imports[2].kind, ExternKind::Memory);
}

TEST(Decoder, BorrowedBytesAreNotCopied) {
  Bytes b = module({kTypeVoid, kOneFunc, kOneEmptyBody});
  auto m = decode_borrowed(b.data(), b.size());
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->bytes, b.data());
  EXPECT_TRUE(m->owned.empty());
}

}  // namespace
}  // namespace wisp
