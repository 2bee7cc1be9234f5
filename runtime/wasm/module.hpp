// The decoded module: plain data. Function bodies, names and data segments
// stay in the original bytes (byte ranges and string_views into them), so
// decoding copies nothing and the interpreter runs the code in place.
#pragma once
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "runtime/wasm/side_table.hpp"
#include "runtime/wasm/types.hpp"

namespace wisp {

// A constant expression: bytes [offset, offset+size) of the module, ending
// with the `end` opcode.
// A constant expression: its bytes, and what it evaluates to as the
// validator recorded it (BodyWalker::run_const), so that instantiation
// evaluates it without reading the bytes again. In Wasm 2.0 that is one
// value, one global or one function; extended constants (Wasm 3.0) will
// make it a short list of operations.
enum class ConstKind : uint8_t {
  Value,   // `value`: a number, a v128, or a null reference (all zero)
  Global,  // global.get `index`
  Func,    // ref.func `index`
};
struct ConstExpr {
  uint32_t offset = 0;
  uint32_t size = 0;
  ConstKind kind = ConstKind::Value;
  uint32_t index = 0;
  uint8_t value[16] = {};  // little-endian, zero-extended: a value slot's bytes
};

struct Import {
  std::string_view module;
  std::string_view name;
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;  // index in the kind's index space (funcs/tables/...)
};

struct Export {
  std::string_view name;
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;
};

struct Function {
  uint32_t type = 0;        // type index
  bool imported = false;
  uint32_t body_offset = 0; // code entry: locals declarations then code
  uint32_t body_size = 0;   // up to and including the final `end`
  // Filled in by the validator:
  uint32_t code_offset = 0;   // first instruction after the locals
  uint32_t num_locals = 0;    // declared locals, excluding params
  uint32_t max_height = 0;    // operand stack high-water mark, in values
  bool uses_v128 = false;     // any v128 value: the interpreter copies whole slots
  uint32_t side_table = 0;    // index of the first SideEntry in Module::side_table
};

struct Table {
  TableType type;
  bool imported = false;
};

struct Memory {
  MemoryType type;
  bool imported = false;
};

struct Global {
  GlobalType type;
  bool imported = false;
  ConstExpr init;  // defined globals only
};

enum class SegmentMode : uint8_t { Active, Passive, Declarative };

struct ElemSegment {
  SegmentMode mode = SegmentMode::Passive;
  uint32_t table = 0;
  ConstExpr offset;            // active only
  ValType type = ValType::FuncRef;
  bool uses_exprs = false;     // element expressions vs. function indices
  std::vector<uint32_t> funcs; // when !uses_exprs
  std::vector<ConstExpr> exprs;// when uses_exprs
  uint32_t size() const { return uses_exprs ? uint32_t(exprs.size()) : uint32_t(funcs.size()); }
};

struct DataSegment {
  SegmentMode mode = SegmentMode::Passive;
  uint32_t memory = 0;
  ConstExpr offset;       // active only
  uint32_t data_offset = 0;
  uint32_t data_size = 0;
};

struct CustomSection {
  std::string_view name;
  uint32_t offset = 0;  // payload after the name
  uint32_t size = 0;
};

struct NameEntry {
  uint32_t index;
  std::string_view name;
};

// Wasm 3.0's type section: every defined type sits in a recursion group,
// may name a supertype, and is final unless declared open. Its composite
// type is a function (in `types`) or, with GC, a struct or an array.
enum class CompositeKind : uint8_t { Func, Struct, Array };
struct SubType {
  static constexpr uint32_t kNoSuper = UINT32_MAX;
  uint32_t rec_group = 0;        // index into Module::rec_groups
  uint32_t super = kNoSuper;     // declared supertype's index
  bool final = true;
  CompositeKind kind = CompositeKind::Func;
};
struct RecGroup {
  uint32_t first = 0;  // type index of its first type
  uint32_t size = 0;
};
struct TypeHierarchy {
  std::vector<SubType> subtypes;    // one per type
  std::vector<RecGroup> rec_groups;
};

struct Module {
  // The bytes everything points into. Either owned (moved in) or borrowed
  // from a caller that keeps them alive longer than the module.
  std::vector<uint8_t> owned;
  const uint8_t* bytes = nullptr;
  size_t size = 0;

  std::vector<FuncType> types;
  // Recursion groups and supertypes, when the type section declares any
  // (`rec`, `sub`: not decoded yet, "... not supported yet"). Null for
  // every 2.0 module, where each type is a final function type in a group
  // of its own: subtype() answers that without allocating, and a Module
  // stays one pointer bigger (it is built and moved on every cold start).
  std::unique_ptr<TypeHierarchy> hierarchy;
  SubType subtype(uint32_t type_index) const {
    if (hierarchy && type_index < hierarchy->subtypes.size()) return hierarchy->subtypes[type_index];
    SubType s;
    s.rec_group = type_index;
    return s;
  }
  std::vector<Import> imports;
  std::vector<Function> funcs;  // imported first, then defined
  std::vector<Table> tables;
  std::vector<Memory> memories;
  std::vector<Global> globals;
  std::vector<Export> exports;
  std::vector<ElemSegment> elems;
  std::vector<DataSegment> datas;
  std::vector<CustomSection> customs;
  int64_t start = -1;
  bool has_data_count = false;
  uint32_t data_count = 0;
  uint32_t num_imported_funcs = 0;
  uint32_t num_imported_tables = 0;
  uint32_t num_imported_memories = 0;
  uint32_t num_imported_globals = 0;

  // Name section (sorted by index); module name if any.
  std::string_view name;
  std::vector<NameEntry> func_names;

  // Validator output.
  bool validated = false;
  bool side_table_built = false;  // false after validation without one (ValidateOptions)
  // A tier's per-module data, opaque here: the baseline JIT's compiled code
  // (jit/code_cache.hpp), made on first use and released with the module.
  mutable std::shared_ptr<void> tier_cache;
  // Copy-on-write images of the initial memories (vm/memory_image.hpp),
  // made on first instantiation; opaque here.
  mutable std::shared_ptr<void> memory_images;
  // Its defined functions as instances start them (vm/instantiate.cpp).
  mutable std::shared_ptr<void> func_template;
  std::vector<SideEntry> side_table;
  std::vector<uint32_t> canonical_types;  // type index -> process-wide id

  const FuncType& func_type(uint32_t func) const { return types[funcs[func].type]; }
  // Name for diagnostics: the name section's, else the first export's, else "".
  std::string_view func_name(uint32_t func) const;
  Module() = default;
  Module(Module&&) = default;
  Module& operator=(Module&&) = default;
  Module(const Module&) = delete;
};

}  // namespace wisp
