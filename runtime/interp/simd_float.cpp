// Float lane arithmetic: add/sub/mul/div/sqrt, min/max, pmin/pmax,
// abs/neg, ceil/floor/trunc/nearest.
//
// NaN rules (Wasm 2.0, "NaN propagation"): an arithmetic result that is NaN
// must be a canonical NaN if every NaN input is canonical, otherwise any
// arithmetic (quiet) NaN; the sign is unspecified. add/sub/mul/div/sqrt and
// rounding get that from IEEE hardware (x86 and Arm both quiet an input NaN
// and produce a canonical NaN for invalid operations). min/max choose to
// return the positive canonical NaN whenever an input is NaN, which is
// always allowed. abs/neg/pmin/pmax are not arithmetic: they move bits and
// must keep the payload exactly, signalling NaNs included.
#include "runtime/interp/simd_impl.hpp"

namespace wisp::WISP_SIMD_NS {
namespace {

constexpr uint32_t kF32Sign = 0x80000000u;
constexpr uint64_t kF64Sign = 0x8000'0000'0000'0000u;
constexpr uint32_t kF32CanonicalNan = 0x7FC00000u;
constexpr uint64_t kF64CanonicalNan = 0x7FF8'0000'0000'0000u;

#if !WISP_SIMD_SSE41
// F: float view, U: unsigned view of the same width, I: the comparison mask.
template <class F>
struct FloatTraits;
template <>
struct FloatTraits<f32x4> {
  using U = u32x4;
  using I = i32x4;
  static constexpr uint32_t kSign = kF32Sign;
  static constexpr uint32_t kNan = kF32CanonicalNan;
  static constexpr float kTwoToMantissa = 0x1p23f;  // first value with no fraction bits
};
template <>
struct FloatTraits<f64x2> {
  using U = u64x2;
  using I = i64x2;
  static constexpr uint64_t kSign = kF64Sign;
  static constexpr uint64_t kNan = kF64CanonicalNan;
  static constexpr double kTwoToMantissa = 0x1p52;
};

// min: if either is NaN, NaN; -0 < +0. Taking a<b?a:b and b<a?b:a and
// OR-ing their bits gives the minimum when the inputs differ and, when
// they compare equal, ORs the signs so min(-0, +0) = -0. NaN lanes (where
// the OR would mix payloads) are then replaced by the canonical NaN.
template <class F>
inline F fmin(F a, F b) {
  using T = FloatTraits<F>;
  auto r = bits<typename T::U>(select(a < b, a, b)) | bits<typename T::U>(select(b < a, b, a));
  auto nan = (a != a) | (b != b);
  return bits<F>(select(nan, splat<typename T::U>(T::kNan), r));
}
// max: the same with AND, so max(-0, +0) = +0.
template <class F>
inline F fmax(F a, F b) {
  using T = FloatTraits<F>;
  auto r = bits<typename T::U>(select(a > b, a, b)) & bits<typename T::U>(select(b > a, b, a));
  auto nan = (a != a) | (b != b);
  return bits<F>(select(nan, splat<typename T::U>(T::kNan), r));
}

// Round to integral, portable form. For |x| < 2^m (m = mantissa bits),
// (|x| + 2^m) - 2^m rounds |x| to an integer in the current rounding mode,
// which Wasm fixes to nearest-even; ceil/floor/trunc adjust that by one.
// Every result takes x's sign (ceil(-0.5) = -0). Lanes with |x| >= 2^m are
// integers, infinities or NaNs and are returned as x + 0, which is x except
// that a signalling NaN is quieted, as the arithmetic NaN rule requires.
enum class Round { Nearest, Ceil, Floor, Trunc };
template <Round R, class F>
inline F round_lanes(F x) {
  using T = FloatTraits<F>;
  using U = typename T::U;
  const F big = splat<F>(T::kTwoToMantissa);
  const F one = splat<F>(1);
  U sign = bits<U>(x) & T::kSign;
  F ax = bits<F>(bits<U>(x) & ~T::kSign);
  F r = (ax + big) - big;  // |x| rounded to nearest, ties to even
  if constexpr (R == Round::Trunc) {
    r -= select(r > ax, one, F{});
  } else if constexpr (R == Round::Ceil || R == Round::Floor) {
    // On |x| the direction flips for negative x: ceil(x) = -floor(|x|).
    F rdown = r - select(r > ax, one, F{});
    F rup = r + select(r < ax, one, F{});
    auto neg = bits<typename T::I>(sign) != 0;
    r = R == Round::Floor ? select(neg, rup, rdown) : select(neg, rdown, rup);
  }
  F signed_r = bits<F>(bits<U>(r) | sign);
  return select(ax < big, signed_r, x + F{});
}
#endif  // !WISP_SIMD_SSE41

}  // namespace

// ---- bit manipulations: same code for both backends -------------------------

WISP_SIMD_UNARY(F32x4Abs, u32x4, a & ~kF32Sign)
WISP_SIMD_UNARY(F64x2Abs, u64x2, a & ~kF64Sign)
WISP_SIMD_UNARY(F32x4Neg, u32x4, a ^ kF32Sign)
WISP_SIMD_UNARY(F64x2Neg, u64x2, a ^ kF64Sign)

// ---- IEEE arithmetic: the operators are addps/subps/mulps/divps ------------

WISP_SIMD_BINARY(F32x4Add, f32x4, a + b)
WISP_SIMD_BINARY(F32x4Sub, f32x4, a - b)
WISP_SIMD_BINARY(F32x4Mul, f32x4, a * b)
WISP_SIMD_BINARY(F32x4Div, f32x4, a / b)
WISP_SIMD_BINARY(F64x2Add, f64x2, a + b)
WISP_SIMD_BINARY(F64x2Sub, f64x2, a - b)
WISP_SIMD_BINARY(F64x2Mul, f64x2, a * b)
WISP_SIMD_BINARY(F64x2Div, f64x2, a / b)

#if WISP_SIMD_SSE41
// ---- SSE4.1 ------------------------------------------------------------------

WISP_SIMD_UNARY(F32x4Sqrt, __m128, _mm_sqrt_ps(a))
WISP_SIMD_UNARY(F64x2Sqrt, __m128d, _mm_sqrt_pd(a))

// roundps/roundpd: the mode is in the immediate, not MXCSR, and NaNs come
// out quieted. _MM_FROUND_NO_EXC: the inexact flag is of no interest.
WISP_SIMD_UNARY(F32x4Ceil, __m128, _mm_round_ps(a, _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC))
WISP_SIMD_UNARY(F32x4Floor, __m128, _mm_round_ps(a, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC))
WISP_SIMD_UNARY(F32x4Trunc, __m128, _mm_round_ps(a, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC))
WISP_SIMD_UNARY(F32x4Nearest, __m128, _mm_round_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC))
WISP_SIMD_UNARY(F64x2Ceil, __m128d, _mm_round_pd(a, _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC))
WISP_SIMD_UNARY(F64x2Floor, __m128d, _mm_round_pd(a, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC))
WISP_SIMD_UNARY(F64x2Trunc, __m128d, _mm_round_pd(a, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC))
WISP_SIMD_UNARY(F64x2Nearest, __m128d, _mm_round_pd(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC))

