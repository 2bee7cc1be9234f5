// Value and entity types, as plain data: Wasm 2.0's, and the reference
// types of Wasm 3.0 (heap types, nullability), ready for typed function
// references and GC. Subtyping is in subtyping.hpp.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wisp {

// Heap types of Wasm 3.0's reference types: the abstract ones, or Index
// for a type defined in the module (the index is in the ValType).
enum class HeapKind : uint8_t {
  Index = 0,
  Func, Extern, Any, Eq, I31, Struct, Array, Exn,
  NoFunc, NoExtern, None, NoExn,  // the bottoms of the func, extern, any and exn hierarchies
};
std::string_view to_string(HeapKind h);

// A value type in 32 bits: a number or vector type, or a reference type
// with its heap type and nullability. Number, vector and the two 2.0
// reference types are named by their binary code, which is also what
// switch (t) sees; (ref null func) and (ref null extern) are always stored
// as their abbreviations FuncRef and ExternRef, so == is exact equality.
// Every other reference type is Ref (non-null) or RefNull with a heap type.
// Unknown is the validator's "any type" on a polymorphic (unreachable)
// stack.
class ValType {
 public:
  enum Code : uint8_t {
    Unknown = 0x00,
    I32 = 0x7F,
    I64 = 0x7E,
    F32 = 0x7D,
    F64 = 0x7C,
    V128 = 0x7B,
    FuncRef = 0x70,    // (ref null func)
    ExternRef = 0x6F,  // (ref null extern)
    RefNull = 0x63,    // (ref null ht)
    Ref = 0x64,        // (ref ht)
  };
  // Type indices up to this bound fit (V8 allows 1,000,000 types).
  static constexpr uint32_t kMaxTypeIndex = (1u << 20) - 1;

  constexpr ValType() = default;
  constexpr ValType(Code c) : bits_(c | heap_bits(c)) {}
  // The type a one-byte binary code names (a number, vector or abbreviated
  // reference type; the caller has checked it is one).
  static constexpr ValType from_code(uint8_t b) { return ValType(Code(b)); }
  // A reference type, in its canonical form (funcref/externref abbreviated).
  static constexpr ValType ref(HeapKind heap, bool nullable, uint32_t index = 0) {
    if (nullable && heap == HeapKind::Func) return FuncRef;
    if (nullable && heap == HeapKind::Extern) return ExternRef;
    ValType t;
    t.bits_ = uint32_t(nullable ? RefNull : Ref) | uint32_t(heap) << 8 | index << 12;
    return t;
  }

  constexpr Code code() const { return Code(bits_ & 0xFF); }
  constexpr operator Code() const { return code(); }  // switch (t) { case ValType::I32: ... }
  constexpr bool is_ref() const {
    Code c = code();
    return c == FuncRef || c == ExternRef || c == Ref || c == RefNull;
  }
  constexpr bool nullable() const { return is_ref() && code() != Ref; }
  constexpr HeapKind heap() const { return HeapKind((bits_ >> 8) & 0xF); }
  constexpr uint32_t index() const { return bits_ >> 12; }  // heap() == HeapKind::Index
  constexpr uint32_t bits() const { return bits_; }          // for hashing

  friend constexpr bool operator==(ValType a, ValType b) { return a.bits_ == b.bits_; }
  friend constexpr bool operator==(ValType a, Code b) { return a.bits_ == ValType(b).bits_; }

 private:
  static constexpr uint32_t heap_bits(Code c) {
    return c == FuncRef ? uint32_t(HeapKind::Func) << 8
           : c == ExternRef ? uint32_t(HeapKind::Extern) << 8 : 0;
  }
  uint32_t bits_ = 0;
};
static_assert(sizeof(ValType) == 4);

inline bool is_ref(ValType t) { return t.is_ref(); }
inline bool is_num(ValType t) {
  return t == ValType::I32 || t == ValType::I64 || t == ValType::F32 || t == ValType::F64;
}
// "i32", "funcref", "(ref null 3)", "(ref any)", ...
std::string to_string(ValType t);

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  bool operator==(const FuncType&) const = default;
};
// As the text format writes it: "(func (param i32 i64) (result f64))".
std::string to_string(const FuncType& t);

struct Limits {
  uint64_t min = 0;
  uint64_t max = 0;
  bool has_max = false;
  bool is64 = false;   // memory64 / table64 (3.0)
  bool shared = false; // threads
};

struct TableType {
  ValType elem = ValType::FuncRef;
  Limits limits;
};

struct MemoryType {
  Limits limits;
};

struct GlobalType {
  ValType type = ValType::I32;
  bool mut = false;
};

// Tag (exception handling, Wasm 3.0) is not decoded yet: import and
// export kind 4 is still "malformed import kind", as the 2.0 suite wants.
enum class ExternKind : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3, Tag = 4 };
std::string_view to_string(ExternKind k);

inline constexpr uint64_t kPageSize = 65536;
inline constexpr uint64_t kMaxPages32 = 65536;  // 4 GiB
inline constexpr uint64_t kMaxTableSize = 0xFFFFFFFFu;

}  // namespace wisp
