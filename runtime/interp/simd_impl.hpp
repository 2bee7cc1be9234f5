// Internals shared by the simd_*.cpp files that implement the 0xFD
// handlers (see SIMD.md). Not an interface for the rest of the runtime:
// everything outside reaches SIMD through simd_handlers() (simd.hpp).
#pragma once
#include <bit>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "runtime/interp/handler_abi.hpp"
#include "runtime/interp/immediates.hpp"
#include "runtime/vm/slot.hpp"

// Backend choice. WISP_SIMD_PORTABLE=1 (CMake option of the same name)
// forces the plain C++ path everywhere; otherwise the SSE4.1 intrinsics are
// used when the compiler targets them (simd.cmake adds -msse4.1 on x86-64).
#ifndef WISP_SIMD_PORTABLE
#define WISP_SIMD_PORTABLE 0
#endif
// The sources are compiled once per backend (simd.cmake), each copy in its
// own namespace, so one binary holds both and picks at run time
// (simd_select.cpp).
#ifndef WISP_SIMD_NS
#define WISP_SIMD_NS simd
#endif
#if !WISP_SIMD_PORTABLE && defined(__x86_64__) && defined(__SSE4_1__)
#define WISP_SIMD_SSE41 1
#include <smmintrin.h>
#else
#define WISP_SIMD_SSE41 0
#endif


// Lanes are numbered the way Wasm numbers them: lane i lives at bytes
// [i*N, (i+1)*N) of the 16-byte value, so a host vector lane i is Wasm lane
// i only on a little-endian host.
static_assert(std::endian::native == std::endian::little, "wisp SIMD assumes a little-endian host");

namespace wisp::WISP_SIMD_NS {

// Lane views of a v128 (GCC/Clang vector extensions). Arithmetic that may
// wrap is done on the unsigned views: signed overflow in vector lanes is as
// undefined as in scalars.
typedef int8_t i8x16 __attribute__((vector_size(16)));
typedef uint8_t u8x16 __attribute__((vector_size(16)));
typedef int16_t i16x8 __attribute__((vector_size(16)));
typedef uint16_t u16x8 __attribute__((vector_size(16)));
typedef int32_t i32x4 __attribute__((vector_size(16)));
typedef uint32_t u32x4 __attribute__((vector_size(16)));
typedef int64_t i64x2 __attribute__((vector_size(16)));
typedef uint64_t u64x2 __attribute__((vector_size(16)));
typedef float f32x4 __attribute__((vector_size(16)));
typedef double f64x2 __attribute__((vector_size(16)));
// Half-width views, for widening and narrowing with __builtin_convertvector.
typedef int8_t i8x8 __attribute__((vector_size(8)));
typedef uint8_t u8x8 __attribute__((vector_size(8)));
typedef int16_t i16x4 __attribute__((vector_size(8)));
typedef uint16_t u16x4 __attribute__((vector_size(8)));
typedef int32_t i32x2 __attribute__((vector_size(8)));
typedef uint32_t u32x2 __attribute__((vector_size(8)));
typedef float f32x2 __attribute__((vector_size(8)));

// Reinterprets the 16 bytes as another lane view.
template <class To, class From>
inline To bits(From v) {
  return std::bit_cast<To>(v);
}

// Slot -> vector, read as two 8-byte halves. The interpreter stores scalar
// results as 8-byte stores and copies slots (local.get...) as two 8-byte
// halves (slot.hpp); a 16-byte load of such a slot cannot be store-
// forwarded and stalls ~12 cycles. Split loads took a loop of v128 ops
// from 2.14 s to 1.56 s (either backend). The empty asm keeps the compiler
// from merging the halves back into one 16-byte load.
template <class V>
inline V get(const Slot& s) {
  static_assert(sizeof(V) == 16);
#if WISP_SIMD_SSE41
  __m128i v = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(&s));
  asm("" : "+x"(v));
  v = _mm_castpd_si128(_mm_loadh_pd(_mm_castsi128_pd(v), reinterpret_cast<const double*>(&s) + 1));
  return bits<V>(v);
#else
  uint64_t lo, hi;
  std::memcpy(&lo, &s, 8);
  std::memcpy(&hi, reinterpret_cast<const uint8_t*>(&s) + 8, 8);
  asm("" : "+r"(lo), "+r"(hi));
  return bits<V>(u64x2{lo, hi});
#endif
}
// Vector -> slot, one 16-byte store: 8-byte and narrower loads of it
// (copy_slot, extract_lane, the next get) forward fine, and splitting the
// store measured no gain.
template <class V>
inline void put(Slot& s, const V& v) {
  static_assert(sizeof(V) == 16);
  std::memcpy(&s, &v, 16);
}
// All lanes = x.
template <class V, class T>
inline V splat(T x) {
  using E = std::remove_reference_t<decltype(V{}[0])>;
  V v;
  for (unsigned i = 0; i < sizeof(V) / sizeof(E); ++i) v[i] = E(x);
  return v;
}
// Lane-wise m ? a : b for a comparison mask m (lanes all-ones or zero).
template <class V, class M>
inline V select(M m, V a, V b) {
  return bits<V>((bits<M>(a) & m) | (bits<M>(b) & ~m));
}

