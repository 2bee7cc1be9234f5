// The canonical ABI's view of component value types (CanonicalABI.md,
// "Alignment", "Element Size", "Flattening"), for 32-bit memories: how a
// value is laid out in linear memory, and which core values carry it
// across a lifted or lowered call. Specialised types are taken as the
// spec despecialises them (tuple as record, enum and option and result as
// variant, map as a list of pairs).
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/component/component.hpp"
#include "runtime/wasm/types.hpp"

namespace wisp::component::abi {

// Core value types of flattened values.
enum class Flat : uint8_t { I32, I64, F32, F64 };

// A scope's types by index (null: not a defined value type, e.g. from an
// import); a ValType's index is looked up here. A type may have come from
// another scope (an outer alias, an imported instance's export): its own
// type indices are that scope's, home[i] (null or absent: this one).
struct Types : std::vector<const Type*> {
  Types() = default;
  Types(const std::vector<const Type*>& v) : std::vector<const Type*>(v) {}
  Types(const Types& o) : std::vector<const Type*>(o), home(o.home) {}
  Types& operator=(const Types& o) {
    std::vector<const Type*>::operator=(o);
    home = o.home;
    layouts.clear();
    return *this;
  }
  std::vector<const Types*> home;
  // alignment() and elem_size() of the types whose indices are in this
  // scope, worked out once: the ABI asks on every value it moves, and
  // wasi:http's error-code (39 cases, records of options inside) took a
  // tenth of a small handler's request. A scope belongs to one instance,
  // used by one thread at a time.
  struct Layout {
    uint32_t align = 0, size = 0;
    bool flattened = false;
    std::vector<Flat> flat;
  };
  mutable std::unordered_map<const Type*, Layout> layouts;
  // The scope the indices inside type i are in.
  const Types& scope_of(uint32_t i) const { return i < home.size() && home[i] ? *home[i] : *this; }
  // Entry i is t, whose indices are in h (null: this scope).
  void set(uint32_t i, const Type* t, const Types* h) {
    if (i >= size()) return;
    (*this)[i] = t;
    if (h == this) h = nullptr;
    if (h && home.size() <= i) home.resize(size(), nullptr);
    if (i < home.size()) home[i] = h;
  }
  void add(const Type* t, const Types* h) {
    push_back(t);
    set(uint32_t(size() - 1), t, h);
  }
};

// The type a ValType stands for: a primitive (directly, or a defined
// primitive), or its definition (null when not known here).
struct Resolved {
  bool is_prim = false;
  Prim prim = Prim::Bool;
  const Type* def = nullptr;
  const Types* scope = nullptr;  // where def's own type indices are (def only)
};
Resolved resolve(const ValType& t, const Types& types);

uint32_t alignment(const ValType& t, const Types& types);
uint32_t elem_size(const ValType& t, const Types& types);
// Appends t's flattening to out.
void flatten(const ValType& t, const Types& types, std::vector<Flat>& out);
// t's flattening, worked out once per type (Types::layouts).
const std::vector<Flat>& flat_of(const ValType& t, const Types& types);

// A function type's core signature for `canon lift` (lower = false) or
// `canon lower` (lower = true): more than 16 flat parameters go through
// memory (one pointer), more than 1 flat result too (lift: the callee
// returns a pointer; lower: the caller passes one as the last parameter).
struct CoreSignature {
  std::vector<Flat> params, results;
  bool params_in_memory = false, results_in_memory = false;
};
inline constexpr size_t kMaxFlatParams = 16, kMaxFlatResults = 1;
CoreSignature flatten_func(const Type& func, const Types& types, bool lower);
// Empty if a core function type is sig's, else what differs ("has type
// (i32) -> (), not (i32, i32) -> (i32)").
std::string check_core_type(const CoreSignature& sig, const FuncType& core);

// The number of bytes of a variant's discriminant (1, 2 or 4) for n cases.
uint32_t discriminant_size(size_t n);

// As despecialize() sees them: a variant-like type's (variant, enum,
// option, result) cases with their payload types (null: none), and a
// record-like type's (record, tuple) fields. Views of t, made without
// allocating (the ABI asks for them on every value it moves).
class TypeList {
 public:
  enum Kind : uint8_t { Cases, Fields };
  TypeList(const Type& t, Kind k);
  size_t size() const { return n_; }
  const ValType* operator[](size_t i) const;
  struct iterator {
    const TypeList* l;
    size_t i;
    const ValType* operator*() const { return (*l)[i]; }
    iterator& operator++() { return ++i, *this; }
    bool operator!=(const iterator& o) const { return i != o.i; }
  };
  iterator begin() const { return {this, 0}; }
  iterator end() const { return {this, n_}; }

 private:
  const Type& t_;
  Kind kind_;
  size_t n_ = 0;
};
inline TypeList cases_of(const Type& t) { return TypeList(t, TypeList::Cases); }
inline TypeList fields_of(const Type& t) { return TypeList(t, TypeList::Fields); }
bool is_variant(const Type& t);
// Whether a value of type t holds a string or list anywhere (and so needs
// `memory`, and `realloc` to be written into a component).
bool has_list_or_string(const ValType& t, const Types& types, int depth = 0);
// The canonical options a `canon lift` (lower = false) or `canon lower` of
// func needs (CanonicalABI.md, "canon lift" and "canon lower" validation):
// memory when anything goes through memory, realloc when the component
// receives a string or list (lift: in its parameters; lower: in the
// result) or spilled parameters (lift).
struct NeededOptions {
  bool memory = false, realloc = false;
};
NeededOptions needed_options(const Type& func, const Types& types, bool lower);

// Whether t is `list<u8>`, whose component value keeps its bytes in
// Value::text (value.hpp).
bool is_byte_list(const Type& t, const Types& types);

}  // namespace wisp::component::abi
