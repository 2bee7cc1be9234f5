// The canonical ABI's view of component value types (CanonicalABI.md,
// "Alignment", "Element Size", "Flattening"), for 32-bit memories: how a
// value is laid out in linear memory, and which core values carry it
// across a lifted or lowered call. Specialised types are taken as the
// spec despecialises them (tuple as record, enum and option and result as
// variant, map as a list of pairs).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/component/component.hpp"
#include "runtime/wasm/types.hpp"

namespace wisp::component::abi {

// A scope's types by index (null: not a defined value type, e.g. from an
// import); a ValType's index is looked up here. A type may have come from
// another scope (an outer alias, an imported instance's export): its own
// type indices are that scope's, home[i] (null or absent: this one).
struct Types : std::vector<const Type*> {
  Types() = default;
  Types(const std::vector<const Type*>& v) : std::vector<const Type*>(v) {}
  std::vector<const Types*> home;
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

// Core value types of flattened values.
enum class Flat : uint8_t { I32, I64, F32, F64 };

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
// record-like type's (record, tuple) fields.
std::vector<const ValType*> cases_of(const Type& t);
std::vector<const ValType*> fields_of(const Type& t);
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