// Half of the lanes (for widening) as a half-width vector (low: lanes 0..n/2-1).
template <class V>
inline auto low_half(V v) {
  if constexpr (sizeof(v[0]) == 1) return __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7);
  else if constexpr (sizeof(v[0]) == 2) return __builtin_shufflevector(v, v, 0, 1, 2, 3);
  else return __builtin_shufflevector(v, v, 0, 1);
}
template <class V>
inline auto high_half(V v) {
  if constexpr (sizeof(v[0]) == 1) return __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15);
  else if constexpr (sizeof(v[0]) == 2) return __builtin_shufflevector(v, v, 4, 5, 6, 7);
  else return __builtin_shufflevector(v, v, 2, 3);
}

// A scalar result (i32/i64/f32/f64) as the interpreter writes them: one
// 8-byte store, zero-extended (slot.hpp), so the low 8 bytes never hold
// stale v128 bytes and the next 8-byte read of the slot is forwarded.
template <class T>
inline void put_scalar(Slot& s, T x) {
  uint64_t b = 0;
  std::memcpy(&b, &x, sizeof(T));
  std::memcpy(&s, &b, 8);
}

// v with lane `lane` replaced by x, in registers: comparing the lane
// numbers with `lane` gives the mask. (Writing the lane into the slot
// instead would leave the slot as a mix of stores that the next 8-byte or
// 16-byte read could not be forwarded from.) V is the unsigned view whose
// lanes have x's width.
template <class V, class T>
inline V insert_lane(V v, unsigned lane, T x) {
  using E = std::remove_reference_t<decltype(V{}[0])>;
  static_assert(sizeof(E) == sizeof(T));
  V index;
  for (unsigned i = 0; i < sizeof(V) / sizeof(E); ++i) index[i] = E(i);
  E e;
  std::memcpy(&e, &x, sizeof(E));
  return select(index == splat<V>(lane), splat<V>(e), v);
}

// memarg (align, offset) -> host address of a u32 Wasm address. Alignment
// is only a hint in Wasm, so it is skipped. No bounds check: the 33-bit
// sum lands in the guard region when out of bounds and the fault becomes a
// trap (signals.hpp).
inline uint8_t* effective_address(const uint8_t*& pc, uint8_t* mem, uint32_t addr) {
  read_u32(pc);
  uint32_t offset = read_u32(pc);
  return mem + uint64_t(addr) + uint64_t(offset);
}

// Handler shapes. Operands are read before the result is written because
// the result slot is the deepest operand's.
template <class A, class F>
inline Slot* unary(Slot* sp, F f) {
  put(sp[-1], f(get<A>(sp[-1])));
  return sp;
}
template <class A, class F>
inline Slot* binary(Slot* sp, F f) {
  put(sp[-2], f(get<A>(sp[-2]), get<A>(sp[-1])));
  return sp - 1;
}
// v128 -> i32 (any_true, all_true, bitmask).
template <class A, class F>
inline Slot* reduce(Slot* sp, F f) {
  put_scalar<uint32_t>(sp[-1], f(get<A>(sp[-1])));
  return sp;
}
// (v128, i32 count) -> v128; the count is taken modulo the lane width.
template <class A, unsigned LaneBits, class F>
inline Slot* shift(Slot* sp, F f) {
  unsigned n = sp[-1].u32 & (LaneBits - 1);
  put(sp[-2], f(get<A>(sp[-2]), n));
  return sp - 1;
}

}  // namespace wisp::WISP_SIMD_NS

