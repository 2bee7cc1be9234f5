// Decoding immediates of validated code, shared by the interpreter's
// handlers and the SIMD handlers: no bounds or overflow checks (the
// validator did them), just the arithmetic.
#pragma once
#include <cstdint>

namespace wisp {

// Immediates in validated code are well-formed LEB128 (possibly
// non-minimal); one byte is the overwhelmingly common case, tested first
// by the callers. The longer forms are decoded
// inline too: an out-of-line call would give every handler a stack frame.
// The decoders return the new pc instead of taking &pc: a local whose
// address escapes would stop GCC from turning tail calls into jumps.
template <class T>
struct Leb {
  T value;
  const uint8_t* pc;
};

// 32-bit LEBs are unrolled: wasm-ld pads every relocatable index (call
// targets, global indices, data addresses) to 5 bytes, so the long form is
// common in real code, and a loop's exit branch mispredicted where a
// straight line of per-length branches predicts per site.
[[gnu::always_inline]] inline Leb<uint32_t> read_u32_slow(const uint8_t* pc) {
  uint32_t b = pc[0], v = b & 0x7F;
  b = pc[1];
  v |= (b & 0x7F) << 7;
  if (b < 0x80) return {v, pc + 2};
  b = pc[2];
  v |= (b & 0x7F) << 14;
  if (b < 0x80) return {v, pc + 3};
  b = pc[3];
  v |= (b & 0x7F) << 21;
  if (b < 0x80) return {v, pc + 4};
  v |= uint32_t(pc[4]) << 28;  // validated: the fifth byte is the last
  return {v, pc + 5};
}

[[gnu::always_inline]] inline Leb<int32_t> read_s32_slow(const uint8_t* pc) {
  uint32_t b = pc[0], v = b & 0x7F;
  if (b < 0x80) return {int32_t(v << 25) >> 25, pc + 1};
  b = pc[1];
  v |= (b & 0x7F) << 7;
  if (b < 0x80) return {int32_t(v << 18) >> 18, pc + 2};
  b = pc[2];
  v |= (b & 0x7F) << 14;
  if (b < 0x80) return {int32_t(v << 11) >> 11, pc + 3};
  b = pc[3];
  v |= (b & 0x7F) << 21;
  if (b < 0x80) return {int32_t(v << 4) >> 4, pc + 4};
  v |= uint32_t(pc[4]) << 28;  // validated: the upper bits only sign-extend
  return {int32_t(v), pc + 5};
}

// Unrolled as well, so every shift is a constant (a shift by %cl is three
// uops on Intel): compilers emit i64 constants (hashes, masks) as long LEBs.
[[gnu::always_inline]] inline Leb<int64_t> read_s64_slow(const uint8_t* pc) {
  uint64_t v = 0;
#define WISP_S64_STEP(i)                                               \
  {                                                                    \
    uint64_t b = pc[i];                                                \
    v |= (b & 0x7F) << (7 * i);                                        \
    if (b < 0x80) {                                                    \
      constexpr unsigned up = 64 - 7 * (i + 1); /* bits above the value */ \
      return {int64_t(v << up) >> up, pc + i + 1};                     \
    }                                                                  \
  }
  WISP_S64_STEP(0) WISP_S64_STEP(1) WISP_S64_STEP(2) WISP_S64_STEP(3) WISP_S64_STEP(4)
  WISP_S64_STEP(5) WISP_S64_STEP(6) WISP_S64_STEP(7)
#undef WISP_S64_STEP
  v |= uint64_t(pc[8] & 0x7F) << 56;
  if (pc[8] < 0x80) return {int64_t(v << 1) >> 1, pc + 9};
  v |= uint64_t(pc[9]) << 63;  // validated: the tenth byte is the last
  return {int64_t(v), pc + 10};
}

// For code that keeps pc in memory anyway (the SIMD handlers take it by
// reference): the one-byte fast path, then the general decoder.
inline uint32_t read_u32(const uint8_t*& pc) {
  uint32_t v = *pc;
  if (v < 0x80) [[likely]] {
    ++pc;
    return v;
  }
  auto r = read_u32_slow(pc);
  pc = r.pc;
  return r.value;
}

}  // namespace wisp
