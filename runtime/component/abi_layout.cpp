// abi_layout.hpp: alignment, size and flattening, as CanonicalABI.md's
// definitions.py has them, one switch per function over the type kinds.
#include "runtime/component/abi_layout.hpp"

#include <algorithm>

namespace wisp::component::abi {

namespace {

// Flattening stops growing past this: a signature only needs to know that
// it is over 16, and a fixed-length list could make millions.
constexpr size_t kFlatCap = 64;

const Type* def(const ValType& t, const Types& ts) { return !t.is_prim && t.idx < ts.size() ? ts[t.idx] : nullptr; }
// The scope t's definition's own indices are in.
const Types& inner(const ValType& t, const Types& ts) { return t.is_prim ? ts : ts.scope_of(t.idx); }

uint32_t prim_align(Prim p) {
  switch (p) {
    case Prim::Bool: case Prim::S8: case Prim::U8: return 1;
    case Prim::S16: case Prim::U16: return 2;
    case Prim::S64: case Prim::U64: case Prim::F64: return 8;
    default: return 4;  // s32 u32 f32 char error-context, and string's pointer
  }
}

uint32_t prim_size(Prim p) { return p == Prim::String ? 8 : prim_align(p); }

uint32_t align_to(uint32_t n, uint32_t a) { return (n + a - 1) / a * a; }

uint32_t flags_size(size_t n) { return n <= 8 ? 1 : n <= 16 ? 2 : 4; }

uint32_t max_case_alignment(const TypeList& cases, const Types& ts) {
  uint32_t a = 1;
  for (const ValType* c : cases)
    if (c) a = std::max(a, alignment(*c, ts));
  return a;
}

Flat join(Flat a, Flat b) {
  if (a == b) return a;
  if ((a == Flat::I32 && b == Flat::F32) || (a == Flat::F32 && b == Flat::I32)) return Flat::I32;
  return Flat::I64;
}

}  // namespace

bool is_variant(const Type& t) {
  return t.kind == Type::Variant || t.kind == Type::Enum || t.kind == Type::Option || t.kind == Type::Result;
}

TypeList::TypeList(const Type& t, Kind k) : t_(t), kind_(k) {
  if (k == Cases) {
    switch (t.kind) {
      case Type::Variant: n_ = t.cases.size(); break;
      case Type::Enum: n_ = t.labels.size(); break;
      case Type::Option: case Type::Result: n_ = 2; break;
      default: break;
    }
  } else {
    n_ = t.kind == Type::Record ? t.fields.size() : t.kind == Type::Tuple ? t.types.size() : 0;
  }
}

const ValType* TypeList::operator[](size_t i) const {
  if (kind_ == Fields) return t_.kind == Type::Record ? &t_.fields[i].type : &t_.types[i];
  switch (t_.kind) {
    case Type::Variant: return t_.cases[i].type ? &*t_.cases[i].type : nullptr;
    case Type::Option: return i == 0 ? nullptr : &*t_.a;
    case Type::Result: return i == 0 ? (t_.a ? &*t_.a : nullptr) : (t_.b ? &*t_.b : nullptr);
    default: return nullptr;  // enum
  }
}

Resolved resolve(const ValType& t, const Types& ts) {
  if (t.is_prim) return {true, t.prim, nullptr, nullptr};
  const Type* d = t.idx < ts.size() ? ts[t.idx] : nullptr;
  if (d && d->kind == Type::Prim) return {true, d->prim.prim, nullptr, nullptr};
  return {false, Prim::Bool, d, &ts.scope_of(t.idx)};
}

uint32_t discriminant_size(size_t n) { return n <= 256 ? 1 : n <= 65536 ? 2 : 4; }

uint32_t compute_alignment(const Type& def, const Types& ts);
uint32_t compute_elem_size(const Type& def, const Types& ts, uint32_t align);

namespace {

// A defined type's layout in the scope of its own indices, ts (references
// into an unordered_map stay valid while the nested types are added).
Types::Layout& layout_of(const Type* t, const Types& ts) {
  Types::Layout& l = ts.layouts[t];
  if (l.align == 0) {
    l.align = compute_alignment(*t, ts);
    l.size = compute_elem_size(*t, ts, l.align);
  }
  return l;
}

}  // namespace

uint32_t alignment(const ValType& v, const Types& outer) {
  if (v.is_prim) return prim_align(v.prim);
  const Type* t = def(v, outer);
  if (!t) return 4;
  return layout_of(t, inner(v, outer)).align;
}

uint32_t elem_size(const ValType& v, const Types& outer) {
  if (v.is_prim) return prim_size(v.prim);
  const Type* t = def(v, outer);
  if (!t) return 4;
  return layout_of(t, inner(v, outer)).size;
}

uint32_t compute_alignment(const Type& def, const Types& ts) {
  const Type* t = &def;
  switch (t->kind) {
    case Type::Prim: return prim_align(t->prim.prim);
    case Type::FixedList: return alignment(*t->a, ts);
    case Type::Record:
    case Type::Tuple: {
      uint32_t a = 1;
      for (const ValType* f : fields_of(*t)) a = std::max(a, alignment(*f, ts));
      return a;
    }
    case Type::Variant:
    case Type::Enum:
    case Type::Option:
    case Type::Result: {
      const auto cases = cases_of(*t);
      return std::max(discriminant_size(cases.size()), max_case_alignment(cases, ts));
    }
    case Type::Flags: return flags_size(t->labels.size());
    default: return 4;  // list and map (a pointer), handles, stream, future
  }
}

uint32_t compute_elem_size(const Type& def, const Types& ts, uint32_t align) {
  const Type* t = &def;
  switch (t->kind) {
    case Type::Prim: return prim_size(t->prim.prim);
    case Type::List:
    case Type::Map: return 8;
    case Type::FixedList: return t->length * elem_size(*t->a, ts);
    case Type::Record:
    case Type::Tuple: {
      uint32_t s = 0;
      for (const ValType* f : fields_of(*t)) s = align_to(s, alignment(*f, ts)) + elem_size(*f, ts);
      return align_to(s, align);
    }
    case Type::Variant:
    case Type::Enum:
    case Type::Option:
    case Type::Result: {
      const auto cases = cases_of(*t);
      uint32_t s = align_to(discriminant_size(cases.size()), max_case_alignment(cases, ts));
      uint32_t payload = 0;
      for (const ValType* c : cases)
        if (c) payload = std::max(payload, elem_size(*c, ts));
      return align_to(s + payload, align);
    }
    case Type::Flags: return flags_size(t->labels.size());
    default: return 4;  // handles, stream, future
  }
}

void flatten(const ValType& v, const Types& outer, std::vector<Flat>& out) {
  if (out.size() > kFlatCap) return;
  auto prim = [&](Prim p) {
    switch (p) {
      case Prim::S64: case Prim::U64: out.push_back(Flat::I64); break;
      case Prim::F32: out.push_back(Flat::F32); break;
      case Prim::F64: out.push_back(Flat::F64); break;
      case Prim::String: out.insert(out.end(), {Flat::I32, Flat::I32}); break;
      default: out.push_back(Flat::I32); break;
    }
  };
  if (v.is_prim) return prim(v.prim);
  const Type* t = def(v, outer);
  if (!t) return out.push_back(Flat::I32);
  const Types& ts = inner(v, outer);
  switch (t->kind) {
    case Type::Prim: return prim(t->prim.prim);
    case Type::List:
    case Type::Map: out.insert(out.end(), {Flat::I32, Flat::I32}); return;
    case Type::FixedList:
      for (uint32_t i = 0; i < t->length && out.size() <= kFlatCap; ++i) flatten(*t->a, ts, out);
      return;
    case Type::Record:
    case Type::Tuple:
      for (const ValType* f : fields_of(*t)) flatten(*f, ts, out);
      return;
    case Type::Variant:
    case Type::Enum:
    case Type::Option:
    case Type::Result: {
      // The discriminant, then each position joined over the cases.
      std::vector<Flat> joined;
      for (const ValType* c : cases_of(*t)) {
        if (!c) continue;
        std::vector<Flat> one;
        flatten(*c, ts, one);
        for (size_t i = 0; i < one.size(); ++i) {
          if (i < joined.size()) joined[i] = join(joined[i], one[i]);
          else joined.push_back(one[i]);
        }
      }
      out.push_back(Flat::I32);
      out.insert(out.end(), joined.begin(), joined.end());
      return;
    }
    default: out.push_back(Flat::I32); return;  // flags, handles, stream, future
  }
}

const std::vector<Flat>& flat_of(const ValType& v, const Types& outer) {
  const Type* t = def(v, outer);
  if (v.is_prim || !t) {
    static const auto* prims = [] {
      auto* a = new std::vector<std::vector<Flat>>(size_t(Prim::ErrorContext) + 1);
      for (size_t p = 0; p < a->size(); ++p) flatten(ValType{true, Prim(p), 0}, Types{}, (*a)[p]);
      return a;
    }();
    static const std::vector<Flat> unknown{Flat::I32};
    return v.is_prim ? (*prims)[size_t(v.prim)] : unknown;
  }
  Types::Layout& l = layout_of(t, inner(v, outer));
  if (!l.flattened) {
    flatten(v, outer, l.flat);
    l.flattened = true;
  }
  return l.flat;
}

CoreSignature flatten_func(const Type& func, const Types& ts, bool lower) {
  CoreSignature sig;
  for (const Field& p : func.fields) flatten(p.type, ts, sig.params);
  if (func.result) flatten(*func.result, ts, sig.results);
  if (sig.params.size() > kMaxFlatParams) {
    sig.params = {Flat::I32};
    sig.params_in_memory = true;
  }
  if (sig.results.size() > kMaxFlatResults) {
    sig.results_in_memory = true;
    if (lower) {
      sig.params.push_back(Flat::I32);
      sig.results.clear();
    } else {
      sig.results = {Flat::I32};
    }
  }
  return sig;
}

bool has_list_or_string(const ValType& t, const Types& types, int depth) {
  if (depth > 100) return false;
  const Resolved r = resolve(t, types);
  if (r.is_prim) return r.prim == Prim::String;
  if (!r.def) return false;
  const Type& d = *r.def;
  if (d.kind == Type::List) return true;
  if (d.kind == Type::FixedList) return d.a && has_list_or_string(*d.a, *r.scope, depth + 1);
  for (const ValType* f : fields_of(d))
    if (f && has_list_or_string(*f, *r.scope, depth + 1)) return true;
  for (const ValType* c : cases_of(d))
    if (c && has_list_or_string(*c, *r.scope, depth + 1)) return true;
  return false;
}

NeededOptions needed_options(const Type& func, const Types& types, bool lower) {
  bool params = false, result = func.result && has_list_or_string(*func.result, types);
  for (const Field& p : func.fields) params = params || has_list_or_string(p.type, types);
  const CoreSignature sig = flatten_func(func, types, lower);
  NeededOptions n;
  n.memory = params || result || sig.params_in_memory || sig.results_in_memory;
  n.realloc = lower ? result : (params || sig.params_in_memory);
  return n;
}

bool is_byte_list(const Type& t, const Types& types) {
  if (t.kind != Type::List || !t.a) return false;
  const Resolved e = resolve(*t.a, types);
  return e.is_prim && e.prim == Prim::U8;
}

std::string check_core_type(const CoreSignature& sig, const FuncType& core) {
  static const wisp::ValType of[] = {wisp::ValType::I32, wisp::ValType::I64, wisp::ValType::F32, wisp::ValType::F64};
  auto same = [](const std::vector<Flat>& flat, const std::vector<wisp::ValType>& vt) {
    if (flat.size() != vt.size()) return false;
    for (size_t i = 0; i < flat.size(); ++i)
      if (vt[i] != of[size_t(flat[i])]) return false;
    return true;
  };
  if (same(sig.params, core.params) && same(sig.results, core.results)) return {};
  auto text = [](const auto& list, auto name) {
    std::string t = "(";
    for (size_t i = 0; i < list.size(); ++i) t += (i ? ", " : "") + name(list[i]);
    return t + ")";
  };
  auto vt_name = [](wisp::ValType t) { return wisp::to_string(t); };
  auto flat_name = [](Flat f) { return wisp::to_string(of[size_t(f)]); };
  return "has type " + text(core.params, vt_name) + " -> " + text(core.results, vt_name) + ", not " +
         text(sig.params, flat_name) + " -> " + text(sig.results, flat_name);
}

}  // namespace wisp::component::abi
