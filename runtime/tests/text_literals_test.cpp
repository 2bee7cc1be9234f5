// Numeric literals of the text format: integers in every form, floats with
// exact rounding, NaN payloads, and the errors for each.
#include <gtest/gtest.h>

#include <cstring>

#include "runtime/text/numbers.hpp"

namespace wisp::text {
namespace {

std::string i32(std::string_view s) {
  uint64_t v;
  switch (parse_int(s, 32, v)) {
    case NumResult::Syntax: return "syntax";
    case NumResult::Range: return "range";
    case NumResult::Ok: break;
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", unsigned(v));
  return buf;
}

std::string i64(std::string_view s) {
  uint64_t v;
  switch (parse_int(s, 64, v)) {
    case NumResult::Syntax: return "syntax";
    case NumResult::Range: return "range";
    case NumResult::Ok: break;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string f32(std::string_view s) {
  uint32_t v;
  switch (parse_f32(s, v)) {
    case NumResult::Syntax: return "syntax";
    case NumResult::Range: return "range";
    case NumResult::Ok: break;
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", v);
  return buf;
}

std::string f64(std::string_view s) {
  uint64_t v;
  switch (parse_f64(s, v)) {
    case NumResult::Syntax: return "syntax";
    case NumResult::Range: return "range";
    case NumResult::Ok: break;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

TEST(TextLiterals, IntegerForms) {
  EXPECT_EQ(i32("0"), "00000000");
  EXPECT_EQ(i32("+42"), "0000002a");
  EXPECT_EQ(i32("-1"), "ffffffff");
  EXPECT_EQ(i32("0x7fff_ffff"), "7fffffff");
  EXPECT_EQ(i32("1_000_000"), "000f4240");
  EXPECT_EQ(i32("0xABCDef"), "00abcdef");
}

TEST(TextLiterals, I32Range) {
  EXPECT_EQ(i32("4294967295"), "ffffffff");   // unsigned max
  EXPECT_EQ(i32("-2147483648"), "80000000");  // signed min
  EXPECT_EQ(i32("4294967296"), "range");
  EXPECT_EQ(i32("-2147483649"), "range");
  EXPECT_EQ(i32("0x1_0000_0000"), "range");
}

TEST(TextLiterals, I64Limits) {
  EXPECT_EQ(i64("18446744073709551615"), "ffffffffffffffff");
  EXPECT_EQ(i64("-9223372036854775808"), "8000000000000000");
  EXPECT_EQ(i64("9223372036854775807"), "7fffffffffffffff");
  EXPECT_EQ(i64("18446744073709551616"), "range");
  EXPECT_EQ(i64("-9223372036854775809"), "range");
  EXPECT_EQ(i64("0xffff_ffff_ffff_ffff"), "ffffffffffffffff");
  EXPECT_EQ(i64("0x1_0000_0000_0000_0000"), "range");
  EXPECT_EQ(i64("99999999999999999999999999999"), "range");
}

TEST(TextLiterals, IntegerSyntaxErrors) {
  for (const char* s : {"", "+", "-", "0x", "1x", "0xg", "_1", "1_", "1__0", "0x_1", "--1", "1.0", "+-1", "0X1"})
    EXPECT_EQ(i32(s), "syntax") << s;
  // A syntax error after an overflowing prefix is still a syntax error.
  EXPECT_EQ(i64("99999999999999999999999x"), "syntax");
}

TEST(TextLiterals, DecimalFloats) {
  EXPECT_EQ(f32("1"), "3f800000");
  EXPECT_EQ(f32("-0"), "80000000");
  EXPECT_EQ(f32("1."), "3f800000");
  EXPECT_EQ(f32("1.e1"), "41200000");
  EXPECT_EQ(f32("1_000.000_1"), "447a0002");
  EXPECT_EQ(f32("1e-45"), "00000001");  // rounds to the smallest subnormal
  EXPECT_EQ(f32("1e-46"), "00000000");  // underflows to zero, not an error
  EXPECT_EQ(f64("1.5e308"), "7feab36d48e1acf0");
  EXPECT_EQ(f64("4.9e-324"), "0000000000000001");
  EXPECT_EQ(f64("1e-400"), "0000000000000000");
  EXPECT_EQ(f64("-1E+2"), "c059000000000000");
}

TEST(TextLiterals, FloatsRoundDirectlyToTarget) {
  // f32: halfway between 1 and the next float rounds to even (1).
  EXPECT_EQ(f32("1.000000059604644775390625"), "3f800000");
  // ...and anything above halfway rounds up.
  EXPECT_EQ(f32("1.000000059604644775390626"), "3f800001");
  // The largest f32, and the boundary where rounding reaches infinity.
  EXPECT_EQ(f32("3.4028234663852886e38"), "7f7fffff");
  EXPECT_EQ(f32("3.4028235677973366e38"), "7f7fffff");
  EXPECT_EQ(f32("3.4028235677973367e38"), "range");
  EXPECT_EQ(f64("1.7976931348623157e308"), "7fefffffffffffff");
  EXPECT_EQ(f64("1.7976931348623159e308"), "range");
  EXPECT_EQ(f64("1e400"), "range");
}

TEST(TextLiterals, HexFloatsRoundToNearestEven) {
  EXPECT_EQ(f32("0x1p0"), "3f800000");
  EXPECT_EQ(f32("0x1.fffffep127"), "7f7fffff");
  EXPECT_EQ(f32("-0x1p-149"), "80000001");
  EXPECT_EQ(f32("0x1p-150"), "00000000");       // exactly half the smallest: ties to even (0)
  EXPECT_EQ(f32("0x1.000001p-150"), "00000001"); // just above half
  EXPECT_EQ(f32("0x1.000001p0"), "3f800000");    // halfway, even stays
  EXPECT_EQ(f32("0x1.000003p0"), "3f800002");    // halfway, odd rounds up
  EXPECT_EQ(f32("0x1.0000010000000000000001p0"), "3f800001");  // sticky bit far away
  EXPECT_EQ(f32("0x1.ffffffp127"), "range");     // rounds up to 2^128
  EXPECT_EQ(f32("0x1.fffffefffffffffp127"), "7f7fffff");
  EXPECT_EQ(f64("0x1.000000000000080000000001p0"), "3ff0000000000001");
  EXPECT_EQ(f64("0x1.0000000000000800p0"), "3ff0000000000000");
  EXPECT_EQ(f64("0x0.0000000000001p-1022"), "0000000000000001");
  EXPECT_EQ(f64("0x1p-1075"), "0000000000000000");
  EXPECT_EQ(f64("0x1.8p-1074"), "0000000000000002");  // 1.5 * min subnormal rounds to 2
  EXPECT_EQ(f64("0x.8p1"), "syntax");
  EXPECT_EQ(f64("0x1P+4"), "4030000000000000");
  EXPECT_EQ(f64("0x1_0p0"), "4030000000000000");
  EXPECT_EQ(f32("0x1p1_0"), "44800000");
  // Huge exponents and mantissas do not overflow the converter.
  EXPECT_EQ(f64("0x1p99999999999999999999"), "range");
  EXPECT_EQ(f64("0x1p-99999999999999999999"), "0000000000000000");
  // 1 - 2^-20000: only the sticky bit remembers the tail, and it rounds to 1.
  EXPECT_EQ(f64("0x" + std::string(5000, 'f') + "p-20000"), "3ff0000000000000");
  EXPECT_EQ(f64("0x" + std::string(5000, '0') + "1p0"), "3ff0000000000000");
}

TEST(TextLiterals, InfAndNan) {
  EXPECT_EQ(f32("inf"), "7f800000");
  EXPECT_EQ(f32("-inf"), "ff800000");
  EXPECT_EQ(f32("nan"), "7fc00000");
  EXPECT_EQ(f32("-nan"), "ffc00000");
  EXPECT_EQ(f32("nan:0x1"), "7f800001");
  EXPECT_EQ(f32("+nan:0x7fffff"), "7fffffff");
  EXPECT_EQ(f32("-nan:0x200000"), "ffa00000");
  EXPECT_EQ(f32("nan:0x800000"), "range");  // payload wider than the mantissa
  EXPECT_EQ(f32("nan:0x0"), "range");       // that would be infinity
  EXPECT_EQ(f64("nan:0xf_ffff_ffff_ffff"), "7fffffffffffffff");
  EXPECT_EQ(f64("nan:0x10_0000_0000_0000"), "range");
  EXPECT_EQ(f64("nan"), "7ff8000000000000");
  EXPECT_EQ(f64("nan:canonical"), "syntax");
  EXPECT_EQ(f64("infinity"), "syntax");
}

TEST(TextLiterals, FloatSyntaxErrors) {
  for (const char* s : {".0", ".0e0", "0e", "0e+", "0.0e", "0.0e-", "0x", "1x", "0xg", "0x.", "0x0.g", "0x0p",
                        "0x0p+", "0x0p-", "0x0.0p", "0x0pA", "nan:1", "nan:0x", "nan:0xg", "1_.0", "1._0",
                        "1.0e_1", "0x_1p0", "++1", "", "1e1.5"})
    EXPECT_EQ(f64(s), "syntax") << s;
}

TEST(TextLiterals, LongDecimalsAreExact) {
  // 2^-1074 * 1.5 written out with many digits: must round to 2 ulps.
  EXPECT_EQ(f64("7.4109846876186981626485318930233205854758970392148714663837852375101326090531312779794975454245398856969484704316857659638998506553390969459816219401617281718945106978546710679176872575177347315553307795408549809608457500958111373034747658096871009590975442271004757307809711118935784838675653998783503015228055934046593739791790738723868299395818481660169122019456499931289798411362062484498678713572180352209017023903285791732520220528974020802906854021606612375549983402671300035812486479041385743401875520901590172592547146296175134159774938718574737870961645638908718119841271673056017045493004705269590165763776884908267986972573366521765567941072508764337560846003984904972149117463085539556354188641513168478436313080237596295773983001708984375e-324"),
            "0000000000000002");
  // A digit far past the 767 significant digits that can matter still breaks a tie.
  EXPECT_EQ(f32("1.000000059604644775390625" + std::string(2000, '0') + "1"), "3f800001");
}

}  // namespace
}  // namespace wisp::text
