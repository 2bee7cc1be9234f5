// The baseline compiler, architecture-neutral part: one pass over a
// validated function body as a hook set of the body walker
// (valid/func_validator.hpp), Liftoff style. The walker owns the control
// and type stacks and checks every rule; the compiler keeps the abstract
// value stack (value_stack.hpp), allocates registers, and tells the
// per-ISA macro-assembler (x64/masm.hpp) what to emit. jit/README.md.
#pragma once
#include <asmjit/core.h>

#include <cstdint>
#include <vector>

#include "jit/value_stack.hpp"
#include "jit/x64/masm.hpp"
#include "runtime/valid/func_validator.hpp"
#include "runtime/wasm/module.hpp"

namespace wisp::jit {

class Compiler;

// The compiler as the walker's hook set.
struct JitHooks : detail::NoSideTable {
  static constexpr bool kEvents = true;
  Compiler* c;
  template <class W>
  void op(W& w, const Instr& in, bool live, const uint8_t* end);
  template <class W>
  void close(W& w, const Instr& in, detail::Ctrl& ctrl);
};

class Compiler {
 public:
  // With fuel, the code counts it as the interpreter does: one per
  // instruction, charged at the end of each straight-line run (before the
  // control instruction that ends it), so a run that completes costs the
  // same in both tiers; one that runs out traps at the end of the run
  // where the interpreter stops inside it.
  Compiler(const Module& m, uint32_t func_index, asmjit::CodeHolder& code, bool fuel);
  // Compiles the body into the CodeHolder. False when it has an
  // instruction the compiler has no code for yet (why() says which), or
  // the body does not validate.
  bool run();
  const char* why() const { return why_; }
  const Masm& masm() const { return masm_; }

 private:
  using Walker = detail::BodyWalker<JitHooks>;
  friend struct JitHooks;
  void op(Walker& w, const Instr& in, bool live, const uint8_t* end);
  void close(Walker& w, const Instr& in, detail::Ctrl& c);

  // Registers and the value stack.
  Reg alloc(VT t);
  // A free register of t's class without evicting or spilling anything, or
  // false.
  bool try_alloc(VT t, Reg& out);
  void release(Reg r) { regs_.release(r); }
  void spill(size_t i);
  void spill_all();
  Reg pop_reg();
  Val pop();
  void push_reg(VT t, Reg r) { stack_.push_back(Val{Val::InReg, t, r, 0}); }
  void push_const(VT t, int64_t bits) { stack_.push_back(Val{Val::Const, t, Reg{}, bits}); }
  void push_slots(const ValType* types, uint32_t n);  // n values now in their home slots
  void reset_stack(size_t height);
  uint32_t home(size_t i) const { return L_ + uint32_t(i); }
  // Puts the top n values where a block whose values start at stack
  // height `height` expects them (their home slots there).
  void move_top(uint32_t n, uint32_t height);
  // Writes the value at stack index i to frame slot dst.
  void store_value(uint32_t dst, size_t i);

  // Control.
  asmjit::Label label(uint32_t id) const { return asmjit::Label(id); }
  uint32_t arity(const detail::Ctrl& c) const { return c.kind == Op::Loop ? c.nparams : c.nresults; }
  void branch_to(Walker& w, uint32_t depth);  // moves and jumps; the stack is all spilled or about to be dead
  void do_return(uint32_t nresults);

  bool numeric(const Instr& in);
  bool tables(const Instr& in);
  // An instruction done by a helper (helpers.hpp): called with the
  // instance, the immediates, then the top nops operands; they are popped
  // and the result, if any, pushed. With checks_trap the helper returns a
  // ValueOrTrap.
  void call_out(const void* fn, std::initializer_list<int64_t> imms, uint32_t nops,
                bool checks_trap, bool has_result, VT result = VT::I32, uint32_t bulk_shift = 0);
  bool memory(const Instr& in);
  // v128 instructions (compiler_simd.cpp): inline, or the interpreter's
  // handler on the spilled frame.
  bool simd(const Instr& in);
  void simd_by_interpreter(const Instr& in);
  void unsupported(const char* what) {
    if (!why_) why_ = what;
  }

  const Module& m_;
  uint32_t func_;
  Masm masm_;
  uint32_t L_ = 0;  // parameters and declared locals: the first operand's slot
  std::vector<Val> stack_;
  RegState regs_;
  // Locals whose current value is also in a register (write-through: the
  // slot is always up to date), valid within a straight-line run: dropped
  // at every label, call and spill of everything. A register here is taken
  // but owned by the cache, and is the first to go when registers run out.
  struct CachedLocal {
    uint32_t local;
    Reg reg;
  };
  std::vector<CachedLocal> cache_;
  // Spills the operand stack, keeping the cache (a branch or a block entry:
  // the code after it continues with what the registers hold).
  void spill_stack();
  // A loop keeps the locals cached as it is entered in the same registers
  // at its header: every way in (the entry, each back-edge, the on-stack
  // replacement stub) puts them there, so a loop-carried local goes
  // around the loop in a register instead of through its slot. Open loops,
  // innermost last.
  struct LoopReg {
    uint32_t local;
    Reg reg;
    VT type;
  };
  struct LoopRegs {
    uint32_t label;
    std::vector<LoopReg> regs;
  };
  std::vector<LoopRegs> loops_;
  const LoopRegs* loop_of(uint32_t label) const;
  // Whether the loop's locals are in its registers already; and the moves
  // (or loads: slots are always up to date) that put them there.
  bool loop_ready(const LoopRegs& l);
  void enter_loop(const LoopRegs& l);
  // After local.set/tee of a local the innermost loop keeps in a register:
  // back into that register when it is free, so the back-edge has nothing
  // to move. False when it is not such a local or the register is taken.
  bool keep_in_loop_reg(uint32_t local, const Val& v);
  void drop_cache();
  CachedLocal* cached(uint32_t local);
  void forget(uint32_t local);
  asmjit::Label ret_;
  const char* why_ = nullptr;
  // An integer comparison whose result only a br_if or if right after it
  // uses: not materialised, but compared and branched on there.
  struct PendingCompare {
    bool on = false;
    Op op{};
    Reg a, b;
    bool has_imm = false;
    int32_t imm = 0;
  } pending_;
  bool fuse_compare(const Instr& in, const uint8_t* end);
  // Branches to target when the condition on top (popped) is `when`.
  void branch_on_condition(bool when, asmjit::Label target);
  const bool fuel_;
  uint32_t run_ = 0;  // instructions since fuel was last charged
  void charge_fuel() {
    if (fuel_ && run_) masm_.charge_fuel(run_);
    run_ = 0;
  }
};

template <class W>
void JitHooks::op(W& w, const Instr& in, bool live, const uint8_t* end) {
  c->masm_.set_pc(end);
  c->op(w, in, live, end);
}
template <class W>
void JitHooks::close(W& w, const Instr& in, detail::Ctrl& ctrl) {
  c->close(w, in, ctrl);
}

}  // namespace wisp::jit
