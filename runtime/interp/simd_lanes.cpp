// v128.const, i8x16.shuffle/swizzle, splats, extract_lane, replace_lane.
#include "runtime/interp/simd_impl.hpp"

namespace wisp::WISP_SIMD_NS {
namespace {

// T is the scalar type the lane is widened to (i32 for i8/i16 lanes);
// Lane is the lane's own type, whose signedness picks the extension.
template <class Lane, class T>
inline Slot* extract_lane(Slot* sp, const uint8_t*& pc) {
  // Validation bounds the lane; the mask keeps a bad one inside the slot.
  unsigned lane = *pc++ & (16 / sizeof(Lane) - 1);
  Lane x;
  std::memcpy(&x, reinterpret_cast<const uint8_t*>(&sp[-1]) + lane * sizeof(Lane), sizeof(Lane));
  put_scalar<T>(sp[-1], T(x));
  return sp;
}

// (v128, scalar) -> v128. The scalar's low bytes are the lane (an i32
// operand of i8x16.replace_lane is truncated). V: unsigned view, T: its lane.
template <class V, class T>
inline Slot* replace_lane(Slot* sp, const uint8_t*& pc) {
  unsigned lane = *pc++ & (16 / sizeof(T) - 1);
  T x;
  std::memcpy(&x, &sp[-1], sizeof(T));
  put(sp[-2], insert_lane(get<V>(sp[-2]), lane, x));
  return sp - 1;
}

// Splat of the slot's scalar (its low bytes, so i32 -> i8 truncates).
template <class V, class T>
inline Slot* splat_slot(Slot* sp) {
  T x;
  std::memcpy(&x, &sp[-1], sizeof(T));
  put(sp[-1], splat<V>(x));
  return sp;
}

}  // namespace

WISP_SIMD_HANDLER(V128Const) {
  std::memcpy(sp, pc, 16);
  pc += 16;
  return sp + 1;
}

// Result lane i is byte s[i] of the 32-byte concatenation a:b.
WISP_SIMD_HANDLER(I8x16Shuffle) {
  const uint8_t* s = pc;
  pc += 16;
#if WISP_SIMD_SSE41
  __m128i a = get<__m128i>(sp[-2]), b = get<__m128i>(sp[-1]);
  __m128i idx = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));
  // pshufb zeroes a lane whose index has bit 7 set and otherwise uses the
  // low 4 bits. Indices 0..15 +0x70 (saturating) stay below 0x80 and pick
  // from a; 16..31 become >= 0x80 and give 0. Minus 16, indices 16..31 pick
  // from b and 0..15 wrap to 0xF0.. and give 0.
  __m128i from_a = _mm_shuffle_epi8(a, _mm_adds_epu8(idx, _mm_set1_epi8(0x70)));
  __m128i from_b = _mm_shuffle_epi8(b, _mm_sub_epi8(idx, _mm_set1_epi8(16)));
  put(sp[-2], _mm_or_si128(from_a, from_b));
#else
  uint8_t ab[32];
  u8x16 a = get<u8x16>(sp[-2]), b = get<u8x16>(sp[-1]);
  std::memcpy(ab, &a, 16);
  std::memcpy(ab + 16, &b, 16);
  u8x16 r;
  // Validated indices are < 32; the mask keeps a bad one inside ab.
  for (int i = 0; i < 16; ++i) r[i] = ab[s[i] & 31];
  put(sp[-2], r);
#endif
  return sp - 1;
}

// Result lane i is a[b[i]], or 0 when b[i] >= 16 (as an unsigned byte).
#if WISP_SIMD_SSE41
WISP_SIMD_BINARY(I8x16Swizzle, __m128i,
                 // Same trick as shuffle: +0x70 saturating sends 16..255 to
                 // >= 0x80, which pshufb turns into 0.
                 _mm_shuffle_epi8(a, _mm_adds_epu8(b, _mm_set1_epi8(0x70))))
#else
WISP_SIMD_BINARY(I8x16Swizzle, u8x16, [&] {
  // Gather with the index taken mod 16, then clear the lanes whose index
  // was >= 16 with a vector mask (no per-lane branch).
  u8x16 r;
  for (int i = 0; i < 16; ++i) r[i] = a[b[i] & 15];
  return r & bits<u8x16>(b < 16);
}())
#endif

WISP_SIMD_HANDLER(I8x16Splat) { return splat_slot<u8x16, uint8_t>(sp); }
WISP_SIMD_HANDLER(I16x8Splat) { return splat_slot<u16x8, uint16_t>(sp); }
WISP_SIMD_HANDLER(I32x4Splat) { return splat_slot<u32x4, uint32_t>(sp); }
WISP_SIMD_HANDLER(I64x2Splat) { return splat_slot<u64x2, uint64_t>(sp); }
// Float splats copy bits through integer lanes so NaN payloads survive.
WISP_SIMD_HANDLER(F32x4Splat) { return splat_slot<u32x4, uint32_t>(sp); }
WISP_SIMD_HANDLER(F64x2Splat) { return splat_slot<u64x2, uint64_t>(sp); }

WISP_SIMD_HANDLER(I8x16ExtractLaneS) { return extract_lane<int8_t, int32_t>(sp, pc); }
WISP_SIMD_HANDLER(I8x16ExtractLaneU) { return extract_lane<uint8_t, uint32_t>(sp, pc); }
WISP_SIMD_HANDLER(I16x8ExtractLaneS) { return extract_lane<int16_t, int32_t>(sp, pc); }
WISP_SIMD_HANDLER(I16x8ExtractLaneU) { return extract_lane<uint16_t, uint32_t>(sp, pc); }
WISP_SIMD_HANDLER(I32x4ExtractLane) { return extract_lane<uint32_t, uint32_t>(sp, pc); }
WISP_SIMD_HANDLER(I64x2ExtractLane) { return extract_lane<uint64_t, uint64_t>(sp, pc); }
WISP_SIMD_HANDLER(F32x4ExtractLane) { return extract_lane<uint32_t, uint32_t>(sp, pc); }
WISP_SIMD_HANDLER(F64x2ExtractLane) { return extract_lane<uint64_t, uint64_t>(sp, pc); }

WISP_SIMD_HANDLER(I8x16ReplaceLane) { return replace_lane<u8x16, uint8_t>(sp, pc); }
WISP_SIMD_HANDLER(I16x8ReplaceLane) { return replace_lane<u16x8, uint16_t>(sp, pc); }
WISP_SIMD_HANDLER(I32x4ReplaceLane) { return replace_lane<u32x4, uint32_t>(sp, pc); }
WISP_SIMD_HANDLER(I64x2ReplaceLane) { return replace_lane<u64x2, uint64_t>(sp, pc); }
// Float lanes go through integer views so NaN payloads survive.
WISP_SIMD_HANDLER(F32x4ReplaceLane) { return replace_lane<u32x4, uint32_t>(sp, pc); }
WISP_SIMD_HANDLER(F64x2ReplaceLane) { return replace_lane<u64x2, uint64_t>(sp, pc); }

}  // namespace wisp::WISP_SIMD_NS
