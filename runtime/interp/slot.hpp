// One value-stack slot. Every value, v128 included, takes exactly one slot,
// so local indices, side-table keep/drop counts and JIT spill slots are all
// plain value counts. With WISP_SIMD off the slot shrinks to 8 bytes (and
// the validator rejects v128), which is how bench/ measures what 16-byte
// slots cost scalar code.
#pragma once
#include <cstdint>
#include <cstring>

#ifndef WISP_SIMD
#define WISP_SIMD 1
#endif

namespace wisp {

struct alignas(WISP_SIMD ? 16 : 8) Slot {
  union {
    uint32_t u32;
    int32_t i32;
    uint64_t u64;
    int64_t i64;
    float f32;
    double f64;
    void* ref;
#if WISP_SIMD
    uint8_t v128[16];
#endif
  };
};
static_assert(sizeof(Slot) == (WISP_SIMD ? 16 : 8));

inline uint32_t slot_f32_bits(const Slot& s) { uint32_t b; std::memcpy(&b, &s.f32, 4); return b; }
inline uint64_t slot_f64_bits(const Slot& s) { uint64_t b; std::memcpy(&b, &s.f64, 8); return b; }

// Handler for one 0xFD instruction. Called by the interpreter with pc just
// past the sub-opcode (at the immediates) and sp one past the top value;
// returns the new sp and advances pc past the immediates. `mem` is the base
// of memory 0 (loads and stores need no bounds checks: guard pages).
using SimdHandler = Slot* (*)(Slot* sp, const uint8_t*& pc, uint8_t* mem);

// Indexed by the sub-opcode (all 2.0 SIMD sub-opcodes are < 256).
extern const SimdHandler kSimdHandlers[256];

}  // namespace wisp
