// Opcode enumeration and per-opcode facts, generated from opcodes.def.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace wisp {

// Immediate kinds (column 5 of opcodes.def).
enum class Imm : uint8_t {
  None,
  BlockType,     // s33 block type
  Label,         // u32 label depth
  BrTable,       // vec(label) label
  Func,          // u32 function index
  CallIndirect,  // u32 type index, u32 table index
  Local,         // u32
  Global,        // u32
  Table,         // u32
  MemArg,        // u32 align (bit 6: memory index follows), u32 offset
  Memory,        // memory index (a zero byte in 2.0)
  I32,           // s32
  I64,           // s64
  F32,           // 4 bytes
  F64,           // 8 bytes
  SelectT,       // vec(valtype)
  HeapType,      // reference type of ref.null
  MemoryInit,    // u32 data index, memory index
  Data,          // u32 data index
  MemoryCopy,    // memory index, memory index
  TableInit,     // u32 elem index, u32 table index
  Elem,          // u32 elem index
  TableCopy,     // u32 table index, u32 table index
  V128,          // 16 bytes
  Shuffle,       // 16 lane bytes
  Lane,          // 1 lane byte
  MemArgLane,    // memarg then 1 lane byte
};

// Operand types in the table's signature columns.
enum class OT : uint8_t { NO, SP, I32, I64, F32, F64, V128 };

enum class Op : uint16_t {
#define WISP_OP(name, text, prefix, code, imm, size, p1, p2, p3, r) name,
#include "runtime/wasm/opcodes.def"
#undef WISP_OP
  kCount
};
inline constexpr unsigned kOpCount = static_cast<unsigned>(Op::kCount);

struct OpInfo {
  const char* text;
  uint8_t prefix;
  uint8_t code;  // all 2.0 prefixed codes fit a byte
  Imm imm;
  uint8_t size;
  OT params[3];
  OT result;
};

inline constexpr OpInfo kOpInfo[] = {
#define WISP_OP(name, text, prefix, code, imm, size, p1, p2, p3, r) \
  {text, prefix, code, Imm::imm, size, {OT::p1, OT::p2, OT::p3}, OT::r},
#include "runtime/wasm/opcodes.def"
#undef WISP_OP
};

inline const OpInfo& op_info(Op op) { return kOpInfo[static_cast<unsigned>(op)]; }

// Sentinel for "no instruction has this encoding".
inline constexpr Op kNoOp = Op::kCount;

// Decoding tables: byte -> Op for the single-byte space and each prefix.
// Built at compile time, so reading them costs no initialisation guard.
struct OpTables {
  Op plain[256];
  Op fc[256];
  Op fd[256];
};

constexpr OpTables build_op_tables() {
  OpTables t{};
  for (unsigned i = 0; i < 256; ++i) t.plain[i] = t.fc[i] = t.fd[i] = kNoOp;
  for (unsigned i = 0; i < kOpCount; ++i) {
    const OpInfo& info = kOpInfo[i];
    Op op = static_cast<Op>(i);
    if (info.prefix == 0x00) t.plain[info.code] = op;
    else if (info.prefix == 0xFC) t.fc[info.code] = op;
    else if (info.prefix == 0xFD) t.fd[info.code] = op;
  }
  return t;
}
inline constexpr OpTables kOpTables = build_op_tables();

inline Op op_from_byte(uint8_t b) { return kOpTables.plain[b]; }
// prefix is 0xFC or 0xFD; code is the decoded u32 after it.
inline Op op_from_prefixed(uint8_t prefix, uint32_t code) {
  if (code > 255) return kNoOp;
  return prefix == 0xFC ? kOpTables.fc[code] : prefix == 0xFD ? kOpTables.fd[code] : kNoOp;
}
// Text mnemonic -> Op ("select" maps to the untyped form).
std::optional<Op> op_from_text(std::string_view text);

}  // namespace wisp
