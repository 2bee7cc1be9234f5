// The body walker's syntax-only mode (body_syntax.hpp), and the values the
// validator records for constant expressions.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "runtime/text/wat.hpp"
#include "runtime/valid/body_syntax.hpp"
#include "runtime/valid/decoder.hpp"
#include "runtime/valid/validator.hpp"

namespace wisp {
namespace {

Module decoded(const char* wat) {
  auto bin = text::parse_wat(wat);
  EXPECT_TRUE(bin.ok());
  auto m = decode(std::move(bin.value()));
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
  return std::move(m.value());
}

// What a sink sees: "local COUNT TYPE" and "OPEN op" lines.
struct Trace {
  std::string out;
  int stop_after = -1;
  InstrSink sink() {
    InstrSink s;
    s.ctx = this;
    s.local = [](void* p, uint32_t n, ValType t) {
      static_cast<Trace*>(p)->out += "local " + std::to_string(n) + " " + std::string(to_string(t)) + "\n";
    };
    s.instr = [](void* p, const Instr& in, uint32_t open) {
      auto* self = static_cast<Trace*>(p);
      self->out += std::to_string(open) + " " + std::string(op_info(in.op).text) + "\n";
      return self->stop_after < 0 || --self->stop_after > 0;
    };
    return s;
  }
};

TEST(BodySyntax, HandsTheSinkLocalsAndInstructionsWithTheirNesting) {
  Module m = decoded(R"((func (param i32) (local i64 i64) (local f32)
      block
        local.get 0
        if
          nop
        else
          loop
            br 0
          end
        end
      end))");
  Trace t;
  InstrSink s = t.sink();
  EXPECT_FALSE(read_body_syntax(m, 0, &s).has_value());
  EXPECT_EQ(t.out,
            "local 2 i64\nlocal 1 f32\n"
            "0 block\n1 local.get\n1 if\n2 nop\n2 else\n2 loop\n3 br\n3 end\n2 end\n1 end\n0 end\n");
}

TEST(BodySyntax, TheSinkMayStopTheWalk) {
  Module m = decoded("(func nop nop nop)");
  Trace t;
  t.stop_after = 2;
  InstrSink s = t.sink();
  EXPECT_FALSE(read_body_syntax(m, 0, &s).has_value());
  EXPECT_EQ(t.out, "0 nop\n0 nop\n");
}

TEST(BodySyntax, NoTypesAreChecked) {
  // Invalid (i64 where i32 is wanted, unknown local) but well formed.
  Module m = decoded("(func (result i32) i64.const 1)");
  EXPECT_FALSE(find_malformed_body(m).has_value());
  EXPECT_FALSE(validate(m).ok());
}

TEST(BodySyntax, ConstantExpressionsEndAtTheirMatchingEnd) {
  // i32.const 7, block end, end; then a byte that is not part of it.
  const uint8_t bytes[] = {0x41, 0x07, 0x02, 0x40, 0x0B, 0x0B, 0xFF};
  Module m;
  m.bytes = bytes;
  m.size = sizeof bytes;
  Reader r(bytes, bytes, bytes + sizeof bytes);
  EXPECT_TRUE(read_expr_syntax(m, r, nullptr));
  EXPECT_EQ(r.pos(), bytes + 6);
}

TEST(ConstExpr, TheValidatorRecordsWhatInstantiationEvaluates) {
  Module m = decoded(R"(
    (import "m" "g" (global i32))
    (func $f)
    (global i32 (i32.const -5))
    (global i64 (i64.const 0x1122334455667788))
    (global f32 (f32.const 1.5))
    (global v128 (v128.const i32x4 1 2 3 4))
    (global i32 (global.get 0))
    (global funcref (ref.func $f))
    (global externref (ref.null extern)))");
  ASSERT_TRUE(validate(m).ok());
  auto value = [&](uint32_t g, size_t n) {
    EXPECT_EQ(m.globals[g].init.kind, ConstKind::Value);
    std::string bytes(reinterpret_cast<const char*>(m.globals[g].init.value), n);
    return bytes;
  };
  int32_t i32 = -5;
  EXPECT_EQ(value(1, 8), std::string(reinterpret_cast<const char*>(&i32), 4) + std::string(4, '\0'));
  uint64_t i64 = 0x1122334455667788;
  EXPECT_EQ(value(2, 8), std::string(reinterpret_cast<const char*>(&i64), 8));
  float f = 1.5f;
  EXPECT_EQ(value(3, 4), std::string(reinterpret_cast<const char*>(&f), 4));
  uint32_t v[4] = {1, 2, 3, 4};
  EXPECT_EQ(value(4, 16), std::string(reinterpret_cast<const char*>(v), 16));
  EXPECT_EQ(m.globals[5].init.kind, ConstKind::Global);
  EXPECT_EQ(m.globals[5].init.index, 0u);
  EXPECT_EQ(m.globals[6].init.kind, ConstKind::Func);
  EXPECT_EQ(m.globals[6].init.index, 0u);
  EXPECT_EQ(value(7, 16), std::string(16, '\0'));
}

}  // namespace
}  // namespace wisp