// minps(x, y) is x < y ? x : y: it returns y for NaNs and for equal inputs,
// so neither order alone is Wasm's min. Both orders OR-ed give the right
// answer except in NaN lanes, which cmpunord finds and the blend replaces
// with the canonical NaN. max is the same with AND.
WISP_SIMD_BINARY(F32x4Min, __m128, _mm_blendv_ps(_mm_or_ps(_mm_min_ps(a, b), _mm_min_ps(b, a)),
                                                 _mm_castsi128_ps(_mm_set1_epi32(int32_t(kF32CanonicalNan))),
                                                 _mm_cmpunord_ps(a, b)))
WISP_SIMD_BINARY(F32x4Max, __m128, _mm_blendv_ps(_mm_and_ps(_mm_max_ps(a, b), _mm_max_ps(b, a)),
                                                 _mm_castsi128_ps(_mm_set1_epi32(int32_t(kF32CanonicalNan))),
                                                 _mm_cmpunord_ps(a, b)))
WISP_SIMD_BINARY(F64x2Min, __m128d, _mm_blendv_pd(_mm_or_pd(_mm_min_pd(a, b), _mm_min_pd(b, a)),
                                                  _mm_castsi128_pd(_mm_set1_epi64x(int64_t(kF64CanonicalNan))),
                                                  _mm_cmpunord_pd(a, b)))
