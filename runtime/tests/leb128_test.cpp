// LEB128 decoding at the spec's limits: an N-bit integer takes at most
// ceil(N/7) bytes; the unused bits of the last byte must be zero (unsigned)
// or copies of the sign bit (signed). Every case states the bytes and what
// read_uleb/read_sleb must make of them.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "runtime/interp/immediates.hpp"
#include "runtime/wasm/leb128.hpp"

namespace wisp {
namespace {

using Bytes = std::vector<uint8_t>;

// "<value> len <bytes consumed>" or the error message. A failed read must
// leave the cursor where it was.
template <unsigned Bits, class T>
std::string uleb(const Bytes& b, size_t end = SIZE_MAX) {
  const uint8_t* p = b.data();
  const uint8_t* e = b.data() + std::min(end, b.size());
  T v = T(0x5A);
  LebStatus s = read_uleb<Bits>(p, e, v);
  if (s != LebStatus::Ok) {
    if (p != b.data()) return "cursor moved on failure";
    return leb_message(s);
  }
  return std::to_string(v) + " len " + std::to_string(p - b.data());
}

template <unsigned Bits, class T>
std::string sleb(const Bytes& b, size_t end = SIZE_MAX) {
  const uint8_t* p = b.data();
  const uint8_t* e = b.data() + std::min(end, b.size());
  T v = T(0x5A);
  LebStatus s = read_sleb<Bits>(p, e, v);
  if (s != LebStatus::Ok) {
    if (p != b.data()) return "cursor moved on failure";
    return leb_message(s);
  }
  return std::to_string(v) + " len " + std::to_string(p - b.data());
}

std::string ok(int64_t v, int len) { return std::to_string(v) + " len " + std::to_string(len); }
std::string ok_u(uint64_t v, int len) { return std::to_string(v) + " len " + std::to_string(len); }

constexpr const char* kTooLong = "integer representation too long";
constexpr const char* kTooLarge = "integer too large";
constexpr const char* kEnd = "unexpected end";

// ---- u1: the limits flags of Wasm 2.0 ----------------------------------------

TEST(Leb128, U1) {
  EXPECT_EQ((uleb<1, uint8_t>({0x00})), ok_u(0, 1));
  EXPECT_EQ((uleb<1, uint8_t>({0x01})), ok_u(1, 1));
  EXPECT_EQ((uleb<1, uint8_t>({0x01, 0xFF})), ok_u(1, 1));  // stops after one byte
  EXPECT_EQ((uleb<1, uint8_t>({0x02})), kTooLarge);
  EXPECT_EQ((uleb<1, uint8_t>({0x7F})), kTooLarge);
  EXPECT_EQ((uleb<1, uint8_t>({0x40})), kTooLarge);
  // One byte is the most a u1 may take: any continuation bit is too long,
  // even for a value that would fit (0x81 0x00 is 1, 0x80 0x00 is 0).
  EXPECT_EQ((uleb<1, uint8_t>({0x80, 0x00})), kTooLong);
  EXPECT_EQ((uleb<1, uint8_t>({0x81, 0x00})), kTooLong);
  EXPECT_EQ((uleb<1, uint8_t>({0x80})), kTooLong);
  EXPECT_EQ((uleb<1, uint8_t>({})), kEnd);
}

// ---- s7: the function type form (0x60) ---------------------------------------

TEST(Leb128, S7) {
  EXPECT_EQ((sleb<7, int8_t>({0x00})), ok(0, 1));
  EXPECT_EQ((sleb<7, int8_t>({0x3F})), ok(63, 1));
  EXPECT_EQ((sleb<7, int8_t>({0x40})), ok(-64, 1));
  EXPECT_EQ((sleb<7, int8_t>({0x60})), ok(-32, 1));  // the func type form
  EXPECT_EQ((sleb<7, int8_t>({0x7F})), ok(-1, 1));
  EXPECT_EQ((sleb<7, int8_t>({0x80, 0x00})), kTooLong);
  EXPECT_EQ((sleb<7, int8_t>({0xE0, 0x7F})), kTooLong);  // -32, padded
  EXPECT_EQ((sleb<7, int8_t>({0xFF})), kTooLong);
  EXPECT_EQ((sleb<7, int8_t>({})), kEnd);
}

// ---- u32 ----------------------------------------------------------------------

TEST(Leb128, U32Limits) {
  EXPECT_EQ((uleb<32, uint32_t>({0x00})), ok_u(0, 1));
  EXPECT_EQ((uleb<32, uint32_t>({0x7F})), ok_u(127, 1));
  EXPECT_EQ((uleb<32, uint32_t>({0x80, 0x01})), ok_u(128, 2));
  EXPECT_EQ((uleb<32, uint32_t>({0xE5, 0x8E, 0x26})), ok_u(624485, 3));
  EXPECT_EQ((uleb<32, uint32_t>({0xFF, 0xFF, 0xFF, 0xFF, 0x0F})), ok_u(0xFFFFFFFFu, 5));
  EXPECT_EQ((uleb<32, uint32_t>({0x80, 0x80, 0x80, 0x80, 0x08})), ok_u(0x80000000u, 5));
}

TEST(Leb128, U32NonMinimalButValid) {
  EXPECT_EQ((uleb<32, uint32_t>({0x80, 0x00})), ok_u(0, 2));
  EXPECT_EQ((uleb<32, uint32_t>({0x80, 0x80, 0x80, 0x80, 0x00})), ok_u(0, 5));
  EXPECT_EQ((uleb<32, uint32_t>({0x83, 0x80, 0x80, 0x00})), ok_u(3, 4));
  EXPECT_EQ((uleb<32, uint32_t>({0xFF, 0x80, 0x80, 0x80, 0x00})), ok_u(127, 5));
}

TEST(Leb128, U32TooLongAndTooLarge) {
  // A sixth byte is never allowed, even for 0.
  EXPECT_EQ((uleb<32, uint32_t>({0x80, 0x80, 0x80, 0x80, 0x80, 0x00})), kTooLong);
  EXPECT_EQ((uleb<32, uint32_t>({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F})), kTooLong);
  // The fifth byte carries 4 value bits; each of the 3 unused ones is checked.
  EXPECT_EQ((uleb<32, uint32_t>({0xFF, 0xFF, 0xFF, 0xFF, 0x1F})), kTooLarge);
  EXPECT_EQ((uleb<32, uint32_t>({0x80, 0x80, 0x80, 0x80, 0x10})), kTooLarge);
  EXPECT_EQ((uleb<32, uint32_t>({0x80, 0x80, 0x80, 0x80, 0x20})), kTooLarge);
  EXPECT_EQ((uleb<32, uint32_t>({0x80, 0x80, 0x80, 0x80, 0x40})), kTooLarge);
  EXPECT_EQ((uleb<32, uint32_t>({0x80, 0x80, 0x80, 0x80, 0x70})), kTooLarge);
  // Too long is reported before the unused bits are looked at.
  EXPECT_EQ((uleb<32, uint32_t>({0x80, 0x80, 0x80, 0x80, 0xF0, 0x00})), kTooLong);
}

TEST(Leb128, U32Truncated) {
  EXPECT_EQ((uleb<32, uint32_t>({})), kEnd);
  EXPECT_EQ((uleb<32, uint32_t>({0x80})), kEnd);
  EXPECT_EQ((uleb<32, uint32_t>({0xFF, 0xFF, 0xFF, 0xFF})), kEnd);
  // The bytes after `end` are not read even when they would complete it.
  EXPECT_EQ((uleb<32, uint32_t>({0x80, 0x01}, 1)), kEnd);
  EXPECT_EQ((uleb<32, uint32_t>({0x7F}, 0)), kEnd);  // the one-byte path too
}

// ---- s32 ----------------------------------------------------------------------

TEST(Leb128, S32Limits) {
  EXPECT_EQ((sleb<32, int32_t>({0x00})), ok(0, 1));
  EXPECT_EQ((sleb<32, int32_t>({0x3F})), ok(63, 1));
  EXPECT_EQ((sleb<32, int32_t>({0x40})), ok(-64, 1));
  EXPECT_EQ((sleb<32, int32_t>({0xC0, 0x00})), ok(64, 2));
  EXPECT_EQ((sleb<32, int32_t>({0xBF, 0x7F})), ok(-65, 2));
  EXPECT_EQ((sleb<32, int32_t>({0xFF, 0xFF, 0xFF, 0xFF, 0x07})), ok(INT32_MAX, 5));
  EXPECT_EQ((sleb<32, int32_t>({0x80, 0x80, 0x80, 0x80, 0x78})), ok(INT32_MIN, 5));
}

TEST(Leb128, S32NonMinimalButValid) {
  EXPECT_EQ((sleb<32, int32_t>({0x80, 0x00})), ok(0, 2));
  EXPECT_EQ((sleb<32, int32_t>({0xFF, 0x7F})), ok(-1, 2));
  EXPECT_EQ((sleb<32, int32_t>({0xFF, 0xFF, 0xFF, 0xFF, 0x7F})), ok(-1, 5));
  EXPECT_EQ((sleb<32, int32_t>({0x80, 0x80, 0x80, 0x80, 0x00})), ok(0, 5));
}

TEST(Leb128, S32TooLongAndTooLarge) {
  EXPECT_EQ((sleb<32, int32_t>({0x80, 0x80, 0x80, 0x80, 0x80, 0x00})), kTooLong);
  EXPECT_EQ((sleb<32, int32_t>({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F})), kTooLong);
  // Positive: the sign bit (0x08) is clear, so the three bits above it must be 0.
  EXPECT_EQ((sleb<32, int32_t>({0xFF, 0xFF, 0xFF, 0xFF, 0x0F})), kTooLarge);
  EXPECT_EQ((sleb<32, int32_t>({0x80, 0x80, 0x80, 0x80, 0x10})), kTooLarge);
  EXPECT_EQ((sleb<32, int32_t>({0x80, 0x80, 0x80, 0x80, 0x47})), kTooLarge);
  // Negative: the sign bit is set, so the bits above it must be 1.
  EXPECT_EQ((sleb<32, int32_t>({0x80, 0x80, 0x80, 0x80, 0x70})), kTooLarge);
  EXPECT_EQ((sleb<32, int32_t>({0xFF, 0xFF, 0xFF, 0xFF, 0x6F})), kTooLarge);
  EXPECT_EQ((sleb<32, int32_t>({0x80, 0x80, 0x80, 0x80, 0x38})), kTooLarge);
}

TEST(Leb128, S32Truncated) {
  EXPECT_EQ((sleb<32, int32_t>({})), kEnd);
  EXPECT_EQ((sleb<32, int32_t>({0xFF})), kEnd);
  EXPECT_EQ((sleb<32, int32_t>({0x80, 0x80, 0x80, 0x80})), kEnd);
  EXPECT_EQ((sleb<32, int32_t>({0xBF, 0x7F}, 1)), kEnd);
}

// ---- s33: block types ----------------------------------------------------------

TEST(Leb128, S33BlockTypes) {
  EXPECT_EQ((sleb<33, int64_t>({0x40})), ok(-64, 1));  // empty block type
  EXPECT_EQ((sleb<33, int64_t>({0x7F})), ok(-1, 1));   // i32
  EXPECT_EQ((sleb<33, int64_t>({0x00})), ok(0, 1));    // type index 0
  EXPECT_EQ((sleb<33, int64_t>({0x80, 0x01})), ok(128, 2));
  // Type indices go up to 2^32-1, one more bit than s32 allows.
  EXPECT_EQ((sleb<33, int64_t>({0xFF, 0xFF, 0xFF, 0xFF, 0x0F})), ok(0xFFFFFFFFll, 5));
  EXPECT_EQ((sleb<33, int64_t>({0x80, 0x80, 0x80, 0x80, 0x70})), ok(-(1ll << 32), 5));
  EXPECT_EQ((sleb<33, int64_t>({0xFF, 0xFF, 0xFF, 0xFF, 0x7F})), ok(-1, 5));
  EXPECT_EQ((sleb<33, int64_t>({0xC0, 0xFF, 0xFF, 0xFF, 0x7F})), ok(-64, 5));  // 0x40, padded
}

TEST(Leb128, S33Errors) {
  EXPECT_EQ((sleb<33, int64_t>({0x80, 0x80, 0x80, 0x80, 0x80, 0x00})), kTooLong);
  EXPECT_EQ((sleb<33, int64_t>({0xFF, 0xFF, 0xFF, 0xFF, 0x1F})), kTooLarge);  // positive
  EXPECT_EQ((sleb<33, int64_t>({0x80, 0x80, 0x80, 0x80, 0x20})), kTooLarge);
  EXPECT_EQ((sleb<33, int64_t>({0x80, 0x80, 0x80, 0x80, 0x60})), kTooLarge);  // negative
  EXPECT_EQ((sleb<33, int64_t>({0xFF, 0xFF, 0xFF, 0xFF, 0x5F})), kTooLarge);
  EXPECT_EQ((sleb<33, int64_t>({0xC0, 0xFF})), kEnd);
}

// ---- u64 / s64 -----------------------------------------------------------------

TEST(Leb128, U64) {
  EXPECT_EQ((uleb<64, uint64_t>({0x00})), ok_u(0, 1));
  EXPECT_EQ((uleb<64, uint64_t>({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01})),
            ok_u(UINT64_MAX, 10));
  EXPECT_EQ((uleb<64, uint64_t>({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01})),
            ok_u(1ull << 63, 10));
  EXPECT_EQ((uleb<64, uint64_t>({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00})),
            ok_u(0, 10));
  EXPECT_EQ((uleb<64, uint64_t>({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00})),
            kTooLong);
  // The tenth byte carries one value bit.
  EXPECT_EQ((uleb<64, uint64_t>({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02})),
            kTooLarge);
  EXPECT_EQ((uleb<64, uint64_t>({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7E})),
            kTooLarge);
  EXPECT_EQ((uleb<64, uint64_t>({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF})), kEnd);
}

TEST(Leb128, S64) {
  EXPECT_EQ((sleb<64, int64_t>({0x7F})), ok(-1, 1));
  EXPECT_EQ((sleb<64, int64_t>({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00})),
            ok(INT64_MAX, 10));
  EXPECT_EQ((sleb<64, int64_t>({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F})),
            ok(INT64_MIN, 10));
  EXPECT_EQ((sleb<64, int64_t>({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F})),
            ok(-1, 10));
  EXPECT_EQ((sleb<64, int64_t>({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F})),
            kTooLong);
  // Positive with the unused bits set, negative with them clear.
  EXPECT_EQ((sleb<64, int64_t>({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01})),
            kTooLarge);
  EXPECT_EQ((sleb<64, int64_t>({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02})),
            kTooLarge);
  EXPECT_EQ((sleb<64, int64_t>({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7E})),
            kTooLarge);
  EXPECT_EQ((sleb<64, int64_t>({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x40})),
            kTooLarge);
  EXPECT_EQ((sleb<64, int64_t>({0xFF, 0xFF, 0xFF})), kEnd);
}

// ---- every length, and every truncation ---------------------------------------

// The value 1 << 7(n-1) is the smallest that needs n bytes.
template <unsigned Bits, class T>
void check_every_unsigned_length() {
  constexpr unsigned kMax = (Bits + 6) / 7;
  for (unsigned n = 1; n <= kMax; ++n) {
    SCOPED_TRACE("u" + std::to_string(Bits) + ", " + std::to_string(n) + " bytes");
    uint64_t v = uint64_t(1) << (7 * (n - 1));
    Bytes b;
    write_uleb(b, v);
    ASSERT_EQ(b.size(), n);
    EXPECT_EQ((uleb<Bits, T>(b)), ok_u(v, int(n)));
    // The same small value padded out to n bytes.
    Bytes padded(n, 0x80);
    padded[0] = 0x85;
    padded[n - 1] = n == 1 ? 0x05 : 0x00;
    EXPECT_EQ((uleb<Bits, T>(padded)), ok_u(5, int(n)));
    for (size_t cut = 0; cut < n; ++cut) EXPECT_EQ((uleb<Bits, T>(b, cut)), kEnd) << "cut at " << cut;
  }
  Bytes too_long(kMax + 1, 0x80);
  too_long.back() = 0x00;
  EXPECT_EQ((uleb<Bits, T>(too_long)), kTooLong);
}

template <unsigned Bits, class T>
void check_every_signed_length() {
  constexpr unsigned kMax = (Bits + 6) / 7;
  for (unsigned n = 1; n <= kMax; ++n) {
    SCOPED_TRACE("s" + std::to_string(Bits) + ", " + std::to_string(n) + " bytes");
    // -(1 << (7n-8)) - 1 and 1 << (7n-8) are the first values to need n
    // bytes (the sign bit takes one of the seven).
    for (int64_t v : {n == 1 ? int64_t(-1) : -(int64_t(1) << (7 * n - 8)) - 1,
                      n == 1 ? int64_t(1) : int64_t(1) << (7 * n - 8)}) {
      if (n == kMax && Bits < 64) {
        // Clamp to the type's range: the last length holds the extremes.
        int64_t lim = int64_t(1) << (Bits - 1);
        v = v < 0 ? -lim : lim - 1;
      }
      Bytes b;
      write_sleb(b, v);
      ASSERT_EQ(b.size(), n) << v;
      EXPECT_EQ((sleb<Bits, T>(b)), ok(v, int(n)));
      for (size_t cut = 0; cut < n; ++cut) EXPECT_EQ((sleb<Bits, T>(b, cut)), kEnd) << "cut at " << cut;
    }
    // -1 padded out to n bytes.
    Bytes padded(n, 0xFF);
    padded[n - 1] = 0x7F;
    EXPECT_EQ((sleb<Bits, T>(padded)), ok(-1, int(n)));
  }
  Bytes too_long(kMax + 1, 0xFF);
  too_long.back() = 0x7F;
  EXPECT_EQ((sleb<Bits, T>(too_long)), kTooLong);
}

TEST(Leb128, EveryLengthUnsigned) {
  check_every_unsigned_length<32, uint32_t>();
  check_every_unsigned_length<64, uint64_t>();
}

TEST(Leb128, EveryLengthSigned) {
  check_every_signed_length<32, int32_t>();
  check_every_signed_length<33, int64_t>();
  check_every_signed_length<64, int64_t>();
}

// ---- the one-byte fast path ------------------------------------------------------

TEST(Leb128, OneByteFastPathAgreesWithTheGeneralPath) {
  // Every single byte, followed by a terminator so that a byte with the
  // continuation bit takes the general path.
  for (unsigned b = 0; b < 256; ++b) {
    SCOPED_TRACE(b);
    Bytes in = {uint8_t(b), 0x00};
    if (b < 0x80) {
      EXPECT_EQ((uleb<32, uint32_t>(in)), ok_u(b, 1));
      EXPECT_EQ((sleb<32, int32_t>(in)), ok(b >= 0x40 ? int(b) - 0x80 : int(b), 1));
      EXPECT_EQ((sleb<64, int64_t>(in)), ok(b >= 0x40 ? int(b) - 0x80 : int(b), 1));
    } else {
      EXPECT_EQ((uleb<32, uint32_t>(in)), ok_u(b & 0x7F, 2));
      EXPECT_EQ((sleb<32, int32_t>(in)), ok(b & 0x7F, 2));
    }
  }
}

TEST(Leb128, FastPathAdvancesExactlyOneByte) {
  Bytes in = {0x05, 0x06, 0x07};
  const uint8_t* p = in.data();
  uint32_t a{}, b{}, c{};
  ASSERT_EQ(read_uleb<32>(p, in.data() + in.size(), a), LebStatus::Ok);
  ASSERT_EQ(read_uleb<32>(p, in.data() + in.size(), b), LebStatus::Ok);
  ASSERT_EQ(read_uleb<32>(p, in.data() + in.size(), c), LebStatus::Ok);
  EXPECT_EQ(a, 5u);
  EXPECT_EQ(b, 6u);
  EXPECT_EQ(c, 7u);
  EXPECT_EQ(p, in.data() + 3);
  EXPECT_EQ(read_uleb<32>(p, in.data() + in.size(), a), LebStatus::End);
}

// ---- writers, and round trips -------------------------------------------------------

TEST(Leb128, WritersProduceMinimalEncodings) {
  auto u = [](uint64_t v) {
    Bytes b;
    write_uleb(b, v);
    return b;
  };
  auto s = [](int64_t v) {
    Bytes b;
    write_sleb(b, v);
    return b;
  };
  EXPECT_EQ(u(0), (Bytes{0x00}));
  EXPECT_EQ(u(127), (Bytes{0x7F}));
  EXPECT_EQ(u(128), (Bytes{0x80, 0x01}));
  EXPECT_EQ(u(0xFFFFFFFFu), (Bytes{0xFF, 0xFF, 0xFF, 0xFF, 0x0F}));
  EXPECT_EQ(u(UINT64_MAX).size(), 10u);
  EXPECT_EQ(s(0), (Bytes{0x00}));
  EXPECT_EQ(s(63), (Bytes{0x3F}));
  EXPECT_EQ(s(64), (Bytes{0xC0, 0x00}));
  EXPECT_EQ(s(-64), (Bytes{0x40}));
  EXPECT_EQ(s(-65), (Bytes{0xBF, 0x7F}));
  EXPECT_EQ(s(INT32_MIN), (Bytes{0x80, 0x80, 0x80, 0x80, 0x78}));
  EXPECT_EQ(s(INT64_MIN).size(), 10u);
  EXPECT_EQ(s(INT64_MAX).size(), 10u);
}

TEST(Leb128, RoundTrips) {
  std::vector<uint64_t> values;
  for (unsigned k = 0; k < 64; ++k) {
    uint64_t p = uint64_t(1) << k;
    values.insert(values.end(), {p - 1, p, p + 1, ~p});
  }
  std::mt19937_64 rng(12345);
  for (int i = 0; i < 2000; ++i) values.push_back(rng() >> (rng() % 64));
  values.push_back(UINT64_MAX);

  for (uint64_t v : values) {
    SCOPED_TRACE(v);
    Bytes b;
    write_uleb(b, v);
    uint64_t out64{};
    const uint8_t* p = b.data();
    ASSERT_EQ(read_uleb<64>(p, b.data() + b.size(), out64), LebStatus::Ok);
    EXPECT_EQ(out64, v);
    EXPECT_EQ(p, b.data() + b.size());
    uint32_t out32{};
    p = b.data();
    LebStatus s32 = read_uleb<32>(p, b.data() + b.size(), out32);
    if (v <= UINT32_MAX) {
      EXPECT_EQ(s32, LebStatus::Ok);
      EXPECT_EQ(out32, uint32_t(v));
    } else {
      // Past 32 bits: either a sixth byte or unused bits in the fifth.
      EXPECT_TRUE(s32 == LebStatus::TooLong || s32 == LebStatus::TooLarge);
    }

    int64_t sv = int64_t(v);
    Bytes c;
    write_sleb(c, sv);
    int64_t souts{};
    p = c.data();
    ASSERT_EQ(read_sleb<64>(p, c.data() + c.size(), souts), LebStatus::Ok);
    EXPECT_EQ(souts, sv);
    EXPECT_EQ(p, c.data() + c.size());
    int32_t s32v{};
    p = c.data();
    LebStatus st = read_sleb<32>(p, c.data() + c.size(), s32v);
    if (sv >= INT32_MIN && sv <= INT32_MAX) {
      EXPECT_EQ(st, LebStatus::Ok);
      EXPECT_EQ(s32v, int32_t(sv));
    } else {
      EXPECT_TRUE(st == LebStatus::TooLong || st == LebStatus::TooLarge);
    }
    int64_t s33v{};
    p = c.data();
    st = read_sleb<33>(p, c.data() + c.size(), s33v);
    if (sv >= -(int64_t(1) << 32) && sv < (int64_t(1) << 32)) {
      EXPECT_EQ(st, LebStatus::Ok);
      EXPECT_EQ(s33v, sv);
    } else {
      EXPECT_TRUE(st == LebStatus::TooLong || st == LebStatus::TooLarge);
    }
  }
}

// ---- the interpreter's decoders of validated immediates ---------------------------

// `b` (a minimal LEB) stretched to exactly `len` bytes with continuation
// bytes holding `fill` (0 for unsigned or non-negative, 0x7F for negative),
// then an `end` byte standing for what follows the immediate in a body.
// Empty when the value needs more than `len` bytes.
Bytes padded_leb(Bytes b, size_t len, uint8_t fill) {
  while (b.size() < len) {
    b.back() |= 0x80;
    b.push_back(fill);
  }
  if (b.size() != len) return {};
  b.push_back(0x0B);
  return b;
}

// read_u32_slow/read_s32_slow are unrolled by length; for every value class
// and every (padded) length the validator accepts they must agree with it.
TEST(Leb128, InterpreterDecodersAgreeWithTheValidatingDecoder) {
  std::mt19937_64 rng(7);
  std::vector<int64_t> values = {0, 1, 63, 64, 127, 128, 8191, 8192, (1 << 21) - 1, 1 << 21,
                                 (1 << 28) - 1, 1 << 28, INT32_MAX, -1, -64, -65, -8192,
                                 -8193, INT32_MIN, int64_t(UINT32_MAX)};
  for (int i = 0; i < 2000; ++i) values.push_back(int64_t(int32_t(rng() >> (rng() % 32))));
  for (int64_t v : values) {
    for (size_t len = 1; len <= 5; ++len) {
      if (v >= 0 && v <= int64_t(UINT32_MAX)) {
        Bytes u;
        write_uleb(u, uint64_t(v));
        Bytes b = padded_leb(u, len, 0x00);
        if (!b.empty()) {
          const uint8_t* p = b.data();
          uint32_t want{};
          ASSERT_EQ(read_uleb<32>(p, b.data() + b.size(), want), LebStatus::Ok);
          if (b[0] & 0x80) {  // the interpreter calls it only for the long forms
            auto got = read_u32_slow(b.data());
            EXPECT_EQ(got.value, want) << v << " in " << len << " bytes";
            EXPECT_EQ(got.pc, p) << v << " in " << len << " bytes";
          }
        }
      }
      if (v >= INT32_MIN && v <= INT32_MAX) {
        Bytes sv;
        write_sleb(sv, v);
        Bytes b = padded_leb(sv, len, v < 0 ? 0x7F : 0x00);
        if (!b.empty()) {
          const uint8_t* p = b.data();
          int32_t want{};
          ASSERT_EQ(read_sleb<32>(p, b.data() + b.size(), want), LebStatus::Ok);
          auto got = read_s32_slow(b.data());
          EXPECT_EQ(got.value, want) << v << " in " << len << " bytes";
          EXPECT_EQ(got.pc, p) << v << " in " << len << " bytes";
        }
      }
    }
  }
}

TEST(Leb128, InterpreterS64DecoderAgreesWithTheValidatingDecoder) {
  std::mt19937_64 rng(11);
  std::vector<int64_t> values = {0, 1, -1, 63, -64, 64, -65, INT64_MAX, INT64_MIN,
                                 int64_t(1) << 62, -(int64_t(1) << 62), int64_t(1) << 55,
                                 -(int64_t(1) << 55) - 1};
  for (int i = 0; i < 4000; ++i) values.push_back(int64_t(rng()) >> (rng() % 64));
  for (int64_t v : values) {
    for (size_t len = 1; len <= 10; ++len) {
      Bytes sv;
      write_sleb(sv, v);
      Bytes b = padded_leb(sv, len, v < 0 ? 0x7F : 0x00);
      if (b.empty()) continue;
      const uint8_t* p = b.data();
      int64_t want{};
      ASSERT_EQ(read_sleb<64>(p, b.data() + b.size(), want), LebStatus::Ok);
      auto got = read_s64_slow(b.data());
      EXPECT_EQ(got.value, want) << v << " in " << len << " bytes";
      EXPECT_EQ(got.pc, p) << v << " in " << len << " bytes";
    }
  }
}

}  // namespace
}  // namespace wisp
