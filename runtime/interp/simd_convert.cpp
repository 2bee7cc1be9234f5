// Conversions: integer widening (extend_low/high), narrowing with
// saturation, float <-> int (trunc_sat, convert), demote and promote.
#include "runtime/interp/simd_impl.hpp"

#include <limits>

namespace wisp::WISP_SIMD_NS {
namespace {

// Saturating float -> int truncation of one lane, the spec's
// trunc_sat_u/s: NaN -> 0, out of range -> the nearest bound, otherwise
// rounded toward zero. The comparisons are against the exact powers of two
// that bound the range, which every float type represents.
template <class I, class Fl>
inline I trunc_sat(Fl x) {
  constexpr Fl lo = std::numeric_limits<I>::min();                        // 0 or -2^(n-1)
  constexpr Fl hi = Fl(std::numeric_limits<I>::max() / 2 + 1) * Fl(2);  // 2^n or 2^(n-1)
  if (!(x == x)) return 0;
  if (x <= lo) return std::numeric_limits<I>::min();
  if (x >= hi) return std::numeric_limits<I>::max();
  return I(x);
}

// Narrowing: each wide lane clamped to the narrow type's range. Wasm treats
// the inputs as signed in both the _s and _u forms.
template <class N, class W>
inline N saturate(W x) {
  constexpr W lo = std::numeric_limits<N>::min(), hi = std::numeric_limits<N>::max();
  return N(x < lo ? lo : x > hi ? hi : x);
}
template <class Out, class N, class In>
inline Out narrow(In a, In b) {
  constexpr unsigned n = sizeof(In) / sizeof(a[0]);
  Out r;
  for (unsigned i = 0; i < n; ++i) {
    r[i] = saturate<N>(a[i]);
    r[i + n] = saturate<N>(b[i]);
  }
  return r;
}

}  // namespace

// ---- widening -----------------------------------------------------------------
// convertvector of a half-width vector sign- or zero-extends by the input
// view's signedness; with SSE4.1 it is pmovsx/pmovzx.

WISP_SIMD_UNARY(I16x8ExtendLowI8x16S, i8x16, __builtin_convertvector(low_half(a), i16x8))
WISP_SIMD_UNARY(I16x8ExtendHighI8x16S, i8x16, __builtin_convertvector(high_half(a), i16x8))
WISP_SIMD_UNARY(I16x8ExtendLowI8x16U, u8x16, __builtin_convertvector(low_half(a), u16x8))
WISP_SIMD_UNARY(I16x8ExtendHighI8x16U, u8x16, __builtin_convertvector(high_half(a), u16x8))
WISP_SIMD_UNARY(I32x4ExtendLowI16x8S, i16x8, __builtin_convertvector(low_half(a), i32x4))
WISP_SIMD_UNARY(I32x4ExtendHighI16x8S, i16x8, __builtin_convertvector(high_half(a), i32x4))
WISP_SIMD_UNARY(I32x4ExtendLowI16x8U, u16x8, __builtin_convertvector(low_half(a), u32x4))
WISP_SIMD_UNARY(I32x4ExtendHighI16x8U, u16x8, __builtin_convertvector(high_half(a), u32x4))
WISP_SIMD_UNARY(I64x2ExtendLowI32x4S, i32x4, __builtin_convertvector(low_half(a), i64x2))
WISP_SIMD_UNARY(I64x2ExtendHighI32x4S, i32x4, __builtin_convertvector(high_half(a), i64x2))
WISP_SIMD_UNARY(I64x2ExtendLowI32x4U, u32x4, __builtin_convertvector(low_half(a), u64x2))
WISP_SIMD_UNARY(I64x2ExtendHighI32x4U, u32x4, __builtin_convertvector(high_half(a), u64x2))

// ---- exact or correctly rounded conversions, same code for both ---------------

// i32 -> f32 rounds to nearest (cvtdq2ps); u32 -> f32 the compiler
// assembles from two exact halves so there is still a single rounding.
WISP_SIMD_UNARY(F32x4ConvertI32x4S, i32x4, __builtin_convertvector(a, f32x4))
WISP_SIMD_UNARY(F32x4ConvertI32x4U, u32x4, __builtin_convertvector(a, f32x4))
// Every i32/u32 is exact in f64.
WISP_SIMD_UNARY(F64x2ConvertLowI32x4S, i32x4, __builtin_convertvector(low_half(a), f64x2))

#if WISP_SIMD_SSE41
// ---- SSE4.1 ------------------------------------------------------------------

// packsswb/packuswb/packssdw/packusdw read signed lanes and saturate to the
// signed or unsigned narrow range: exactly Wasm's narrow_s and narrow_u.
WISP_SIMD_BINARY(I8x16NarrowI16x8S, __m128i, _mm_packs_epi16(a, b))
WISP_SIMD_BINARY(I8x16NarrowI16x8U, __m128i, _mm_packus_epi16(a, b))
WISP_SIMD_BINARY(I16x8NarrowI32x4S, __m128i, _mm_packs_epi32(a, b))
WISP_SIMD_BINARY(I16x8NarrowI32x4U, __m128i, _mm_packus_epi32(a, b))

// cvtps2pd / cvtpd2ps: IEEE conversions, NaNs quieted; demote puts its two
// results in lanes 0-1 and zeroes lanes 2-3 as _zero requires.
WISP_SIMD_UNARY(F64x2PromoteLowF32x4, __m128, _mm_cvtps_pd(a))
WISP_SIMD_UNARY(F32x4DemoteF64x2Zero, __m128d, _mm_cvtpd_ps(a))

// u32 -> f64 without a u32 convert instruction: the u32 as the low mantissa
// bits of 2^52 gives the double 2^52 + x exactly; subtract 2^52.
WISP_SIMD_UNARY(F64x2ConvertLowI32x4U, __m128i,
                _mm_sub_pd(_mm_castsi128_pd(_mm_unpacklo_epi32(a, _mm_set1_epi32(0x43300000))), _mm_set1_pd(0x1p52)))

// cvttps2dq returns 0x80000000 for NaN and for anything out of range.
// Zeroing NaN lanes first (cmpord mask) makes NaN -> 0; lanes >= 2^31 are
// the only ones that should be INT32_MAX rather than 0x80000000, and XOR
// with their all-ones mask turns the one into the other.
WISP_SIMD_UNARY(I32x4TruncSatF32x4S, __m128, [&] {
  __m128 x = _mm_and_ps(a, _mm_cmpord_ps(a, a));
  __m128i too_big = _mm_castps_si128(_mm_cmpge_ps(x, _mm_set1_ps(0x1p31f)));
  return _mm_xor_si128(_mm_cvttps_epi32(x), too_big);
}())

// Unsigned: max(x, 0) clears negatives and NaNs (maxps returns its second
// operand for NaN). Then lanes below 2^31 convert directly (lo); lanes in
// [2^31, 2^32) convert after subtracting 2^31 (hi, exact) and the 2^31 is
// added back by lo's 0x80000000; hi is clamped at 0 for the small lanes.
// Lanes >= 2^32 are forced to all ones.
WISP_SIMD_UNARY(I32x4TruncSatF32x4U, __m128, [&] {
  __m128 x = _mm_max_ps(a, _mm_setzero_ps());
  __m128i lo = _mm_cvttps_epi32(x);
  __m128i hi = _mm_max_epi32(_mm_cvttps_epi32(_mm_sub_ps(x, _mm_set1_ps(0x1p31f))), _mm_setzero_si128());
  __m128i over = _mm_castps_si128(_mm_cmpge_ps(x, _mm_set1_ps(0x1p32f)));
  return _mm_or_si128(_mm_add_epi32(lo, hi), over);
}())

// f64 -> i32 into lanes 0-1, zeros above (cvttpd2dq already zeroes them).
// NaN lanes are zeroed, then the top is clamped to INT32_MAX; cvttpd2dq's
// 0x80000000 for too-negative values is already the right saturation.
WISP_SIMD_UNARY(I32x4TruncSatF64x2SZero, __m128d, [&] {
  __m128d x = _mm_and_pd(a, _mm_cmpord_pd(a, a));
  return _mm_cvttpd_epi32(_mm_min_pd(x, _mm_set1_pd(2147483647.0)));
}())

// Unsigned: clamp to [0, 2^32 - 1] (maxpd sends NaN to 0), truncate, and
// read the integer out of the low mantissa bits of 2^52 + x.
WISP_SIMD_UNARY(I32x4TruncSatF64x2UZero, __m128d, [&] {
  __m128d x = _mm_min_pd(_mm_max_pd(a, _mm_setzero_pd()), _mm_set1_pd(4294967295.0));
  x = _mm_add_pd(_mm_round_pd(x, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC), _mm_set1_pd(0x1p52));
  // 32-bit lanes 0 and 2 hold the results; lanes 2-3 of the output are 0.
  return _mm_move_epi64(_mm_shuffle_epi32(_mm_castpd_si128(x), _MM_SHUFFLE(3, 3, 2, 0)));
}())

#else
// ---- portable ------------------------------------------------------------------

WISP_SIMD_BINARY(I8x16NarrowI16x8S, i16x8, (narrow<i8x16, int8_t>(a, b)))
WISP_SIMD_BINARY(I8x16NarrowI16x8U, i16x8, (narrow<u8x16, uint8_t>(a, b)))
WISP_SIMD_BINARY(I16x8NarrowI32x4S, i32x4, (narrow<i16x8, int16_t>(a, b)))
WISP_SIMD_BINARY(I16x8NarrowI32x4U, i32x4, (narrow<u16x8, uint16_t>(a, b)))

WISP_SIMD_UNARY(F64x2PromoteLowF32x4, f32x4, __builtin_convertvector(low_half(a), f64x2))
WISP_SIMD_UNARY(F32x4DemoteF64x2Zero, f64x2, [&] {
  f32x4 r{};
  r[0] = float(a[0]);
  r[1] = float(a[1]);
  return r;
}())

WISP_SIMD_UNARY(F64x2ConvertLowI32x4U, u32x4, __builtin_convertvector(low_half(a), f64x2))

WISP_SIMD_UNARY(I32x4TruncSatF32x4S, f32x4, [&] {
  i32x4 r;
  for (int i = 0; i < 4; ++i) r[i] = trunc_sat<int32_t>(a[i]);
  return r;
}())
WISP_SIMD_UNARY(I32x4TruncSatF32x4U, f32x4, [&] {
  u32x4 r;
  for (int i = 0; i < 4; ++i) r[i] = trunc_sat<uint32_t>(a[i]);
  return r;
}())
WISP_SIMD_UNARY(I32x4TruncSatF64x2SZero, f64x2, [&] {
  i32x4 r{};
  r[0] = trunc_sat<int32_t>(a[0]);
  r[1] = trunc_sat<int32_t>(a[1]);
  return r;
}())
WISP_SIMD_UNARY(I32x4TruncSatF64x2UZero, f64x2, [&] {
  u32x4 r{};
  r[0] = trunc_sat<uint32_t>(a[0]);
  r[1] = trunc_sat<uint32_t>(a[1]);
  return r;
}())
#endif

}  // namespace wisp::WISP_SIMD_NS
