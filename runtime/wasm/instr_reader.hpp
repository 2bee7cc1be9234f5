// Decodes one instruction (opcode + immediates) from a Reader. This is the
// single place that knows the binary shape of each immediate kind; the
// validator, the constant-expression scanner, the printer and the JIT all
// read instructions through it.
#pragma once
#include <cstdint>
#include <string>

#include "runtime/wasm/opcodes.hpp"
#include "runtime/wasm/reader.hpp"

namespace wisp {

struct MemArg {
  uint32_t align = 0;   // log2
  uint32_t mem = 0;
  uint64_t offset = 0;
};

struct Instr {
  Op op = Op::Nop;
  const uint8_t* pc = nullptr;  // opcode byte (prefix byte for prefixed ops)
  // Immediates; which ones are meaningful depends on op_info(op).imm.
  int64_t block_type = 0;  // s33: -64 empty, <0 a value type byte, >=0 type index
  uint32_t idx = 0;        // label/func/local/global/table/type/data/elem index
  uint32_t idx2 = 0;       // second index (table of call_indirect, ...)
  MemArg mem;
  uint8_t lane = 0;
  uint32_t count = 0;            // br_table target count, select_t type count
  const uint8_t* vec = nullptr;  // br_table targets / select_t types / v128 bytes
  int32_t i32 = 0;
  int64_t i64 = 0;
  uint32_t f32 = 0;  // bit pattern
  uint64_t f64 = 0;  // bit pattern
  ValType heap = ValType::FuncRef;
};

// "illegal opcode", naming the proposal wisp does not support yet when the
// opcode is one of its (unsupported.hpp).
std::string illegal_opcode(uint8_t byte, uint32_t code);

// Reads the opcode at r.pos(). Returns false (error recorded) on an unknown
// opcode or malformed immediate.
inline bool read_opcode(Reader& r, Instr& in) {
  in.pc = r.pos();
  uint8_t b{};
  if (!r.u8(b)) return false;
  Op op = op_from_byte(b);
  uint32_t code = 0;
  if (b == 0xFC || b == 0xFD) {
    if (!r.u32(code)) return false;
    op = op_from_prefixed(b, code);
  }
  if (op == kNoOp) return r.fail(illegal_opcode(b, code), in.pc);
  in.op = op;
  return true;
}

bool read_immediates(Reader& r, Instr& in);

inline bool read_instr(Reader& r, Instr& in) {
  return read_opcode(r, in) && read_immediates(r, in);
}

}  // namespace wisp
