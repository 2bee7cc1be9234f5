// The baseline compiler's architecture-neutral state: the abstract value
// stack (each entry a constant, a register or its frame slot) and the
// register state. The per-ISA macro-assembler (x64/masm.hpp) only ever
// sees registers, slots and immediates; what lives where is decided here.
#pragma once
#include <cstdint>
#include <vector>

#include "runtime/wasm/types.hpp"

namespace wisp::jit {

// The machine classes of wasm values: integers and references in general
// registers, floats and v128 in vector registers.
enum class VT : uint8_t { I32, I64, F32, F64, V128 };
// Whether values of t live in vector registers.
inline bool is_fp(VT t) { return t == VT::F32 || t == VT::F64 || t == VT::V128; }

// VT of a wasm value type; false for none of them.
inline bool vt_of(ValType t, VT& out) {
  if (t == ValType::I32) out = VT::I32;
  else if (t == ValType::I64 || t.is_ref()) out = VT::I64;
  else if (t == ValType::F32) out = VT::F32;
  else if (t == ValType::F64) out = VT::F64;
  else if (t == ValType::V128) out = VT::V128;
  else return false;
  return true;
}

// A register: its class and the backend's register code.
struct Reg {
  uint8_t code = 0;
  bool fp = false;
  bool operator==(const Reg&) const = default;
};

// One operand-stack entry. Its home is its frame slot: entry i of a
// function with L locals (parameters included) is slot L + i, as in the
// interpreter's frame, so a spilled value is where the interpreter would
// keep it.
struct Val {
  enum Loc : uint8_t { Slot, InReg, Const } loc = Slot;
  VT type = VT::I32;
  Reg reg;
  int64_t imm = 0;  // Const: the value's bits (i32 sign-extended, floats as bits)
};

// Which registers of each class are taken, as bit masks over register codes.
struct RegState {
  uint32_t gp_used = 0, fp_used = 0;
  bool used(Reg r) const { return ((r.fp ? fp_used : gp_used) >> r.code) & 1; }
  void take(Reg r) { (r.fp ? fp_used : gp_used) |= 1u << r.code; }
  void release(Reg r) { (r.fp ? fp_used : gp_used) &= ~(1u << r.code); }
};

}  // namespace wisp::jit
