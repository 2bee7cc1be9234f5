// x86-64 code for the baseline compiler's operations (masm.hpp).
#include "jit/x64/masm.hpp"

#include <cstddef>
#include <limits>

#include "jit/helpers.hpp"
#include "jit/x64/pins.hpp"
#include "runtime/vm/instances.hpp"

namespace wisp::jit {

using namespace asmjit;
using namespace asmjit::x86;
using namespace x64;

namespace {

// Field offsets of the VM's structs that compiled code reads and writes.
// (offsetof on types with non-trivial members is conditionally supported;
// GCC and clang give the layout's offset, which is what is wanted.)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"
constexpr int32_t kCtxFrameTop = int32_t(offsetof(ExecContext, frame_top));
constexpr int32_t kCtxFramesLimit = int32_t(offsetof(ExecContext, frames_limit));
constexpr int32_t kCtxStackLimit = int32_t(offsetof(ExecContext, stack_limit));
constexpr int32_t kCtxNativeLimit = int32_t(offsetof(ExecContext, native_stack_limit));
constexpr int32_t kCtxTrap = int32_t(offsetof(ExecContext, trap));
constexpr int32_t kCtxFuel = int32_t(offsetof(ExecContext, fuel));
constexpr int32_t kFramePc = int32_t(offsetof(Frame, pc));
constexpr int32_t kFrameFn = int32_t(offsetof(Frame, fn));
constexpr int32_t kFuncKind = int32_t(offsetof(FuncInst, kind));
constexpr int32_t kFuncEntry = int32_t(offsetof(FuncInst, jit) + offsetof(JitCode, entry));
constexpr int32_t kFuncInternal = int32_t(offsetof(FuncInst, jit) + offsetof(JitCode, internal));
constexpr int32_t kFuncInstance = int32_t(offsetof(FuncInst, instance));
constexpr int32_t kInstMem0 = int32_t(offsetof(Instance, mem0));
constexpr int32_t kInstFuncs = int32_t(offsetof(Instance, func_table));
constexpr int32_t kInstGlobals = int32_t(offsetof(Instance, global_table));
constexpr int32_t kGlobalValue = int32_t(offsetof(GlobalInst, value));
#pragma GCC diagnostic pop
constexpr int32_t kFrameSize = int32_t(sizeof(Frame));

constexpr uint8_t kGpCodes[Masm::kNumGp] = {Gp::kIdSi, Gp::kIdDi, Gp::kIdR8,
                                             Gp::kIdR9, Gp::kIdR10, Gp::kIdR11};

bool is64(Op op) {
  switch (op) {
    case Op::I64Add: case Op::I64Sub: case Op::I64Mul: case Op::I64DivS: case Op::I64DivU:
    case Op::I64RemS: case Op::I64RemU: case Op::I64And: case Op::I64Or: case Op::I64Xor:
    case Op::I64Shl: case Op::I64ShrS: case Op::I64ShrU: case Op::I64Rotl: case Op::I64Rotr:
    case Op::I64Eqz: case Op::I64Eq: case Op::I64Ne: case Op::I64LtS: case Op::I64LtU:
    case Op::I64GtS: case Op::I64GtU: case Op::I64LeS: case Op::I64LeU: case Op::I64GeS:
    case Op::I64GeU: case Op::I64Clz: case Op::I64Ctz: case Op::I64Popcnt:
      return true;
    default:
      return false;
  }
}

// Condition codes of the integer comparisons; false for other ops.
bool int_cond(Op op, CondCode& cc) {
  switch (op) {
    case Op::I32Eq: case Op::I64Eq: cc = CondCode::kE; return true;
    case Op::I32Ne: case Op::I64Ne: cc = CondCode::kNE; return true;
    case Op::I32LtS: case Op::I64LtS: cc = CondCode::kL; return true;
    case Op::I32LtU: case Op::I64LtU: cc = CondCode::kB; return true;
    case Op::I32GtS: case Op::I64GtS: cc = CondCode::kG; return true;
    case Op::I32GtU: case Op::I64GtU: cc = CondCode::kA; return true;
    case Op::I32LeS: case Op::I64LeS: cc = CondCode::kLE; return true;
    case Op::I32LeU: case Op::I64LeU: cc = CondCode::kBE; return true;
    case Op::I32GeS: case Op::I64GeS: cc = CondCode::kGE; return true;
    case Op::I32GeU: case Op::I64GeU: cc = CondCode::kAE; return true;
    default: return false;
  }
}

constexpr uint64_t kSign32 = 0x80000000u, kSign64 = 0x8000000000000000u;

}  // namespace

Masm::Masm(CodeHolder& code) : a_(&code) {
  exit_ = a_.newLabel();
  early_exit_ = a_.newLabel();
  internal_ = a_.newLabel();
}

Reg Masm::gp(uint8_t i) { return Reg{kGpCodes[i], false}; }
Reg Masm::fp(uint8_t i) { return Reg{uint8_t(i + 1), true}; }

bool Masm::cpu_supported() {
  const CpuInfo& cpu = CpuInfo::host();
  return cpu.hasFeature(CpuFeatures::X86::kSSE4_1) && cpu.hasFeature(CpuFeatures::X86::kPOPCNT);
}

// Entries. The function's code proper has an internal calling convention:
// pinned registers set (rbx the callee's frame, r12, r13, r15 those of the
// caller's instance, r14 the caller's Frame), the callee's FuncInst in rdx;
// it returns the trap kind in eax with r14 back at the caller's Frame. A
// compiled caller in the same instance calls it so, moving rbx up to the
// arguments and back: no registers saved, no pins reloaded. The external
// entry (the C calling convention of CompiledEntry) is one thunk for every
// function (entry_thunk): it saves the callee-saved registers, sets the
// pins and calls the internal entry that self (rdx) names.
// The C calling convention (CompiledEntry: fp, ctx, self) around code of
// the internal convention at `inner`, or at self's internal entry when
// inner is null: callee-saved registers kept, the pins set, r14 the Frame
// on top.
void Masm::from_c(const Label* inner) {
  a_.push(rbp);
  a_.mov(rbp, rsp);
  a_.push(rbx);
  a_.push(r12);
  a_.push(r13);
  a_.push(r14);
  a_.push(r15);
  a_.sub(rsp, 8);  // 16-byte alignment at the call below
  a_.mov(kFp, rdi);
  a_.mov(kCtx, rsi);
  a_.mov(kInst, qword_ptr(rdx, kFuncInstance));
  a_.mov(kMem, qword_ptr(kInst, kInstMem0));
  a_.mov(kFrame, qword_ptr(kCtx, kCtxFrameTop));
  if (inner) a_.call(*inner);
  else a_.call(qword_ptr(rdx, kFuncInternal));
  a_.add(rsp, 8);
  a_.pop(r15);
  a_.pop(r14);
  a_.pop(r13);
  a_.pop(r12);
  a_.pop(rbx);
  a_.pop(rbp);
  a_.ret();
}

void Masm::entry_thunk() { from_c(nullptr); }

void Masm::prologue(uint32_t nparams, uint32_t nlocals, uint32_t frame_slots, bool wide) {
  // The internal entry, at offset 0.
  a_.bind(internal_);
  a_.sub(rsp, 8);  // 16-byte alignment at calls
  // Native stack (0 when unknown: never below it), frame stack, value stack.
  a_.cmp(rsp, qword_ptr(kCtx, kCtxNativeLimit));
  a_.jb(early_exit_);
  a_.lea(rax, ptr(kFrame, kFrameSize));
  a_.cmp(rax, qword_ptr(kCtx, kCtxFramesLimit));
  a_.jae(early_exit_);
  a_.lea(rcx, ptr(kFp, int32_t(frame_slots) * kSlot));
  a_.cmp(rcx, qword_ptr(kCtx, kCtxStackLimit));
  a_.ja(early_exit_);
  a_.mov(kFrame, rax);
  a_.mov(qword_ptr(kFrame, kFrameFn), rdx);
  a_.mov(qword_ptr(kFrame, kFramePc), 0);
  a_.mov(qword_ptr(kCtx, kCtxFrameTop), kFrame);
  if (nlocals) {
    // Whole slots where a local may be a v128, else their 8 value bytes.
    a_.xor_(eax, eax);
    if (wide) a_.xorps(xmm0, xmm0);
    auto zero = [&](Mem m) {
      if (wide) a_.movdqu(m, xmm0);
      else a_.mov(m, rax);
    };
    if (nlocals <= 16) {
      for (uint32_t i = 0; i < nlocals; ++i) zero(ptr(kFp, int32_t(nparams + i) * kSlot));
    } else {
      Label loop = a_.newLabel();
      a_.lea(rcx, ptr(kFp, int32_t(nparams) * kSlot));
      a_.mov(edx, nlocals);
      a_.bind(loop);
      zero(ptr(rcx));
      a_.add(rcx, kSlot);
      a_.dec(edx);
      a_.jnz(loop);
    }
  }
}

void Masm::osr_entry(Label head, const uint8_t* loop_pc, std::vector<SlotLoad> loads) {
  osr_.push_back({a_.newLabel(), loop_pc});
  osr_heads_.push_back(head);
  osr_loads_.push_back(std::move(loads));
}

void Masm::epilogue() {
  a_.lea(rax, ptr(kFrame, -kFrameSize));
  a_.mov(qword_ptr(kCtx, kCtxFrameTop), rax);
  a_.xor_(eax, eax);
  a_.jmp(exit_);
}

uint32_t Masm::internal_offset(const CodeHolder& code) const {
  return uint32_t(code.labelOffsetFromBase(internal_));
}

void Masm::load_slot(Reg r, uint32_t i, VT t) {
  switch (t) {
    case VT::I32: a_.mov(g32(r), dword_ptr(kFp, int32_t(i) * kSlot)); break;
    case VT::I64: a_.mov(g64(r), slot(i)); break;
    case VT::F32: a_.movss(x(r), dword_ptr(kFp, int32_t(i) * kSlot)); break;
    case VT::F64: a_.movsd(x(r), slot(i)); break;
    case VT::V128: a_.movdqu(x(r), xmmword_ptr(kFp, int32_t(i) * kSlot)); break;
  }
}

void Masm::store_slot(uint32_t i, Reg r, VT t) {
  switch (t) {
    case VT::I32:
    case VT::I64: a_.mov(slot(i), g64(r)); break;  // i32s are kept zero-extended
    case VT::F32:
      a_.movd(eax, x(r));
      a_.mov(slot(i), rax);
      break;
    case VT::F64: a_.movsd(slot(i), x(r)); break;
    case VT::V128: a_.movdqu(xmmword_ptr(kFp, int32_t(i) * kSlot), x(r)); break;
  }
}

void Masm::store_slot_imm(uint32_t i, int64_t bits, VT t) {
  uint64_t v = (t == VT::I32 || t == VT::F32) ? uint64_t(uint32_t(bits)) : uint64_t(bits);
  if (v <= uint64_t(std::numeric_limits<int32_t>::max())) {
    a_.mov(slot(i), int32_t(v));
  } else {
    a_.mov(rax, v);
    a_.mov(slot(i), rax);
  }
}

void Masm::copy_slot(uint32_t dst, uint32_t src, VT t) {
  if (t == VT::V128) {
    a_.movdqu(xmm0, xmmword_ptr(kFp, int32_t(src) * kSlot));
    a_.movdqu(xmmword_ptr(kFp, int32_t(dst) * kSlot), xmm0);
    return;
  }
  a_.mov(rax, slot(src));
  a_.mov(slot(dst), rax);
}

void Masm::mov_imm(Reg r, int64_t bits, VT t) {
  switch (t) {
    case VT::I32: a_.mov(g32(r), uint32_t(bits)); break;
    case VT::I64: a_.mov(g64(r), uint64_t(bits)); break;
    case VT::F32:
      if (uint32_t(bits) == 0) {
        a_.xorps(x(r), x(r));
      } else {
        a_.mov(eax, uint32_t(bits));
        a_.movd(x(r), eax);
      }
      break;
    case VT::F64:
    case VT::V128:  // (v128 constants are never on the value stack: v128_const)
      if (bits == 0) {
        a_.xorps(x(r), x(r));
      } else {
        a_.mov(rax, uint64_t(bits));
        a_.movq(x(r), rax);
      }
      break;
  }
}

void Masm::mov(Reg dst, Reg src, VT t) {
  if (dst == src) return;
  if (is_fp(t)) a_.movaps(x(dst), x(src));
  else a_.mov(g64(dst), g64(src));
}

Label Masm::constant(uint64_t lo, uint64_t hi) {
  for (const Constant& c : constants_)
    if (c.lo == lo && c.hi == hi) return c.label;
  constants_.push_back({a_.newLabel(), lo, hi});
  return constants_.back().label;
}

Label Masm::trap_label(TrapKind k) {
  for (const Stub& s : stubs_)
    if (s.kind == k && s.pc == pc_) return s.label;
  stubs_.push_back({a_.newLabel(), k, pc_});
  return stubs_.back().label;
}

void Masm::trap(TrapKind k) { a_.jmp(trap_label(k)); }

void Masm::charge_fuel_bulk(uint32_t slot, uint32_t shift) {
  a_.mov(esi, dword_ptr(kFp, int32_t(slot) * kSlot));
  a_.shr(esi, shift);
  a_.mov(rdi, kCtx);
  a_.mov(rax, uint64_t(uintptr_t(&jit_take_fuel)));
  a_.call(rax);
  a_.test(eax, eax);
  a_.jnz(trap_label(TrapKind::OutOfFuel));
}

void Masm::charge_fuel(uint32_t n) {
  Label out = a_.newLabel(), back = a_.newLabel();
  a_.sub(qword_ptr(kCtx, kCtxFuel), int32_t(n));
  a_.jb(out);  // borrowed: the counter held less than n
  a_.bind(back);
  fuel_stubs_.push_back({out, back, n, pc_});
}

bool Masm::unop(Op op, Reg dst, Reg src) {
  switch (op) {
    case Op::I32Eqz:
    case Op::I64Eqz:
      a_.xor_(eax, eax);
      if (op == Op::I32Eqz) a_.test(g32(src), g32(src));
      else a_.test(g64(src), g64(src));
      a_.sete(al);
      a_.mov(g32(dst), eax);
      return true;
    case Op::I32Clz:
    case Op::I64Clz: {
      bool w = op == Op::I64Clz;
      a_.mov(eax, -1);
      if (w) a_.bsr(rcx, g64(src));
      else a_.bsr(ecx, g32(src));
      a_.cmovz(ecx, eax);
      a_.mov(g32(dst), w ? 63 : 31);
      a_.sub(g32(dst), ecx);
      return true;
    }
    case Op::I32Ctz:
    case Op::I64Ctz: {
      bool w = op == Op::I64Ctz;
      a_.mov(eax, w ? 64 : 32);
      if (w) a_.bsf(rcx, g64(src));
      else a_.bsf(ecx, g32(src));
      a_.cmovz(ecx, eax);
      a_.mov(g32(dst), ecx);
      return true;
    }
    case Op::I32Popcnt: a_.popcnt(g32(dst), g32(src)); return true;
    case Op::I64Popcnt: a_.popcnt(g64(dst), g64(src)); return true;
    case Op::I32Extend8S: a_.movsx(g32(dst), gpb(src.code)); return true;
    case Op::I32Extend16S: a_.movsx(g32(dst), gpw(src.code)); return true;
    case Op::I64Extend8S: a_.movsx(g64(dst), gpb(src.code)); return true;
    case Op::I64Extend16S: a_.movsx(g64(dst), gpw(src.code)); return true;
    case Op::I64Extend32S:
    case Op::I64ExtendI32S: a_.movsxd(g64(dst), g32(src)); return true;
    case Op::I32WrapI64:
    case Op::I64ExtendI32U: a_.mov(g32(dst), g32(src)); return true;
    case Op::F32Abs:
    case Op::F64Abs:
    case Op::F32Neg:
    case Op::F64Neg: {
      bool w = op == Op::F64Abs || op == Op::F64Neg;
      uint64_t sign = w ? kSign64 : kSign32;
      bool abs = op == Op::F32Abs || op == Op::F64Abs;
      if (dst != src) a_.movaps(x(dst), x(src));
      if (abs) a_.andps(x(dst), ptr(constant(~sign & (w ? ~uint64_t(0) : 0xFFFFFFFFu), 0)));
      else a_.xorps(x(dst), ptr(constant(sign, 0)));
      return true;
    }
    case Op::F32Sqrt: a_.sqrtss(x(dst), x(src)); return true;
    case Op::F64Sqrt: a_.sqrtsd(x(dst), x(src)); return true;
    // roundss modes: 0 nearest (even), 1 down, 2 up, 3 toward zero; a NaN
    // comes out quiet, as Wasm requires.
    case Op::F32Ceil: a_.roundss(x(dst), x(src), 2); return true;
    case Op::F32Floor: a_.roundss(x(dst), x(src), 1); return true;
    case Op::F32Trunc: a_.roundss(x(dst), x(src), 3); return true;
    case Op::F32Nearest: a_.roundss(x(dst), x(src), 0); return true;
    case Op::F64Ceil: a_.roundsd(x(dst), x(src), 2); return true;
    case Op::F64Floor: a_.roundsd(x(dst), x(src), 1); return true;
    case Op::F64Trunc: a_.roundsd(x(dst), x(src), 3); return true;
    case Op::F64Nearest: a_.roundsd(x(dst), x(src), 0); return true;
    case Op::F32ConvertI32S: a_.xorps(x(dst), x(dst)); a_.cvtsi2ss(x(dst), g32(src)); return true;
    case Op::F64ConvertI32S: a_.xorps(x(dst), x(dst)); a_.cvtsi2sd(x(dst), g32(src)); return true;
    case Op::F32ConvertI64S: a_.xorps(x(dst), x(dst)); a_.cvtsi2ss(x(dst), g64(src)); return true;
    case Op::F64ConvertI64S: a_.xorps(x(dst), x(dst)); a_.cvtsi2sd(x(dst), g64(src)); return true;
    case Op::F32ConvertI32U:
      a_.mov(eax, g32(src));  // zero-extended: a non-negative i64
      a_.xorps(x(dst), x(dst));
      a_.cvtsi2ss(x(dst), rax);
      return true;
    case Op::F64ConvertI32U:
      a_.mov(eax, g32(src));
      a_.xorps(x(dst), x(dst));
      a_.cvtsi2sd(x(dst), rax);
      return true;
    case Op::F32ConvertI64U:
    case Op::F64ConvertI64U: {
      // Below 2^63 as signed; above, halve (keeping the low bit, so the
      // rounding is the same), convert and double.
      bool d = op == Op::F64ConvertI64U;
      Label big = a_.newLabel(), done = a_.newLabel();
      a_.xorps(x(dst), x(dst));
      a_.test(g64(src), g64(src));
      a_.js(big);
      if (d) a_.cvtsi2sd(x(dst), g64(src));
      else a_.cvtsi2ss(x(dst), g64(src));
      a_.jmp(done);
      a_.bind(big);
      a_.mov(rax, g64(src));
      a_.shr(rax, 1);
      a_.mov(ecx, g32(src));
      a_.and_(ecx, 1);
      a_.or_(rax, rcx);
      if (d) {
        a_.cvtsi2sd(x(dst), rax);
        a_.addsd(x(dst), x(dst));
      } else {
        a_.cvtsi2ss(x(dst), rax);
        a_.addss(x(dst), x(dst));
      }
      a_.bind(done);
      return true;
    }
    case Op::F32DemoteF64: a_.cvtsd2ss(x(dst), x(src)); return true;
    case Op::F64PromoteF32: a_.cvtss2sd(x(dst), x(src)); return true;
    case Op::I32ReinterpretF32: a_.movd(g32(dst), x(src)); return true;
    case Op::I64ReinterpretF64: a_.movq(g64(dst), x(src)); return true;
    case Op::F32ReinterpretI32: a_.movd(x(dst), g32(src)); return true;
    case Op::F64ReinterpretI64: a_.movq(x(dst), g64(src)); return true;
    default:
      return false;
  }
}

bool Masm::binop(Op op, Reg dst, Reg rhs) {
  const bool w = is64(op);
  const Gp d = w ? g64(dst) : g32(dst), s = w ? g64(rhs) : g32(rhs);
  const Gp ax = w ? Gp(rax) : Gp(eax), dx = w ? Gp(rdx) : Gp(edx);
  switch (op) {
    case Op::I32Add: case Op::I64Add: a_.add(d, s); return true;
    case Op::I32Sub: case Op::I64Sub: a_.sub(d, s); return true;
    case Op::I32Mul: case Op::I64Mul: a_.imul(d, s); return true;
    case Op::I32And: case Op::I64And: a_.and_(d, s); return true;
    case Op::I32Or: case Op::I64Or: a_.or_(d, s); return true;
    case Op::I32Xor: case Op::I64Xor: a_.xor_(d, s); return true;
    case Op::I32Shl: case Op::I64Shl: a_.mov(ecx, g32(rhs)); a_.shl(d, cl); return true;
    case Op::I32ShrS: case Op::I64ShrS: a_.mov(ecx, g32(rhs)); a_.sar(d, cl); return true;
    case Op::I32ShrU: case Op::I64ShrU: a_.mov(ecx, g32(rhs)); a_.shr(d, cl); return true;
    case Op::I32Rotl: case Op::I64Rotl: a_.mov(ecx, g32(rhs)); a_.rol(d, cl); return true;
    case Op::I32Rotr: case Op::I64Rotr: a_.mov(ecx, g32(rhs)); a_.ror(d, cl); return true;
    case Op::I32DivS: case Op::I64DivS: case Op::I32RemS: case Op::I64RemS: {
      bool rem = op == Op::I32RemS || op == Op::I64RemS;
      Label normal = a_.newLabel(), done = a_.newLabel();
      a_.test(s, s);
      a_.jz(trap_label(TrapKind::IntegerDivideByZero));
      a_.cmp(s, -1);
      a_.jne(normal);
      if (rem) {  // x rem -1 is 0, INT_MIN included
        a_.xor_(g32(dst), g32(dst));
        a_.jmp(done);
      } else {  // INT_MIN / -1 overflows
        if (w) a_.mov(rax, uint64_t(kSign64));
        else a_.mov(eax, uint32_t(kSign32));
        a_.cmp(d, ax);
        a_.je(trap_label(TrapKind::IntegerOverflow));
      }
      a_.bind(normal);
      a_.mov(ax, d);
      if (w) a_.cqo();
      else a_.cdq();
      a_.idiv(s);
      a_.mov(d, rem ? dx : ax);
      a_.bind(done);
      return true;
    }
    case Op::I32DivU: case Op::I64DivU: case Op::I32RemU: case Op::I64RemU: {
      bool rem = op == Op::I32RemU || op == Op::I64RemU;
      a_.test(s, s);
      a_.jz(trap_label(TrapKind::IntegerDivideByZero));
      a_.mov(ax, d);
      a_.xor_(edx, edx);
      a_.div(s);
      a_.mov(d, rem ? dx : ax);
      return true;
    }
    case Op::F32Add: a_.addss(x(dst), x(rhs)); return true;
    case Op::F32Sub: a_.subss(x(dst), x(rhs)); return true;
    case Op::F32Mul: a_.mulss(x(dst), x(rhs)); return true;
    case Op::F32Div: a_.divss(x(dst), x(rhs)); return true;
    case Op::F64Add: a_.addsd(x(dst), x(rhs)); return true;
    case Op::F64Sub: a_.subsd(x(dst), x(rhs)); return true;
    case Op::F64Mul: a_.mulsd(x(dst), x(rhs)); return true;
    case Op::F64Div: a_.divsd(x(dst), x(rhs)); return true;
    case Op::F32Min: case Op::F32Max: case Op::F64Min: case Op::F64Max: {
      // minss/maxss give the second operand for NaNs and for equal
      // operands (-0 and +0 included): those two cases go apart.
      bool d64 = op == Op::F64Min || op == Op::F64Max;
      bool mn = op == Op::F32Min || op == Op::F64Min;
      Label nan = a_.newLabel(), equal = a_.newLabel(), done = a_.newLabel();
      if (d64) a_.ucomisd(x(dst), x(rhs));
      else a_.ucomiss(x(dst), x(rhs));
      a_.jp(nan);
      a_.je(equal);
      if (d64) {
        if (mn) a_.minsd(x(dst), x(rhs));
        else a_.maxsd(x(dst), x(rhs));
      } else {
        if (mn) a_.minss(x(dst), x(rhs));
        else a_.maxss(x(dst), x(rhs));
      }
      a_.jmp(done);
      a_.bind(equal);  // equal values; for zeros the sign decides
      if (mn) a_.orps(x(dst), x(rhs));
      else a_.andps(x(dst), x(rhs));
      a_.jmp(done);
      a_.bind(nan);  // a quiet NaN
      if (d64) a_.addsd(x(dst), x(rhs));
      else a_.addss(x(dst), x(rhs));
      a_.bind(done);
      return true;
    }
    case Op::F32Copysign: case Op::F64Copysign: {
      bool d64 = op == Op::F64Copysign;
      uint64_t sign = d64 ? kSign64 : kSign32;
      uint64_t mag = d64 ? ~kSign64 : uint64_t(~uint32_t(kSign32));
      a_.movaps(xmm0, x(rhs));
      a_.andps(xmm0, ptr(constant(sign, 0)));
      a_.andps(x(dst), ptr(constant(mag, 0)));
      a_.orps(x(dst), xmm0);
      return true;
    }
    default:
      return false;
  }
}

bool Masm::binop_imm(Op op, Reg dst, int32_t imm) {
  const bool w = is64(op);
  const Gp d = w ? g64(dst) : g32(dst);
  const uint32_t mask = w ? 63 : 31;
  switch (op) {
    case Op::I32Add: case Op::I64Add: a_.add(d, imm); return true;
    case Op::I32Sub: case Op::I64Sub: a_.sub(d, imm); return true;
    case Op::I32Mul: case Op::I64Mul: a_.imul(d, d, imm); return true;
    case Op::I32And: case Op::I64And: a_.and_(d, imm); return true;
    case Op::I32Or: case Op::I64Or: a_.or_(d, imm); return true;
    case Op::I32Xor: case Op::I64Xor: a_.xor_(d, imm); return true;
    case Op::I32Shl: case Op::I64Shl: a_.shl(d, uint32_t(imm) & mask); return true;
    case Op::I32ShrS: case Op::I64ShrS: a_.sar(d, uint32_t(imm) & mask); return true;
    case Op::I32ShrU: case Op::I64ShrU: a_.shr(d, uint32_t(imm) & mask); return true;
    case Op::I32Rotl: case Op::I64Rotl: a_.rol(d, uint32_t(imm) & mask); return true;
    case Op::I32Rotr: case Op::I64Rotr: a_.ror(d, uint32_t(imm) & mask); return true;
    default:
      return false;
  }
}

bool Masm::compare(Op op, Reg dst, Reg a, Reg b) {
  CondCode cc;
  if (int_cond(op, cc)) {
    a_.xor_(eax, eax);
    if (is64(op)) a_.cmp(g64(a), g64(b));
    else a_.cmp(g32(a), g32(b));
    a_.set(cc, al);
    a_.mov(g32(dst), eax);
    return true;
  }
  // Floats: ucomis sets ZF, PF, CF (all three for unordered). a < b is
  // b > a, so that unordered (CF set) gives false through `above`.
  bool d64;
  switch (op) {
    case Op::F32Eq: case Op::F32Ne: case Op::F32Lt: case Op::F32Gt: case Op::F32Le:
    case Op::F32Ge: d64 = false; break;
    case Op::F64Eq: case Op::F64Ne: case Op::F64Lt: case Op::F64Gt: case Op::F64Le:
    case Op::F64Ge: d64 = true; break;
    default: return false;
  }
  auto ucomi = [&](Reg l, Reg r) {
    if (d64) a_.ucomisd(x(l), x(r));
    else a_.ucomiss(x(l), x(r));
  };
  a_.xor_(eax, eax);
  switch (op) {
    case Op::F32Eq: case Op::F64Eq:
      ucomi(a, b);
      a_.sete(al);
      a_.setnp(cl);
      a_.and_(al, cl);
      break;
    case Op::F32Ne: case Op::F64Ne:
      ucomi(a, b);
      a_.setne(al);
      a_.setp(cl);
      a_.or_(al, cl);
      break;
    case Op::F32Lt: case Op::F64Lt: ucomi(b, a); a_.seta(al); break;
    case Op::F32Gt: case Op::F64Gt: ucomi(a, b); a_.seta(al); break;
    case Op::F32Le: case Op::F64Le: ucomi(b, a); a_.setae(al); break;
    case Op::F32Ge: case Op::F64Ge: ucomi(a, b); a_.setae(al); break;
    default: return false;
  }
  a_.mov(g32(dst), eax);
  return true;
}

bool Masm::compare_imm(Op op, Reg dst, Reg a, int32_t imm) {
  CondCode cc;
  if (!int_cond(op, cc)) return false;
  a_.xor_(eax, eax);
  if (is64(op)) a_.cmp(g64(a), imm);
  else a_.cmp(g32(a), imm);
  a_.set(cc, al);
  a_.mov(g32(dst), eax);
  return true;
}

void Masm::select(VT t, Reg dst, Reg other, Reg cond) {
  a_.test(g32(cond), g32(cond));
  if (is_fp(t)) {
    Label keep = a_.newLabel();
    a_.jnz(keep);
    a_.movaps(x(dst), x(other));
    a_.bind(keep);
  } else {
    a_.cmovz(g(dst, t), g(other, t));
  }
}

Mem Masm::mem_operand(Reg addr, uint64_t offset) {
  if (offset <= uint64_t(std::numeric_limits<int32_t>::max()))
    return ptr(kMem, g64(addr), 0, int32_t(offset));
  a_.mov(rax, offset);
  a_.add(rax, g64(addr));
  return ptr(kMem, rax);
}

bool Masm::load(Op op, Reg dst, Reg addr, uint64_t offset) {
  Mem m = mem_operand(addr, offset);
  note_fault();
  switch (op) {
    case Op::I32Load: m.setSize(4); a_.mov(g32(dst), m); return true;
    case Op::I64Load: m.setSize(8); a_.mov(g64(dst), m); return true;
    case Op::F32Load: m.setSize(4); a_.movss(x(dst), m); return true;
    case Op::F64Load: m.setSize(8); a_.movsd(x(dst), m); return true;
    case Op::I32Load8S: m.setSize(1); a_.movsx(g32(dst), m); return true;
    case Op::I32Load8U: m.setSize(1); a_.movzx(g32(dst), m); return true;
    case Op::I32Load16S: m.setSize(2); a_.movsx(g32(dst), m); return true;
    case Op::I32Load16U: m.setSize(2); a_.movzx(g32(dst), m); return true;
    case Op::I64Load8S: m.setSize(1); a_.movsx(g64(dst), m); return true;
    case Op::I64Load8U: m.setSize(1); a_.movzx(g32(dst), m); return true;
    case Op::I64Load16S: m.setSize(2); a_.movsx(g64(dst), m); return true;
    case Op::I64Load16U: m.setSize(2); a_.movzx(g32(dst), m); return true;
    case Op::I64Load32S: m.setSize(4); a_.movsxd(g64(dst), m); return true;
    case Op::I64Load32U: m.setSize(4); a_.mov(g32(dst), m); return true;
    default: faults_.pop_back(); return false;
  }
}

bool Masm::store(Op op, Reg addr, uint64_t offset, Reg value) {
  Mem m = mem_operand(addr, offset);
  note_fault();
  switch (op) {
    case Op::I32Store: case Op::I64Store32: m.setSize(4); a_.mov(m, g32(value)); return true;
    case Op::I64Store: m.setSize(8); a_.mov(m, g64(value)); return true;
    case Op::F32Store: m.setSize(4); a_.movss(m, x(value)); return true;
    case Op::F64Store: m.setSize(8); a_.movsd(m, x(value)); return true;
    case Op::I32Store8: case Op::I64Store8: m.setSize(1); a_.mov(m, gpb(value.code)); return true;
    case Op::I32Store16: case Op::I64Store16: m.setSize(2); a_.mov(m, gpw(value.code)); return true;
    default: faults_.pop_back(); return false;
  }
}

void Masm::global_get(Reg dst, uint32_t index, VT t) {
  a_.mov(rax, qword_ptr(kInst, kInstGlobals));
  a_.mov(rax, qword_ptr(rax, int32_t(index) * 8));
  switch (t) {
    case VT::I32: a_.mov(g32(dst), dword_ptr(rax, kGlobalValue)); break;
    case VT::I64: a_.mov(g64(dst), qword_ptr(rax, kGlobalValue)); break;
    case VT::F32: a_.movss(x(dst), dword_ptr(rax, kGlobalValue)); break;
    case VT::F64: a_.movsd(x(dst), qword_ptr(rax, kGlobalValue)); break;
    case VT::V128: a_.movdqu(x(dst), xmmword_ptr(rax, kGlobalValue)); break;
  }
}

void Masm::global_set(uint32_t index, Reg src, VT t) {
  a_.mov(rax, qword_ptr(kInst, kInstGlobals));
  a_.mov(rax, qword_ptr(rax, int32_t(index) * 8));
  switch (t) {
    case VT::I32:
    case VT::I64: a_.mov(qword_ptr(rax, kGlobalValue), g64(src)); break;
    case VT::F32:
      a_.movd(ecx, x(src));
      a_.mov(qword_ptr(rax, kGlobalValue), rcx);
      break;
    case VT::F64: a_.movsd(qword_ptr(rax, kGlobalValue), x(src)); break;
    case VT::V128: a_.movdqu(xmmword_ptr(rax, kGlobalValue), x(src)); break;
  }
}

void Masm::func_ref(Reg dst, uint32_t index) {
  a_.mov(rax, qword_ptr(kInst, kInstFuncs));
  a_.mov(g64(dst), qword_ptr(rax, int32_t(index) * 8));
}

void Masm::branch_if(Reg cond, bool nonzero, Label target) {
  a_.test(g32(cond), g32(cond));
  if (nonzero) a_.jnz(target);
  else a_.jz(target);
}

void Masm::branch_compare(Op op, Reg a, Reg b, bool has_imm, int32_t imm, bool when, Label target) {
  CondCode cc;
  if (op == Op::I32Eqz || op == Op::I64Eqz) {
    if (op == Op::I64Eqz) a_.test(g64(a), g64(a));
    else a_.test(g32(a), g32(a));
    cc = CondCode::kE;
  } else {
    int_cond(op, cc);
    const bool w = is64(op);
    if (has_imm) {
      if (w) a_.cmp(g64(a), imm);
      else a_.cmp(g32(a), imm);
    } else {
      if (w) a_.cmp(g64(a), g64(b));
      else a_.cmp(g32(a), g32(b));
    }
  }
  a_.j(when ? cc : x86::negateCond(cc), target);
}

void Masm::branch_if_equal(Reg r, int32_t imm, Label target) {
  a_.cmp(g32(r), imm);
  a_.je(target);
}

void Masm::jump_table(Reg index, const std::vector<Label>& targets, Label other) {
  Label table = a_.newLabel();
  a_.cmp(g32(index), uint32_t(targets.size()));
  a_.jae(other);
  a_.lea(rax, ptr(table));
  a_.movsxd(rcx, dword_ptr(rax, g64(index), 2));  // i32s are kept zero-extended
  a_.add(rax, rcx);
  a_.jmp(rax);
  jump_tables_.push_back({table, targets});
}

// This call's Frame records wasm position pc (for backtraces, and where a
// callee returns to).
void Masm::record_pc(const uint8_t* pc) {
  a_.mov(rax, uint64_t(uintptr_t(pc)));
  a_.mov(qword_ptr(kFrame, kFramePc), rax);
}

// Calls the FuncInst in rdx with its arguments from args_slot on: compiled
// code directly (internally when it is of this instance, see prologue(),
// else through its C entry), anything else through jit_call_out
// (rt::invoke). A trap returns from this function too, its frames left as
// they are.
void Masm::call_callee(uint32_t args_slot, bool same_instance) {
  const int32_t up = int32_t(args_slot) * kSlot;
  Label slow = a_.newLabel(), done = a_.newLabel();
  a_.cmp(byte_ptr(rdx, kFuncKind), uint8_t(FuncKind::Compiled));
  a_.jne(slow);
  if (same_instance) {  // the pins as they are; the frame moves up to the arguments
    if (up) a_.add(kFp, up);
    a_.call(qword_ptr(rdx, kFuncInternal));
    if (up) a_.sub(kFp, up);
  } else {
    a_.lea(rdi, ptr(kFp, up));
    a_.mov(rsi, kCtx);
    a_.call(qword_ptr(rdx, kFuncEntry));
  }
  a_.jmp(done);
  a_.bind(slow);
  a_.lea(rdi, ptr(kFp, up));
  a_.mov(rsi, kCtx);
  a_.mov(rcx, kInst);
  a_.mov(rax, uint64_t(uintptr_t(&jit_call_out)));
  a_.call(rax);
  a_.bind(done);
  a_.test(eax, eax);
  a_.jnz(exit_);
}

void Masm::call_func(uint32_t func_index, uint32_t args_slot, bool same_instance) {
  record_pc(pc_);
  a_.mov(rdx, qword_ptr(kInst, kInstFuncs));
  a_.mov(rdx, qword_ptr(rdx, int32_t(func_index) * 8));
  call_callee(args_slot, same_instance);
}

void Masm::call_indirect(uint32_t type_index, uint32_t table_index, uint32_t args_slot,
                         uint32_t index_slot) {
  record_pc(pc_);
  a_.mov(rdi, kCtx);
  a_.mov(rsi, kInst);
  a_.mov(edx, table_index);
  a_.mov(ecx, type_index);
  a_.mov(r8d, dword_ptr(kFp, int32_t(index_slot) * kSlot));
  a_.mov(rax, uint64_t(uintptr_t(&jit_indirect_callee)));
  a_.call(rax);
  Label found = a_.newLabel();
  a_.test(rax, rax);
  a_.jnz(found);
  a_.movzx(eax, byte_ptr(kCtx, kCtxTrap));  // the helper's verdict
  a_.jmp(exit_);
  a_.bind(found);
  a_.mov(rdx, rax);
  call_callee(args_slot, false);  // any instance's function
}

void Masm::call_helper(const void* fn, const Arg* args, size_t n) {
  record_pc(pc_);
  static const Gp kArgs[] = {rdi, rsi, rdx, rcx, r8, r9};
  for (size_t i = 0; i < n; ++i) {
    const Arg& arg = args[i];
    Gp r = kArgs[i];
    switch (arg.kind) {
      case Arg::Ctx: a_.mov(r, kCtx); break;
      case Arg::Inst: a_.mov(r, kInst); break;
      case Arg::Imm: a_.mov(r, uint64_t(arg.value)); break;
      case Arg::Slot32: a_.mov(r.r32(), dword_ptr(kFp, int32_t(arg.value) * kSlot)); break;
      case Arg::Slot64: a_.mov(r, slot(uint32_t(arg.value))); break;
    }
  }
  a_.mov(rax, uint64_t(uintptr_t(fn)));
  a_.call(rax);
}

void Masm::trap_unless_none() {
  a_.test(eax, eax);
  a_.jnz(exit_);
}

void Masm::trap_if_second() {
  Label ok = a_.newLabel();
  a_.test(edx, edx);
  a_.jz(ok);
  a_.mov(eax, edx);
  a_.jmp(exit_);
  a_.bind(ok);
}

void Masm::result_to(Reg dst, VT t) {
  switch (t) {
    case VT::I32: a_.mov(g32(dst), eax); break;
    case VT::I64: a_.mov(g64(dst), rax); break;
    case VT::F32: a_.movd(x(dst), eax); break;
    case VT::F64:
    case VT::V128: a_.movq(x(dst), rax); break;
  }
}

void Masm::finish() {
  static const Gp kSaved[] = {rsi, rdi, r8, r9, r10, r11};
  for (const FuelStub& s : fuel_stubs_) {
    a_.bind(s.label);
    a_.add(qword_ptr(kCtx, kCtxFuel), int32_t(s.n));  // undo, and ask the reserve
    for (const Gp& r : kSaved) a_.push(r);            // 48 bytes: alignment kept
    a_.sub(rsp, 15 * 16);
    for (int i = 0; i < 15; ++i) a_.movdqu(ptr(rsp, i * 16), xmm(i + 1));
    a_.mov(rdi, kCtx);
    a_.mov(esi, s.n);
    a_.mov(rax, uint64_t(uintptr_t(&jit_take_fuel)));
    a_.call(rax);
    for (int i = 0; i < 15; ++i) a_.movdqu(xmm(i + 1), ptr(rsp, i * 16));
    a_.add(rsp, 15 * 16);
    for (int i = 5; i >= 0; --i) a_.pop(kSaved[i]);
    a_.test(eax, eax);
    a_.jz(s.back);
    record_pc(s.pc);
    a_.mov(eax, uint32_t(TrapKind::OutOfFuel));
    a_.jmp(exit_);
  }
  for (const Stub& s : stubs_) {
    a_.bind(s.label);
    record_pc(s.pc);
    a_.mov(eax, uint32_t(s.kind));
    a_.jmp(exit_);
  }
  for (size_t i = 0; i < osr_.size(); ++i) {
    // External convention, like the entry, but the frame on top is already
    // this call's (the interpreter's): the inner part enters at the loop.
    Label inner = a_.newLabel();
    a_.bind(osr_[i].stub);
    from_c(&inner);
    a_.bind(inner);
    a_.sub(rsp, 8);
    for (const SlotLoad& l : osr_loads_[i]) load_slot(l.reg, l.slot, l.type);
    a_.jmp(osr_heads_[i]);
  }
  // Stack exhausted before this call's frame was pushed.
  a_.bind(early_exit_);
  a_.mov(eax, uint32_t(TrapKind::StackExhausted));
  a_.add(rsp, 8);
  a_.ret();
  // Every other way out: eax the trap kind (None from the epilogue), r14
  // back at the caller's Frame.
  a_.bind(exit_);
  a_.sub(kFrame, kFrameSize);
  a_.add(rsp, 8);
  a_.ret();
  for (const JumpTable& t : jump_tables_) {
    a_.align(AlignMode::kData, 4);
    a_.bind(t.table);
    for (const Label& target : t.targets) a_.embedLabelDelta(target, t.table, 4);
  }
  if (!constants_.empty()) {
    a_.align(AlignMode::kData, 16);
    for (const Constant& c : constants_) {
      a_.bind(c.label);
      a_.embedUInt64(c.lo);
      a_.embedUInt64(c.hi);
    }
  }
}

}  // namespace wisp::jit
