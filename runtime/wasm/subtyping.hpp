// Subtyping (Wasm 3.0), the one check every rule that matches types uses:
// operands against what an instruction expects, results against a block's
// type, imports against what a module declares.
#pragma once
#include "runtime/wasm/module.hpp"
#include "runtime/wasm/types.hpp"

namespace wisp {

// Whether heap type a (with type index ai when it is HeapKind::Index) is a
// subtype of b (bi) in module m's type space.
bool heap_subtype(HeapKind a, uint32_t ai, HeapKind b, uint32_t bi, const Module& m);

// a <: b. Number and vector types match only themselves; Unknown (the
// bottom of a polymorphic stack) matches anything. A reference type matches
// if a nullable one goes only to a nullable one and the heap types are
// subtypes: none <: i31, struct, array <: eq <: any; nofunc <: func;
// noextern <: extern; noexn <: exn; a defined type <: its declared
// supertype and the abstract type of its kind (func, struct or array).
// For the types of Wasm 2.0 this is equality.
inline bool is_subtype(ValType a, ValType b, const Module& m) {
  if (a == b || a == ValType::Unknown) return true;
  if (!a.is_ref() || !b.is_ref()) return false;
  if (a.nullable() && !b.nullable()) return false;
  return heap_subtype(a.heap(), a.index(), b.heap(), b.index(), m);
}

}  // namespace wisp
