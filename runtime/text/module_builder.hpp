// A module with every name resolved and every instruction already encoded:
// what the WAT parser produces and the binary writer serializes.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/wasm/module.hpp"
#include "runtime/text/encoding.hpp"
#include "runtime/wasm/types.hpp"

namespace wisp::text {

struct BuiltImport {
  std::string module, name;
  ExternKind kind = ExternKind::Func;
  uint32_t type = 0;  // func
  TableType table;
  MemoryType memory;
  GlobalType global;
};

struct BuiltGlobal {
  GlobalType type;
  Bytes init;  // instructions plus the final `end`
};

struct BuiltExport {
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;
};

struct BuiltElem {
  SegmentMode mode = SegmentMode::Passive;
  uint32_t table = 0;
  Bytes offset;  // active: instructions plus `end`
  ValType type = ValType::FuncRef;
  std::vector<Bytes> items;  // each an expression plus `end`
};

struct BuiltData {
  SegmentMode mode = SegmentMode::Passive;
  uint32_t memory = 0;
  Bytes offset;
  std::string bytes;
};

struct BuiltModule {
  std::vector<FuncType> types;
  std::vector<BuiltImport> imports;
  std::vector<uint32_t> funcs;  // type index of each defined function
  std::vector<TableType> tables;
  std::vector<MemoryType> memories;
  std::vector<BuiltGlobal> globals;
  std::vector<BuiltExport> exports;
  bool has_start = false;
  uint32_t start = 0;
  std::vector<BuiltElem> elems;
  std::vector<BuiltData> datas;
  std::vector<Bytes> code;  // per defined function: locals vector, then body plus `end`
  bool uses_data_count = false;  // memory.init / data.drop seen
  // For the optional name section: `$id`s without the `$`.
  std::string module_name;
  std::vector<std::pair<uint32_t, std::string>> func_names;  // sorted by index
};

// Serializes with the section layout and encoding choices of wabt's wat2wasm;
// with_names appends a "name" section (as wat2wasm --debug-names would).
Bytes write_binary(const BuiltModule& m, bool with_names = false);

}  // namespace wisp::text
