// Value and entity types of Wasm 2.0, as plain data.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

namespace wisp {

// Binary encodings double as the enum values. Unknown is the validator's
// "any type" that appears on a polymorphic (unreachable) stack.
enum class ValType : uint8_t {
  I32 = 0x7F,
  I64 = 0x7E,
  F32 = 0x7D,
  F64 = 0x7C,
  V128 = 0x7B,
  FuncRef = 0x70,
  ExternRef = 0x6F,
  Unknown = 0x00,
};

inline bool is_ref(ValType t) { return t == ValType::FuncRef || t == ValType::ExternRef; }
inline bool is_num(ValType t) {
  return t == ValType::I32 || t == ValType::I64 || t == ValType::F32 || t == ValType::F64;
}
std::string_view to_string(ValType t);

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  bool operator==(const FuncType&) const = default;
};

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

enum class ExternKind : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3 };
std::string_view to_string(ExternKind k);

inline constexpr uint64_t kPageSize = 65536;
inline constexpr uint64_t kMaxPages32 = 65536;  // 4 GiB
inline constexpr uint64_t kMaxTableSize = 0xFFFFFFFFu;

}  // namespace wisp