// A handler's body works on a local pc (taken by reference by the helpers
// above) and is inlined into the exported function, which returns sp and pc.
//
// Where the interpreter's handlers carry their dispatch table in a register
// (WISP_DISP_REG, clang 19), each body is also inlined into two tail-call
// twins, Name_tail0 and Name_tail1 (without and with fuel), that join the
// interpreter's handler chain: h_prefix_fd jumps to one, and it dispatches
// the next instruction itself. No call, no return, no saved registers.
#if WISP_DISP_REG
#define WISP_SIMD_NEXT(FUEL)                                                          \
  do {                                                                                \
    WISP_CHARGE_FUEL(FUEL)                                                            \
    WISP_MUSTTAIL return static_cast<const Handler*>(disp)[*pc](pc + 1, sp, fp, mem, stp, t, disp); \
  } while (0)
#define WISP_SIMD_TAILS(Name)                                                         \
  WISP_CC void Name##_tail0(WISP_ARGS) {                                                   \
    sp = Name##_body(sp, pc, mem);                                                    \
    WISP_SIMD_NEXT(false);                                                            \
  }                                                                                   \
  WISP_CC void Name##_tail1(WISP_ARGS) {                                                   \
    sp = Name##_body(sp, pc, mem);                                                    \
    WISP_SIMD_NEXT(true);                                                             \
  }
#else
#define WISP_SIMD_TAILS(Name)
#endif
#define WISP_SIMD_HANDLER(Name)                                                       \
  [[gnu::always_inline]] static inline Slot* Name##_body(Slot* sp, const uint8_t*& pc, uint8_t* mem); \
  WISP_SIMD_CC SimdResult Name(Slot* sp, const uint8_t* pc, uint8_t* mem) {           \
    sp = Name##_body(sp, pc, mem);                                                    \
    return {sp, pc};                                                                  \
  }                                                                                   \
  WISP_SIMD_TAILS(Name)                                                               \
  [[gnu::always_inline]] static inline Slot* Name##_body(                             \
      Slot* sp, [[maybe_unused]] const uint8_t*& pc, [[maybe_unused]] uint8_t* mem)
// One-expression handlers: operands are `a` (and `b`) of lane view T.
#define WISP_SIMD_UNARY(Name, T, ...) \
  WISP_SIMD_HANDLER(Name) { return unary<T>(sp, [](T a) { return __VA_ARGS__; }); }
#define WISP_SIMD_BINARY(Name, T, ...) \
  WISP_SIMD_HANDLER(Name) { return binary<T>(sp, [](T a, T b) { return __VA_ARGS__; }); }

// Declarations of every handler, named after its opcodes.def row (Op::X is
// handled by wisp::simd::X). The prefix column selects the 0xFD rows.
namespace wisp::WISP_SIMD_NS {
#define WISP_SIMD_DECLARE_0x00(name)
#define WISP_SIMD_DECLARE_0xFC(name)
#if WISP_DISP_REG
#define WISP_SIMD_DECLARE_0xFD(name)                                  \
  WISP_SIMD_CC SimdResult name(Slot* sp, const uint8_t* pc, uint8_t* mem); \
  WISP_CC void name##_tail0(WISP_ARGS);                                     \
  WISP_CC void name##_tail1(WISP_ARGS);
#else
#define WISP_SIMD_DECLARE_0xFD(name) WISP_SIMD_CC SimdResult name(Slot* sp, const uint8_t* pc, uint8_t* mem);
#endif
#define WISP_OP(name, text, prefix, code, imm, size, p1, p2, p3, r) WISP_SIMD_DECLARE_##prefix(name)
#include "runtime/wasm/opcodes.def"
#undef WISP_OP
#undef WISP_SIMD_DECLARE_0x00
#undef WISP_SIMD_DECLARE_0xFC
#undef WISP_SIMD_DECLARE_0xFD
}  // namespace wisp::WISP_SIMD_NS

