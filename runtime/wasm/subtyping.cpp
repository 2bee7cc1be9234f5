// Subtyping of heap types (subtyping.hpp).
#include "runtime/wasm/subtyping.hpp"

namespace wisp {
namespace {

// The top of a heap type's hierarchy.
HeapKind top(HeapKind h) {
  switch (h) {
    case HeapKind::Func: case HeapKind::NoFunc: return HeapKind::Func;
    case HeapKind::Extern: case HeapKind::NoExtern: return HeapKind::Extern;
    case HeapKind::Exn: case HeapKind::NoExn: return HeapKind::Exn;
    default: return HeapKind::Any;
  }
}

// The abstract heap type a defined type's composite kind belongs to.
HeapKind abstract_of(uint32_t index, const Module& m) {
  switch (m.subtype(index).kind) {
    case CompositeKind::Func: return HeapKind::Func;
    case CompositeKind::Struct: return HeapKind::Struct;
    case CompositeKind::Array: return HeapKind::Array;
  }
  return HeapKind::Func;
}

bool is_bottom(HeapKind h) {
  return h == HeapKind::None || h == HeapKind::NoFunc || h == HeapKind::NoExtern ||
         h == HeapKind::NoExn;
}

}  // namespace

bool heap_subtype(HeapKind a, uint32_t ai, HeapKind b, uint32_t bi, const Module& m) {
  if (a == HeapKind::Index) {
    if (b == HeapKind::Index) {
      // Declared supertypes, up the chain (each names a lower index, so
      // the walk ends).
      for (uint32_t t = ai; t != SubType::kNoSuper; t = m.subtype(t).super)
        if (t == bi) return true;
      return false;
    }
    return heap_subtype(abstract_of(ai, m), 0, b, bi, m);
  }
  if (b == HeapKind::Index) {
    // Only the bottom of its hierarchy is below a defined type.
    return is_bottom(a) && top(a) == top(abstract_of(bi, m));
  }
  if (a == b) return true;
  if (top(a) != top(b)) return false;
  if (is_bottom(a)) return true;
  switch (b) {
    case HeapKind::Any: return true;  // every type of the any hierarchy
    case HeapKind::Eq: return a == HeapKind::I31 || a == HeapKind::Struct || a == HeapKind::Array;
    default: return false;  // func, extern, exn, i31, struct, array: only themselves and bottom
  }
}

}  // namespace wisp
