// Integer lane arithmetic: add/sub/mul/neg/abs, saturating add/sub,
// min/max, avgr_u, shifts, popcnt, extadd_pairwise, extmul, dot and
// q15mulr_sat_s.
//
// Plain wrapping arithmetic is written with vector-extension operators (the
// compiler emits padd/psub/pmull and its own i64 multiply sequence). The
// SSE4.1 block covers what the compiler would not find by itself:
// saturation, min/max, averaging, byte shifts, popcnt and the widening
// multiplies, which x86 has as single instructions.
#include "runtime/interp/simd_impl.hpp"

namespace wisp::WISP_SIMD_NS {
namespace {

// Lane width in bits of a vector type.
template <class V>
constexpr unsigned kLaneBits = 8 * sizeof(V{}[0]);

// ---- portable building blocks (S: signed view, U: unsigned view) ----------

// |a| with |MIN| = MIN: m is all ones for negative lanes, (a ^ m) - m
// negates exactly those, wrapping.
template <class S, class U>
inline U abs_lanes(S a) {
  U m = bits<U>(a >> (kLaneBits<S> - 1));
  return (bits<U>(a) ^ m) - m;
}

template <class V>
inline V min_lanes(V a, V b) { return select(a < b, a, b); }
template <class V>
inline V max_lanes(V a, V b) { return select(a > b, a, b); }

// Saturated value in the direction of a's sign: MAX for a >= 0, MIN below.
// An overflowing a + b or a - b always overflows in that direction (for
// a + b both operands share a's sign; for a - b, b has the other one).
template <class S>
inline S saturate_like(S a) {
  using E = std::remove_reference_t<decltype(a[0])>;
  return (a >> (kLaneBits<S> - 1)) ^ splat<S>(E((1ull << (kLaneBits<S> - 1)) - 1));
}

// Signed add overflows iff both operands have the sign the result lacks.
template <class S, class U>
inline S add_sat_s(S a, S b) {
  S r = bits<S>(bits<U>(a) + bits<U>(b));
  return select(((r ^ a) & (r ^ b)) < 0, saturate_like(a), r);
}
// Signed a - b overflows iff a and b differ in sign and r's sign is b's.
template <class S, class U>
inline S sub_sat_s(S a, S b) {
  S r = bits<S>(bits<U>(a) - bits<U>(b));
  return select(((a ^ b) & (a ^ r)) < 0, saturate_like(a), r);
}
// Unsigned add carried iff the wrapped sum is below an operand.
template <class U>
inline U add_sat_u(U a, U b) {
  U r = a + b;
  return r | bits<U>(r < a);
}
template <class U>
inline U sub_sat_u(U a, U b) {
  return (a - b) & bits<U>(a >= b);
}

// (a + b + 1) >> 1 without the carry out of the lane: a + b is
// 2(a & b) + (a ^ b), and (a | b) = (a & b) + (a ^ b).
template <class U>
inline U avgr_u(U a, U b) {
  return (a | b) - ((a ^ b) >> 1);
}

// Even / odd lanes, for the pairwise operations.
template <class V>
inline auto even_lanes(V v) {
  if constexpr (sizeof(v[0]) == 1) return __builtin_shufflevector(v, v, 0, 2, 4, 6, 8, 10, 12, 14);
  else return __builtin_shufflevector(v, v, 0, 2, 4, 6);
}
template <class V>
inline auto odd_lanes(V v) {
  if constexpr (sizeof(v[0]) == 1) return __builtin_shufflevector(v, v, 1, 3, 5, 7, 9, 11, 13, 15);
  else return __builtin_shufflevector(v, v, 1, 3, 5, 7);
}

// extmul: widen the chosen halves to W (signed or unsigned by the input
// view) and multiply there; the product always fits the wide lane, and
// multiplying the unsigned view WU avoids any signed-overflow question.
template <class W, class WU, class V>
inline WU extmul(V a_half, V b_half) {
  return bits<WU>(__builtin_convertvector(a_half, W)) * bits<WU>(__builtin_convertvector(b_half, W));
}

// extadd_pairwise: lane i = a[2i] + a[2i+1] in the wide type (never
// overflows: two narrow values).
template <class W, class V>
inline W extadd(V a) {
  return __builtin_convertvector(even_lanes(a), W) + __builtin_convertvector(odd_lanes(a), W);
}

#if WISP_SIMD_SSE41
// The count operand of psll/psrl/psra is the low 64 bits of an xmm.
inline __m128i count(unsigned n) { return _mm_cvtsi32_si128(int(n)); }
#endif

}  // namespace

// ---- add / sub / mul / neg: wrapping, same code for both backends ----------

WISP_SIMD_BINARY(I8x16Add, u8x16, a + b)
WISP_SIMD_BINARY(I16x8Add, u16x8, a + b)
WISP_SIMD_BINARY(I32x4Add, u32x4, a + b)
WISP_SIMD_BINARY(I64x2Add, u64x2, a + b)
WISP_SIMD_BINARY(I8x16Sub, u8x16, a - b)
WISP_SIMD_BINARY(I16x8Sub, u16x8, a - b)
WISP_SIMD_BINARY(I32x4Sub, u32x4, a - b)
WISP_SIMD_BINARY(I64x2Sub, u64x2, a - b)
WISP_SIMD_BINARY(I16x8Mul, u16x8, a * b)
WISP_SIMD_BINARY(I32x4Mul, u32x4, a * b)
WISP_SIMD_BINARY(I64x2Mul, u64x2, a * b)
WISP_SIMD_UNARY(I8x16Neg, u8x16, -a)
WISP_SIMD_UNARY(I16x8Neg, u16x8, -a)
WISP_SIMD_UNARY(I32x4Neg, u32x4, -a)
WISP_SIMD_UNARY(I64x2Neg, u64x2, -a)

// There is no 64-bit pabs before AVX-512; the portable form is three ops.
WISP_SIMD_UNARY(I64x2Abs, i64x2, (abs_lanes<i64x2, u64x2>(a)))

// i64x2.shl / shr_u: psllq/psrlq from a vector shifted by a scalar.
WISP_SIMD_HANDLER(I64x2Shl) { return shift<u64x2, 64>(sp, [](u64x2 a, unsigned n) { return a << n; }); }
WISP_SIMD_HANDLER(I64x2ShrU) { return shift<u64x2, 64>(sp, [](u64x2 a, unsigned n) { return a >> n; }); }
WISP_SIMD_HANDLER(I16x8Shl) { return shift<u16x8, 16>(sp, [](u16x8 a, unsigned n) { return a << n; }); }
WISP_SIMD_HANDLER(I16x8ShrS) { return shift<i16x8, 16>(sp, [](i16x8 a, unsigned n) { return a >> n; }); }
WISP_SIMD_HANDLER(I16x8ShrU) { return shift<u16x8, 16>(sp, [](u16x8 a, unsigned n) { return a >> n; }); }
WISP_SIMD_HANDLER(I32x4Shl) { return shift<u32x4, 32>(sp, [](u32x4 a, unsigned n) { return a << n; }); }
WISP_SIMD_HANDLER(I32x4ShrS) { return shift<i32x4, 32>(sp, [](i32x4 a, unsigned n) { return a >> n; }); }
WISP_SIMD_HANDLER(I32x4ShrU) { return shift<u32x4, 32>(sp, [](u32x4 a, unsigned n) { return a >> n; }); }

// Round-trip multiply of Q15 fixed-point values: (a*b + 2^14) >> 15. The
// only result out of range is 0x8000 * 0x8000 = 2^15, saturated to 0x7FFF.
#if WISP_SIMD_SSE41
WISP_SIMD_BINARY(I16x8Q15mulrSatS, __m128i, [&] {
  // pmulhrsw computes exactly the rounding formula but wraps 2^15 to
  // 0x8000; flip those lanes to 0x7FFF (no other lane can be 0x8000).
  __m128i r = _mm_mulhrs_epi16(a, b);
  return _mm_xor_si128(r, _mm_cmpeq_epi16(r, _mm_set1_epi16(INT16_MIN)));
}())
#else
WISP_SIMD_BINARY(I16x8Q15mulrSatS, i16x8, [&] {
  i16x8 r;
  for (int i = 0; i < 8; ++i) {
    int32_t p = (int32_t(a[i]) * b[i] + 0x4000) >> 15;
    r[i] = int16_t(p > INT16_MAX ? INT16_MAX : p);
  }
  return r;
}())
#endif

// Lane i = a[2i]*b[2i] + a[2i+1]*b[2i+1] in i32, wrapping (only
// -32768^2 * 2 overflows). pmaddwd is exactly this.
#if WISP_SIMD_SSE41
WISP_SIMD_BINARY(I32x4DotI16x8S, __m128i, _mm_madd_epi16(a, b))
#else
WISP_SIMD_BINARY(I32x4DotI16x8S, i16x8,
                 bits<u32x4>(__builtin_convertvector(even_lanes(a), i32x4)) *
                         bits<u32x4>(__builtin_convertvector(even_lanes(b), i32x4)) +
                     bits<u32x4>(__builtin_convertvector(odd_lanes(a), i32x4)) *
                         bits<u32x4>(__builtin_convertvector(odd_lanes(b), i32x4)))
#endif

#if WISP_SIMD_SSE41
// ---- SSE4.1 ------------------------------------------------------------------

WISP_SIMD_UNARY(I8x16Abs, __m128i, _mm_abs_epi8(a))
WISP_SIMD_UNARY(I16x8Abs, __m128i, _mm_abs_epi16(a))
WISP_SIMD_UNARY(I32x4Abs, __m128i, _mm_abs_epi32(a))

WISP_SIMD_BINARY(I8x16AddSatS, __m128i, _mm_adds_epi8(a, b))
WISP_SIMD_BINARY(I8x16AddSatU, __m128i, _mm_adds_epu8(a, b))
WISP_SIMD_BINARY(I8x16SubSatS, __m128i, _mm_subs_epi8(a, b))
WISP_SIMD_BINARY(I8x16SubSatU, __m128i, _mm_subs_epu8(a, b))
WISP_SIMD_BINARY(I16x8AddSatS, __m128i, _mm_adds_epi16(a, b))
WISP_SIMD_BINARY(I16x8AddSatU, __m128i, _mm_adds_epu16(a, b))
WISP_SIMD_BINARY(I16x8SubSatS, __m128i, _mm_subs_epi16(a, b))
WISP_SIMD_BINARY(I16x8SubSatU, __m128i, _mm_subs_epu16(a, b))

WISP_SIMD_BINARY(I8x16MinS, __m128i, _mm_min_epi8(a, b))
WISP_SIMD_BINARY(I8x16MinU, __m128i, _mm_min_epu8(a, b))
WISP_SIMD_BINARY(I8x16MaxS, __m128i, _mm_max_epi8(a, b))
WISP_SIMD_BINARY(I8x16MaxU, __m128i, _mm_max_epu8(a, b))
WISP_SIMD_BINARY(I16x8MinS, __m128i, _mm_min_epi16(a, b))
WISP_SIMD_BINARY(I16x8MinU, __m128i, _mm_min_epu16(a, b))
WISP_SIMD_BINARY(I16x8MaxS, __m128i, _mm_max_epi16(a, b))
WISP_SIMD_BINARY(I16x8MaxU, __m128i, _mm_max_epu16(a, b))
WISP_SIMD_BINARY(I32x4MinS, __m128i, _mm_min_epi32(a, b))
WISP_SIMD_BINARY(I32x4MinU, __m128i, _mm_min_epu32(a, b))
WISP_SIMD_BINARY(I32x4MaxS, __m128i, _mm_max_epi32(a, b))
WISP_SIMD_BINARY(I32x4MaxU, __m128i, _mm_max_epu32(a, b))

// pavg rounds up, as avgr_u requires.
WISP_SIMD_BINARY(I8x16AvgrU, __m128i, _mm_avg_epu8(a, b))
WISP_SIMD_BINARY(I16x8AvgrU, __m128i, _mm_avg_epu16(a, b))

// popcnt: two pshufb lookups in a 16-entry table of nibble counts.
WISP_SIMD_UNARY(I8x16Popcnt, __m128i, [&] {
  const __m128i table = _mm_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
  const __m128i low4 = _mm_set1_epi8(0x0F);
  __m128i lo = _mm_and_si128(a, low4);
  __m128i hi = _mm_and_si128(_mm_srli_epi16(a, 4), low4);
  return _mm_add_epi8(_mm_shuffle_epi8(table, lo), _mm_shuffle_epi8(table, hi));
}())

// x86 has no byte shifts. Shift 16-bit lanes and mask off the bits that
// crossed from the neighbouring byte.
WISP_SIMD_HANDLER(I8x16Shl) {
  return shift<__m128i, 8>(sp, [](__m128i a, unsigned n) {
    return _mm_and_si128(_mm_sll_epi16(a, count(n)), _mm_set1_epi8(int8_t(0xFF << n)));
  });
}
WISP_SIMD_HANDLER(I8x16ShrU) {
  return shift<__m128i, 8>(sp, [](__m128i a, unsigned n) {
    return _mm_and_si128(_mm_srl_epi16(a, count(n)), _mm_set1_epi8(int8_t(0xFF >> n)));
  });
}
// Arithmetic byte shift: unpacking a with itself puts each byte in the high
// half of a 16-bit lane, psraw by n + 8 leaves the shifted byte sign-
// extended, and packsswb (values already in i8 range) packs them back.
WISP_SIMD_HANDLER(I8x16ShrS) {
  return shift<__m128i, 8>(sp, [](__m128i a, unsigned n) {
    __m128i c = count(n + 8);
    return _mm_packs_epi16(_mm_sra_epi16(_mm_unpacklo_epi8(a, a), c), _mm_sra_epi16(_mm_unpackhi_epi8(a, a), c));
  });
}
// No psraq before AVX-512: shift logically, then sign-extend from bit
// 63 - n with (x ^ m) - m, m being the sign bit's new position.
WISP_SIMD_HANDLER(I64x2ShrS) {
  return shift<__m128i, 64>(sp, [](__m128i a, unsigned n) {
    __m128i c = count(n);
    __m128i m = _mm_srl_epi64(_mm_set1_epi64x(INT64_MIN), c);
    return _mm_sub_epi64(_mm_xor_si128(_mm_srl_epi64(a, c), m), m);
  });
}

// extadd_pairwise. pmaddubsw multiplies unsigned bytes of its first operand
// by signed bytes of its second and adds pairs (saturation cannot trigger
// with a factor of 1), so ones in the other operand give the pair sums.
WISP_SIMD_UNARY(I16x8ExtaddPairwiseI8x16S, __m128i, _mm_maddubs_epi16(_mm_set1_epi8(1), a))
WISP_SIMD_UNARY(I16x8ExtaddPairwiseI8x16U, __m128i, _mm_maddubs_epi16(a, _mm_set1_epi8(1)))
WISP_SIMD_UNARY(I32x4ExtaddPairwiseI16x8S, __m128i, _mm_madd_epi16(a, _mm_set1_epi16(1)))
// pmaddwd is signed only: bias the u16 lanes into i16 range (x - 32768),
// add pairs, and put back the 2 * 32768 the bias removed.
WISP_SIMD_UNARY(I32x4ExtaddPairwiseI16x8U, __m128i,
                _mm_add_epi32(_mm_madd_epi16(_mm_xor_si128(a, _mm_set1_epi16(INT16_MIN)), _mm_set1_epi16(1)),
                              _mm_set1_epi32(0x10000)))

// i16x8.extmul_*_i8x16: widen with pmovsx/pmovzx, then pmullw (the
// product fits in 16 bits). The high half is first moved down 8 bytes.
WISP_SIMD_BINARY(I16x8ExtmulLowI8x16S, __m128i, _mm_mullo_epi16(_mm_cvtepi8_epi16(a), _mm_cvtepi8_epi16(b)))
WISP_SIMD_BINARY(I16x8ExtmulHighI8x16S, __m128i,
                 _mm_mullo_epi16(_mm_cvtepi8_epi16(_mm_unpackhi_epi64(a, a)), _mm_cvtepi8_epi16(_mm_unpackhi_epi64(b, b))))
WISP_SIMD_BINARY(I16x8ExtmulLowI8x16U, __m128i, _mm_mullo_epi16(_mm_cvtepu8_epi16(a), _mm_cvtepu8_epi16(b)))
WISP_SIMD_BINARY(I16x8ExtmulHighI8x16U, __m128i,
                 _mm_mullo_epi16(_mm_cvtepu8_epi16(_mm_unpackhi_epi64(a, a)), _mm_cvtepu8_epi16(_mm_unpackhi_epi64(b, b))))
// i32x4.extmul_*_i16x8: pmullw and pmulhw give the low and high halves of
// all eight 32-bit products; interleaving them assembles four of them.
WISP_SIMD_BINARY(I32x4ExtmulLowI16x8S, __m128i, _mm_unpacklo_epi16(_mm_mullo_epi16(a, b), _mm_mulhi_epi16(a, b)))
WISP_SIMD_BINARY(I32x4ExtmulHighI16x8S, __m128i, _mm_unpackhi_epi16(_mm_mullo_epi16(a, b), _mm_mulhi_epi16(a, b)))
WISP_SIMD_BINARY(I32x4ExtmulLowI16x8U, __m128i, _mm_unpacklo_epi16(_mm_mullo_epi16(a, b), _mm_mulhi_epu16(a, b)))
WISP_SIMD_BINARY(I32x4ExtmulHighI16x8U, __m128i, _mm_unpackhi_epi16(_mm_mullo_epi16(a, b), _mm_mulhi_epu16(a, b)))
// i64x2.extmul_*_i32x4: pmuldq/pmuludq multiply 32-bit lanes 0 and 2 into
// 64-bit products, so first spread the wanted two lanes to 0 and 2.
WISP_SIMD_BINARY(I64x2ExtmulLowI32x4S, __m128i,
                 _mm_mul_epi32(_mm_shuffle_epi32(a, _MM_SHUFFLE(1, 1, 0, 0)), _mm_shuffle_epi32(b, _MM_SHUFFLE(1, 1, 0, 0))))
WISP_SIMD_BINARY(I64x2ExtmulHighI32x4S, __m128i,
                 _mm_mul_epi32(_mm_shuffle_epi32(a, _MM_SHUFFLE(3, 3, 2, 2)), _mm_shuffle_epi32(b, _MM_SHUFFLE(3, 3, 2, 2))))
WISP_SIMD_BINARY(I64x2ExtmulLowI32x4U, __m128i,
                 _mm_mul_epu32(_mm_shuffle_epi32(a, _MM_SHUFFLE(1, 1, 0, 0)), _mm_shuffle_epi32(b, _MM_SHUFFLE(1, 1, 0, 0))))
WISP_SIMD_BINARY(I64x2ExtmulHighI32x4U, __m128i,
                 _mm_mul_epu32(_mm_shuffle_epi32(a, _MM_SHUFFLE(3, 3, 2, 2)), _mm_shuffle_epi32(b, _MM_SHUFFLE(3, 3, 2, 2))))

#else
// ---- portable ------------------------------------------------------------------

WISP_SIMD_UNARY(I8x16Abs, i8x16, (abs_lanes<i8x16, u8x16>(a)))
WISP_SIMD_UNARY(I16x8Abs, i16x8, (abs_lanes<i16x8, u16x8>(a)))
WISP_SIMD_UNARY(I32x4Abs, i32x4, (abs_lanes<i32x4, u32x4>(a)))

WISP_SIMD_BINARY(I8x16AddSatS, i8x16, (add_sat_s<i8x16, u8x16>(a, b)))
WISP_SIMD_BINARY(I8x16AddSatU, u8x16, add_sat_u(a, b))
WISP_SIMD_BINARY(I8x16SubSatS, i8x16, (sub_sat_s<i8x16, u8x16>(a, b)))
WISP_SIMD_BINARY(I8x16SubSatU, u8x16, sub_sat_u(a, b))
WISP_SIMD_BINARY(I16x8AddSatS, i16x8, (add_sat_s<i16x8, u16x8>(a, b)))
WISP_SIMD_BINARY(I16x8AddSatU, u16x8, add_sat_u(a, b))
WISP_SIMD_BINARY(I16x8SubSatS, i16x8, (sub_sat_s<i16x8, u16x8>(a, b)))
WISP_SIMD_BINARY(I16x8SubSatU, u16x8, sub_sat_u(a, b))

WISP_SIMD_BINARY(I8x16MinS, i8x16, min_lanes(a, b))
WISP_SIMD_BINARY(I8x16MinU, u8x16, min_lanes(a, b))
WISP_SIMD_BINARY(I8x16MaxS, i8x16, max_lanes(a, b))
WISP_SIMD_BINARY(I8x16MaxU, u8x16, max_lanes(a, b))
WISP_SIMD_BINARY(I16x8MinS, i16x8, min_lanes(a, b))
WISP_SIMD_BINARY(I16x8MinU, u16x8, min_lanes(a, b))
WISP_SIMD_BINARY(I16x8MaxS, i16x8, max_lanes(a, b))
WISP_SIMD_BINARY(I16x8MaxU, u16x8, max_lanes(a, b))
WISP_SIMD_BINARY(I32x4MinS, i32x4, min_lanes(a, b))
WISP_SIMD_BINARY(I32x4MinU, u32x4, min_lanes(a, b))
WISP_SIMD_BINARY(I32x4MaxS, i32x4, max_lanes(a, b))
WISP_SIMD_BINARY(I32x4MaxU, u32x4, max_lanes(a, b))

WISP_SIMD_BINARY(I8x16AvgrU, u8x16, avgr_u(a, b))
WISP_SIMD_BINARY(I16x8AvgrU, u16x8, avgr_u(a, b))

// Classic SWAR popcount within each byte: 2-bit, then 4-bit, then 8-bit
// partial sums.
WISP_SIMD_UNARY(I8x16Popcnt, u8x16, [&] {
  u8x16 x = a - ((a >> 1) & 0x55);
  x = (x & 0x33) + ((x >> 2) & 0x33);
  return (x + (x >> 4)) & 0x0F;
}())

WISP_SIMD_HANDLER(I8x16Shl) { return shift<u8x16, 8>(sp, [](u8x16 a, unsigned n) { return a << n; }); }
WISP_SIMD_HANDLER(I8x16ShrS) { return shift<i8x16, 8>(sp, [](i8x16 a, unsigned n) { return a >> n; }); }
WISP_SIMD_HANDLER(I8x16ShrU) { return shift<u8x16, 8>(sp, [](u8x16 a, unsigned n) { return a >> n; }); }
WISP_SIMD_HANDLER(I64x2ShrS) { return shift<i64x2, 64>(sp, [](i64x2 a, unsigned n) { return a >> n; }); }

WISP_SIMD_UNARY(I16x8ExtaddPairwiseI8x16S, i8x16, extadd<i16x8>(a))
WISP_SIMD_UNARY(I16x8ExtaddPairwiseI8x16U, u8x16, extadd<u16x8>(a))
WISP_SIMD_UNARY(I32x4ExtaddPairwiseI16x8S, i16x8, extadd<i32x4>(a))
WISP_SIMD_UNARY(I32x4ExtaddPairwiseI16x8U, u16x8, extadd<u32x4>(a))

WISP_SIMD_BINARY(I16x8ExtmulLowI8x16S, i8x16, (extmul<i16x8, u16x8>(low_half(a), low_half(b))))
WISP_SIMD_BINARY(I16x8ExtmulHighI8x16S, i8x16, (extmul<i16x8, u16x8>(high_half(a), high_half(b))))
WISP_SIMD_BINARY(I16x8ExtmulLowI8x16U, u8x16, (extmul<u16x8, u16x8>(low_half(a), low_half(b))))
WISP_SIMD_BINARY(I16x8ExtmulHighI8x16U, u8x16, (extmul<u16x8, u16x8>(high_half(a), high_half(b))))
WISP_SIMD_BINARY(I32x4ExtmulLowI16x8S, i16x8, (extmul<i32x4, u32x4>(low_half(a), low_half(b))))
WISP_SIMD_BINARY(I32x4ExtmulHighI16x8S, i16x8, (extmul<i32x4, u32x4>(high_half(a), high_half(b))))
WISP_SIMD_BINARY(I32x4ExtmulLowI16x8U, u16x8, (extmul<u32x4, u32x4>(low_half(a), low_half(b))))
WISP_SIMD_BINARY(I32x4ExtmulHighI16x8U, u16x8, (extmul<u32x4, u32x4>(high_half(a), high_half(b))))
WISP_SIMD_BINARY(I64x2ExtmulLowI32x4S, i32x4, (extmul<i64x2, u64x2>(low_half(a), low_half(b))))
WISP_SIMD_BINARY(I64x2ExtmulHighI32x4S, i32x4, (extmul<i64x2, u64x2>(high_half(a), high_half(b))))
WISP_SIMD_BINARY(I64x2ExtmulLowI32x4U, u32x4, (extmul<u64x2, u64x2>(low_half(a), low_half(b))))
WISP_SIMD_BINARY(I64x2ExtmulHighI32x4U, u32x4, (extmul<u64x2, u64x2>(high_half(a), high_half(b))))
#endif

}  // namespace wisp::WISP_SIMD_NS
