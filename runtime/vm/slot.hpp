// One value-stack slot. Every value, v128 included, takes exactly one slot,
// so local indices, side-table keep/drop counts and JIT spill slots are all
// plain value counts. (An 8-byte-slot build without SIMD was measured
// within 2% of this one on scalar code and dropped: bench/README.md.)
#pragma once
#include <cstdint>
#include <cstring>

namespace wisp {

struct alignas(16) Slot {
  union {
    // The full-width member comes first: `Slot s{}` (and so `Value v{}`)
    // initializes only the first member, and a narrower one left the upper
    // bytes indeterminate -- a "null" funcref Value made that way held
    // stack garbage.
    uint64_t w[2];
    uint64_t u64;
    uint32_t u32;
    int32_t i32;
    int64_t i64;
    float f32;
    double f64;
    void* ref;
    uint8_t v128[16];
  };
};
static_assert(sizeof(Slot) == 16);

// Store-forwarding rule of the value stack: every scalar result is written
// as one 8-byte store (i32/f32 zero-extended), and whole slots are copied as
// 8-byte halves. A load wider than the last store to the same place cannot
// be forwarded and stalls for ~12 cycles; a 16-byte movdqa copy right after
// an 8-byte result did exactly that (measured in INTERPRETER.md).
inline void copy_slot(Slot& d, const Slot& s) {
  uint64_t lo = s.w[0], hi = s.w[1];
  // Keep the halves in general registers: the compiler would otherwise
  // merge them back into one 16-byte load.
  asm("" : "+r"(lo), "+r"(hi));
  d.w[0] = lo;
  d.w[1] = hi;
}
inline void set_u32(Slot& d, uint32_t v) { d.u64 = v; }
inline void set_f32(Slot& d, float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  d.u64 = b;
}

inline uint32_t slot_f32_bits(const Slot& s) { uint32_t b; std::memcpy(&b, &s.f32, 4); return b; }
inline uint64_t slot_f64_bits(const Slot& s) { uint64_t b; std::memcpy(&b, &s.f64, 8); return b; }

// Handler for one 0xFD instruction. Called by the interpreter with pc just
// past the sub-opcode (at the immediates) and sp one past the top value;
// returns the new sp and the pc past the immediates (both in registers).
// `mem` is the base of memory 0 (loads and stores need no bounds checks:
// guard pages).
//
// Under clang the handlers are preserve_most: they keep the general
// registers they use, so the interpreter handler that calls one keeps its
// state in registers across the call instead of spilling it (SIMD.md).
struct SimdResult {
  Slot* sp;
  const uint8_t* pc;
};
#if defined(__clang__) && (defined(__x86_64__) || defined(__aarch64__))
#define WISP_SIMD_CC __attribute__((preserve_most))
#else
#define WISP_SIMD_CC
#endif
using SimdHandler = WISP_SIMD_CC SimdResult (*)(Slot* sp, const uint8_t* pc, uint8_t* mem);

// The handler tables (one per backend) are indexed by the sub-opcode; all
// 2.0 SIMD sub-opcodes are < 256. See simd.hpp for the active one.

}  // namespace wisp
