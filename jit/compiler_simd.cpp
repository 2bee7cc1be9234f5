// The baseline compiler's v128 instructions (compiler.hpp): where their
// operands and results live. What each one is in machine code is the
// macro-assembler's (x64/masm_simd.cpp); the few it has no code for run
// the interpreter's handler on the frame (jit/README.md, "SIMD").
#include "jit/compiler.hpp"
#include "runtime/vm/tiers.hpp"

namespace wisp::jit {

namespace {

bool is_shift(Op op) {
  switch (op) {
    case Op::I8x16Shl: case Op::I8x16ShrS: case Op::I8x16ShrU: case Op::I16x8Shl:
    case Op::I16x8ShrS: case Op::I16x8ShrU: case Op::I32x4Shl: case Op::I32x4ShrS:
    case Op::I32x4ShrU: case Op::I64x2Shl: case Op::I64x2ShrS: case Op::I64x2ShrU:
      return true;
    default:
      return false;
  }
}

// Where a 0xFD instruction's immediates start: after its sub-opcode (a LEB).
const uint8_t* immediates(const Instr& in) {
  const uint8_t* p = in.pc + 1;
  while (*p++ & 0x80) {
  }
  return p;
}

}  // namespace

bool Compiler::simd(const Instr& in) {
  const OpInfo& info = op_info(in.op);
  if (info.prefix != 0xFD) return false;
  const detail::PlainSig& sig = detail::kPlainSigs[unsigned(in.op)];
  if (in.op == Op::V128Const) {
    Reg r = alloc(VT::V128);
    masm_.v128_const(r, in.vec);
    push_reg(VT::V128, r);
    return true;
  }
  if (info.imm == Imm::MemArg || info.imm == Imm::MemArgLane) {
    // A fault reports the position the interpreter's handler does: its
    // immediates (interp/handlers_prefix.inc, prefix_fd).
    masm_.set_pc(immediates(in));
    if (sig.has_result) {  // a load; a lane load has the vector on top
      const bool lane = info.imm == Imm::MemArgLane;
      Reg vec{};
      if (lane) vec = pop_reg();
      Reg addr = pop_reg();
      Reg dst = lane ? vec : alloc(VT::V128);
      masm_.simd_load(in, dst, addr);
      release(addr);
      push_reg(VT::V128, dst);
    } else {
      Reg value = pop_reg();
      Reg addr = pop_reg();
      masm_.simd_store(in, addr, value);
      release(value);
      release(addr);
    }
    return true;
  }
  if (is_shift(in.op) && stack_.back().loc == Val::Const) {
    const uint32_t count = uint32_t(pop().imm);
    Reg v = pop_reg();
    Reg tmp = alloc(VT::V128);
    masm_.simd_shift(in.op, v, nullptr, count, tmp);
    release(tmp);
    push_reg(VT::V128, v);
    return true;
  }
  const uint32_t n = sig.nparams;
  VT types[3]{}, rt{};
  Reg src[3];
  for (uint32_t i = n; i-- > 0;) {
    types[i] = stack_.back().type;
    src[i] = pop_reg();
  }
  vt_of(sig.result, rt);
  // The result takes the first operand's register when of its class.
  const Reg dst = is_fp(rt) == src[0].fp ? src[0] : alloc(rt);
  const Reg tmp = alloc(VT::V128);
  const bool inline_code = masm_.simd(in, dst, src, n, tmp);
  release(tmp);
  if (!inline_code) {
    if (dst != src[0]) release(dst);
    for (uint32_t i = 0; i < n; ++i) push_reg(types[i], src[i]);
    simd_by_interpreter(in);
    return true;
  }
  for (uint32_t i = 0; i < n; ++i)
    if (src[i] != dst) release(src[i]);
  push_reg(rt, dst);
  return true;
}

void Compiler::simd_by_interpreter(const Instr& in) {
  const detail::PlainSig& sig = detail::kPlainSigs[unsigned(in.op)];
  spill_all();
  masm_.call_simd_handler(reinterpret_cast<const void*>(interp_simd_handler(op_info(in.op).code)),
                          home(stack_.size()), immediates(in));
  stack_.resize(stack_.size() - sig.nparams);
  if (sig.has_result) push_slots(&sig.result, 1);
}

}  // namespace wisp::jit