WISP_SIMD_BINARY(F64x2Max, __m128d, _mm_blendv_pd(_mm_and_pd(_mm_max_pd(a, b), _mm_max_pd(b, a)),
                                                  _mm_castsi128_pd(_mm_set1_epi64x(int64_t(kF64CanonicalNan))),
                                                  _mm_cmpunord_pd(a, b)))

// pmin(a, b) = b < a ? b : a, which is minps with the operands swapped
// (minps(b, a) = b < a ? b : a, returning a for NaNs and equal values).
// pmax(a, b) = a < b ? b : a = maxps(b, a) = b > a ? b : a.
WISP_SIMD_BINARY(F32x4Pmin, __m128, _mm_min_ps(b, a))
WISP_SIMD_BINARY(F32x4Pmax, __m128, _mm_max_ps(b, a))
WISP_SIMD_BINARY(F64x2Pmin, __m128d, _mm_min_pd(b, a))
WISP_SIMD_BINARY(F64x2Pmax, __m128d, _mm_max_pd(b, a))

#else
// ---- portable ------------------------------------------------------------------

WISP_SIMD_UNARY(F32x4Sqrt, f32x4, [&] {
  for (int i = 0; i < 4; ++i) a[i] = __builtin_sqrtf(a[i]);
  return a;
}())
WISP_SIMD_UNARY(F64x2Sqrt, f64x2, [&] {
  for (int i = 0; i < 2; ++i) a[i] = __builtin_sqrt(a[i]);
  return a;
}())

WISP_SIMD_UNARY(F32x4Ceil, f32x4, round_lanes<Round::Ceil>(a))
WISP_SIMD_UNARY(F32x4Floor, f32x4, round_lanes<Round::Floor>(a))
WISP_SIMD_UNARY(F32x4Trunc, f32x4, round_lanes<Round::Trunc>(a))
WISP_SIMD_UNARY(F32x4Nearest, f32x4, round_lanes<Round::Nearest>(a))
WISP_SIMD_UNARY(F64x2Ceil, f64x2, round_lanes<Round::Ceil>(a))
WISP_SIMD_UNARY(F64x2Floor, f64x2, round_lanes<Round::Floor>(a))
WISP_SIMD_UNARY(F64x2Trunc, f64x2, round_lanes<Round::Trunc>(a))
WISP_SIMD_UNARY(F64x2Nearest, f64x2, round_lanes<Round::Nearest>(a))

WISP_SIMD_BINARY(F32x4Min, f32x4, fmin(a, b))
WISP_SIMD_BINARY(F32x4Max, f32x4, fmax(a, b))
WISP_SIMD_BINARY(F64x2Min, f64x2, fmin(a, b))
WISP_SIMD_BINARY(F64x2Max, f64x2, fmax(a, b))

// The spec's definitions, verbatim; a NaN operand makes the comparison
// false, so the result is a (bit for bit).
WISP_SIMD_BINARY(F32x4Pmin, f32x4, select(b < a, b, a))
WISP_SIMD_BINARY(F32x4Pmax, f32x4, select(a < b, b, a))
WISP_SIMD_BINARY(F64x2Pmin, f64x2, select(b < a, b, a))
WISP_SIMD_BINARY(F64x2Pmax, f64x2, select(a < b, b, a))
#endif

}  // namespace wisp::WISP_SIMD_NS
