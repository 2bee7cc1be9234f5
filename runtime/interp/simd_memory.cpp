// SIMD loads and stores: v128.load/store, the extending and splatting
// loads, load*_zero and the single-lane loads and stores.
//
// Every access goes to mem + u32 address + u32 offset through wasm_load /
// wasm_store (memory.hpp): no bounds check (guard pages), no alignment
// requirement (Wasm alignment is a hint), and stores that cannot be torn
// at the end of memory on targets where a plain store could be.
#include "runtime/interp/simd_impl.hpp"
#include "runtime/vm/memory.hpp"

namespace wisp::WISP_SIMD_NS {
namespace {

// (i32 address) -> v128 computed from the T at the address.
template <class T, class F>
inline Slot* load(Slot* sp, const uint8_t*& pc, uint8_t* mem, F build) {
  const uint8_t* p = effective_address(pc, mem, sp[-1].u32);
  put(sp[-1], build(wasm_load<T>(p)));
  return sp;
}

// loadMxN_s/u: N lanes of M bits each, widened to 2M bits. Narrow is the
// 8-byte vector type of the memory lanes (its signedness picks sign or
// zero extension), Wide the 16-byte result type.
template <class Narrow, class Wide>
inline Slot* load_extend(Slot* sp, const uint8_t*& pc, uint8_t* mem) {
  return load<Narrow>(sp, pc, mem, [](Narrow n) { return __builtin_convertvector(n, Wide); });
}

// loadN_splat: one lane copied to every lane.
template <class V, class T>
inline Slot* load_splat(Slot* sp, const uint8_t*& pc, uint8_t* mem) {
  return load<T>(sp, pc, mem, [](T x) { return splat<V>(x); });
}

// loadN_zero: the value in lane 0, zeros above.
template <class V, class T>
inline Slot* load_zero(Slot* sp, const uint8_t*& pc, uint8_t* mem) {
  return load<T>(sp, pc, mem, [](T x) {
    V v{};
    v[0] = x;
    return v;
  });
}

// loadN_lane: (i32 address, v128) -> v128 with lane `lane` replaced by the
// T at the address. The lane immediate follows the memarg. V is the
// unsigned view with T-sized lanes.
template <class V, class T>
inline Slot* load_lane(Slot* sp, const uint8_t*& pc, uint8_t* mem) {
  const uint8_t* p = effective_address(pc, mem, sp[-2].u32);
  // Validation bounds the lane; the mask keeps a bad one inside the vector.
  unsigned lane = *pc++ & (16 / sizeof(T) - 1);
  put(sp[-2], insert_lane(get<V>(sp[-1]), lane, wasm_load<T>(p)));
  return sp - 1;
}

// storeN_lane: (i32 address, v128) -> (), writes lane `lane` only. The
// lane is read straight from the slot: a narrow load from inside the slot
// forwards from whatever stored it.
template <class T>
inline Slot* store_lane(Slot* sp, const uint8_t*& pc, uint8_t* mem) {
  uint8_t* p = effective_address(pc, mem, sp[-2].u32);
  unsigned lane = *pc++ & (16 / sizeof(T) - 1);
  T x;
  std::memcpy(&x, reinterpret_cast<const uint8_t*>(&sp[-1]) + lane * sizeof(T), sizeof(T));
  wasm_store<T>(p, x);
  return sp - 2;
}

}  // namespace

WISP_SIMD_HANDLER(V128Load) {
  return load<u8x16>(sp, pc, mem, [](u8x16 v) { return v; });
}

WISP_SIMD_HANDLER(V128Store) {
  uint8_t* p = effective_address(pc, mem, sp[-2].u32);
  wasm_store<u8x16>(p, get<u8x16>(sp[-1]));
  return sp - 2;
}

WISP_SIMD_HANDLER(V128Load8x8S) { return load_extend<i8x8, i16x8>(sp, pc, mem); }
WISP_SIMD_HANDLER(V128Load8x8U) { return load_extend<u8x8, u16x8>(sp, pc, mem); }
WISP_SIMD_HANDLER(V128Load16x4S) { return load_extend<i16x4, i32x4>(sp, pc, mem); }
WISP_SIMD_HANDLER(V128Load16x4U) { return load_extend<u16x4, u32x4>(sp, pc, mem); }
WISP_SIMD_HANDLER(V128Load32x2S) { return load_extend<i32x2, i64x2>(sp, pc, mem); }
WISP_SIMD_HANDLER(V128Load32x2U) { return load_extend<u32x2, u64x2>(sp, pc, mem); }

WISP_SIMD_HANDLER(V128Load8Splat) { return load_splat<u8x16, uint8_t>(sp, pc, mem); }
WISP_SIMD_HANDLER(V128Load16Splat) { return load_splat<u16x8, uint16_t>(sp, pc, mem); }
WISP_SIMD_HANDLER(V128Load32Splat) { return load_splat<u32x4, uint32_t>(sp, pc, mem); }
WISP_SIMD_HANDLER(V128Load64Splat) { return load_splat<u64x2, uint64_t>(sp, pc, mem); }

WISP_SIMD_HANDLER(V128Load32Zero) { return load_zero<u32x4, uint32_t>(sp, pc, mem); }
WISP_SIMD_HANDLER(V128Load64Zero) { return load_zero<u64x2, uint64_t>(sp, pc, mem); }

WISP_SIMD_HANDLER(V128Load8Lane) { return load_lane<u8x16, uint8_t>(sp, pc, mem); }
WISP_SIMD_HANDLER(V128Load16Lane) { return load_lane<u16x8, uint16_t>(sp, pc, mem); }
WISP_SIMD_HANDLER(V128Load32Lane) { return load_lane<u32x4, uint32_t>(sp, pc, mem); }
WISP_SIMD_HANDLER(V128Load64Lane) { return load_lane<u64x2, uint64_t>(sp, pc, mem); }

WISP_SIMD_HANDLER(V128Store8Lane) { return store_lane<uint8_t>(sp, pc, mem); }
WISP_SIMD_HANDLER(V128Store16Lane) { return store_lane<uint16_t>(sp, pc, mem); }
WISP_SIMD_HANDLER(V128Store32Lane) { return store_lane<uint32_t>(sp, pc, mem); }
WISP_SIMD_HANDLER(V128Store64Lane) { return store_lane<uint64_t>(sp, pc, mem); }

}  // namespace wisp::WISP_SIMD_NS
