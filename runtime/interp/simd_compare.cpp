// Lane comparisons, bitwise operations and the boolean reductions
// (any_true, all_true, bitmask).
//
// Comparisons are written once with vector-extension operators: they map
// onto pcmpeq/pcmpgt/cmpps (or the compiler's emulation of the unsigned and
// 64-bit forms) as well as hand-written intrinsics would, and the operators
// already have Wasm's semantics: a lane of all ones or all zeros, float
// comparisons false on NaN except `!=`, and -0 == +0.
#include "runtime/interp/simd_impl.hpp"

namespace wisp::WISP_SIMD_NS {

// ---- comparisons ----------------------------------------------------------

#define WISP_SIMD_COMPARE(Prefix, S, U)           \
  WISP_SIMD_BINARY(Prefix##Eq, S, a == b)         \
  WISP_SIMD_BINARY(Prefix##Ne, S, a != b)         \
  WISP_SIMD_BINARY(Prefix##LtS, S, a < b)         \
  WISP_SIMD_BINARY(Prefix##LtU, U, a < b)         \
  WISP_SIMD_BINARY(Prefix##GtS, S, a > b)         \
  WISP_SIMD_BINARY(Prefix##GtU, U, a > b)         \
  WISP_SIMD_BINARY(Prefix##LeS, S, a <= b)        \
  WISP_SIMD_BINARY(Prefix##LeU, U, a <= b)        \
  WISP_SIMD_BINARY(Prefix##GeS, S, a >= b)        \
  WISP_SIMD_BINARY(Prefix##GeU, U, a >= b)

WISP_SIMD_COMPARE(I8x16, i8x16, u8x16)
WISP_SIMD_COMPARE(I16x8, i16x8, u16x8)
WISP_SIMD_COMPARE(I32x4, i32x4, u32x4)
#undef WISP_SIMD_COMPARE

// i64x2 has signed comparisons only.
WISP_SIMD_BINARY(I64x2Eq, i64x2, a == b)
WISP_SIMD_BINARY(I64x2Ne, i64x2, a != b)
WISP_SIMD_BINARY(I64x2LtS, i64x2, a < b)
WISP_SIMD_BINARY(I64x2GtS, i64x2, a > b)
WISP_SIMD_BINARY(I64x2LeS, i64x2, a <= b)
WISP_SIMD_BINARY(I64x2GeS, i64x2, a >= b)

#define WISP_SIMD_FCOMPARE(Prefix, F)      \
  WISP_SIMD_BINARY(Prefix##Eq, F, a == b)  \
  WISP_SIMD_BINARY(Prefix##Ne, F, a != b)  \
  WISP_SIMD_BINARY(Prefix##Lt, F, a < b)   \
  WISP_SIMD_BINARY(Prefix##Gt, F, a > b)   \
  WISP_SIMD_BINARY(Prefix##Le, F, a <= b)  \
  WISP_SIMD_BINARY(Prefix##Ge, F, a >= b)

WISP_SIMD_FCOMPARE(F32x4, f32x4)
WISP_SIMD_FCOMPARE(F64x2, f64x2)
#undef WISP_SIMD_FCOMPARE

// ---- bitwise ----------------------------------------------------------------

WISP_SIMD_UNARY(V128Not, u64x2, ~a)
WISP_SIMD_BINARY(V128And, u64x2, a & b)
WISP_SIMD_BINARY(V128AndNot, u64x2, a & ~b)
WISP_SIMD_BINARY(V128Or, u64x2, a | b)
WISP_SIMD_BINARY(V128Xor, u64x2, a ^ b)

// (v1, v2, c) -> bits of v1 where c is 1, of v2 where c is 0.
WISP_SIMD_HANDLER(V128Bitselect) {
  u64x2 v1 = get<u64x2>(sp[-3]), v2 = get<u64x2>(sp[-2]), c = get<u64x2>(sp[-1]);
  put(sp[-3], (v1 & c) | (v2 & ~c));
  return sp - 2;
}

// ---- reductions -------------------------------------------------------------

namespace {

#if !WISP_SIMD_SSE41
inline bool any_bit(u64x2 v) { return (v[0] | v[1]) != 0; }
#endif

// all_true: no lane is zero, i.e. the "lane == 0" mask has no bit set.
template <class V>
inline uint32_t all_true(V v) {
#if WISP_SIMD_SSE41
  return _mm_testz_si128(bits<__m128i>(v == V{}), bits<__m128i>(v == V{}));
#else
  return !any_bit(bits<u64x2>(v == V{}));
#endif
}

#if !WISP_SIMD_SSE41
// bitmask, portable form: bit i = top bit of lane i.
template <class V>
inline uint32_t bitmask_lanes(V v) {
  uint32_t m = 0;
  for (unsigned i = 0; i < sizeof(V) / sizeof(v[0]); ++i) m |= uint32_t(v[i] < 0) << i;
  return m;
}
#endif

}  // namespace

WISP_SIMD_HANDLER(V128AnyTrue) {
#if WISP_SIMD_SSE41
  return reduce<__m128i>(sp, [](__m128i a) -> uint32_t { return !_mm_testz_si128(a, a); });
#else
  return reduce<u64x2>(sp, [](u64x2 a) -> uint32_t { return any_bit(a); });
#endif
}

WISP_SIMD_HANDLER(I8x16AllTrue) { return reduce<u8x16>(sp, all_true<u8x16>); }
WISP_SIMD_HANDLER(I16x8AllTrue) { return reduce<u16x8>(sp, all_true<u16x8>); }
WISP_SIMD_HANDLER(I32x4AllTrue) { return reduce<u32x4>(sp, all_true<u32x4>); }
WISP_SIMD_HANDLER(I64x2AllTrue) { return reduce<u64x2>(sp, all_true<u64x2>); }

#if WISP_SIMD_SSE41
// movemask collects the top bit of each byte / float / double lane. For
// 16-bit lanes, packing with signed saturation keeps each lane's sign in a
// byte, and the low 8 bytes then hold the 8 lanes.
WISP_SIMD_HANDLER(I8x16Bitmask) {
  return reduce<__m128i>(sp, [](__m128i a) -> uint32_t { return _mm_movemask_epi8(a); });
}
WISP_SIMD_HANDLER(I16x8Bitmask) {
  return reduce<__m128i>(sp, [](__m128i a) -> uint32_t {
    return _mm_movemask_epi8(_mm_packs_epi16(a, _mm_setzero_si128()));
  });
}
WISP_SIMD_HANDLER(I32x4Bitmask) {
  return reduce<__m128>(sp, [](__m128 a) -> uint32_t { return _mm_movemask_ps(a); });
}
WISP_SIMD_HANDLER(I64x2Bitmask) {
  return reduce<__m128d>(sp, [](__m128d a) -> uint32_t { return _mm_movemask_pd(a); });
}
#else
WISP_SIMD_HANDLER(I8x16Bitmask) { return reduce<i8x16>(sp, bitmask_lanes<i8x16>); }
WISP_SIMD_HANDLER(I16x8Bitmask) { return reduce<i16x8>(sp, bitmask_lanes<i16x8>); }
WISP_SIMD_HANDLER(I32x4Bitmask) { return reduce<i32x4>(sp, bitmask_lanes<i32x4>); }
WISP_SIMD_HANDLER(I64x2Bitmask) { return reduce<i64x2>(sp, bitmask_lanes<i64x2>); }
#endif

}  // namespace wisp::WISP_SIMD_NS
