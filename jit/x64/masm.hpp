// The x86-64 macro-assembler of the baseline compiler, on asmjit's
// x86::Assembler: what a wasm operation is in x86-64 instructions, and
// nothing about where values live (compiler.cpp decides that and hands this
// registers, frame slots and immediates). The AArch64 one (jit/a64/) will
// offer the same interface.
//
// Register use (System V):
//   rbx  fp: the function's frame (its Slot array: params, locals, operands)
//   r12  ctx: the ExecContext
//   r13  memory 0's base
//   r14  this function's Frame on the frame stack
//   r15  the Instance
//   rax, rcx, rdx, xmm0: scratch of a single operation, never allocated
//   rsi, rdi, r8-r11, xmm1-xmm15: allocated by the compiler
// All allocated registers are caller-saved, so a call spills everything.
#pragma once
#include <asmjit/x86.h>

#include <cstdint>
#include <utility>
#include <vector>

#include "jit/value_stack.hpp"
#include "runtime/vm/trap.hpp"
#include "runtime/wasm/instr_reader.hpp"
#include "runtime/wasm/opcodes.hpp"

namespace wisp::jit {

// A machine-code offset of a memory access and the wasm position it
// reports when it faults (the end of its instruction, as the interpreter's).
struct FaultSite {
  uint32_t native_offset;
  const uint8_t* wasm_pc;
};

class Masm {
 public:
  explicit Masm(asmjit::CodeHolder& code);

  static constexpr uint8_t kNumGp = 6, kNumFp = 15;
  static Reg gp(uint8_t i);  // the i-th allocatable general register
  static Reg fp(uint8_t i);  // the i-th allocatable vector register
  // Whether this CPU has what the compiler needs (SSE4.1, POPCNT).
  static bool cpu_supported();

  // The wasm position of the instruction being compiled (its end): what a
  // trap or fault in its code reports.
  void set_pc(const uint8_t* end_pc) { pc_ = end_pc; }

  asmjit::Label new_label() { return a_.newLabel(); }
  void bind(asmjit::Label l) { a_.bind(l); }
  void jump(asmjit::Label l) { a_.jmp(l); }

  // The external entry every compiled function shares (CompiledEntry: the C
  // calling convention), alone in its code: it calls the internal entry of
  // the FuncInst it is given.
  void entry_thunk();
  // The internal entry (masm.cpp) at offset 0, then stack checks (native,
  // frame and value stack; "call stack exhausted" without a frame of its
  // own, as the interpreter's call), the frame pushed, declared locals
  // zeroed.
  // wide: the function holds v128 values, so locals are zeroed whole.
  void prologue(uint32_t nparams, uint32_t nlocals, uint32_t frame_slots, bool wide);
  // The internal entry's offset, once the code is laid out.
  uint32_t internal_offset(const asmjit::CodeHolder& code) const;
  // Normal exit: the frame popped, TrapKind::None returned.
  void epilogue();

  // Frame slots (fp[slot]), 8 bytes of value (i32 and f32 zero-extended),
  // all 16 for a v128.
  void load_slot(Reg r, uint32_t slot, VT t);
  void store_slot(uint32_t slot, Reg r, VT t);
  void store_slot_imm(uint32_t slot, int64_t bits, VT t);
  void copy_slot(uint32_t dst, uint32_t src, VT t);
  void mov_imm(Reg r, int64_t bits, VT t);
  void mov(Reg dst, Reg src, VT t);

  // Plain instructions (opcodes.def rows with a fixed signature). Each
  // returns false if it has no code here yet (the function then stays
  // interpreted). Two-operand forms compute dst = dst op rhs.
  bool unop(Op op, Reg dst, Reg src);
  bool binop(Op op, Reg dst, Reg rhs);
  bool binop_imm(Op op, Reg dst, int32_t imm);  // false: no immediate form
  bool compare(Op op, Reg dst, Reg a, Reg b);
  bool compare_imm(Op op, Reg dst, Reg a, int32_t imm);
  // dst = cond ? dst : other
  void select(VT t, Reg dst, Reg other, Reg cond);

  // Memory 0 at addr + offset (addr a zero-extended i32).
  bool load(Op op, Reg dst, Reg addr, uint64_t offset);
  bool store(Op op, Reg addr, uint64_t offset, Reg value);

  void global_get(Reg dst, uint32_t index, VT t);
  void global_set(uint32_t index, Reg src, VT t);
  void func_ref(Reg dst, uint32_t index);  // the instance's function `index`

  void branch_if(Reg cond, bool nonzero, asmjit::Label target);
  // Jumps to target when integer comparison op (or eqz, b unused) of a and
  // b (or imm) is `when` (a compare fused with the br_if or if after it).
  void branch_compare(Op op, Reg a, Reg b, bool has_imm, int32_t imm, bool when,
                      asmjit::Label target);
  // Jumps to target when the i32 in r equals imm.
  void branch_if_equal(Reg r, int32_t imm, asmjit::Label target);
  // Jumps to targets[i] for the i32 i in index, to other for i >= the
  // number of targets (br_table): through a table of offsets placed after
  // the code.
  void jump_table(Reg index, const std::vector<asmjit::Label>& targets, asmjit::Label other);

  // Calls: arguments in frame slots from args_slot on, results left there.
  // A trap in the callee returns it from this function too.
  // same_instance: the callee is defined in this module, so of this
  // instance: compiled, it is entered internally (see prologue()).
  void call_func(uint32_t func_index, uint32_t args_slot, bool same_instance);
  void call_indirect(uint32_t type_index, uint32_t table_index, uint32_t args_slot,
                     uint32_t index_slot);
  // A helper of the C calling convention with up to six integer
  // arguments: the context, the instance, immediates and frame-slot values.
  struct Arg {
    enum Kind : uint8_t { Ctx, Inst, Imm, Slot32, Slot64 } kind;
    int64_t value = 0;
  };
  void call_helper(const void* fn, const Arg* args, size_t n);
  void call_helper(const void* fn, std::initializer_list<Arg> args) {
    call_helper(fn, args.begin(), args.size());
  }
  // After a helper that returns a TrapKind: trap with it unless None.
  void trap_unless_none();
  // After a helper that returns a ValueOrTrap (helpers.hpp): trap with its
  // second word unless None.
  void trap_if_second();
  // After a helper that returns a value: it, in dst.
  void result_to(Reg dst, VT t);

  void trap(TrapKind k);
  // Takes n from the store's fuel; "all fuel consumed" (and an empty tank)
  // if there is less. Inline when the counter holds enough; otherwise, out
  // of line, the reserve behind it (ExecContext::take_fuel), with every
  // allocated register kept.
  void charge_fuel(uint32_t n);
  // A bulk operation's extra fuel: the u32 count in frame slot `slot`,
  // divided by 2^shift (vm/limits.hpp's kBulk*PerFuel). Nothing may be
  // live in registers (it calls out).
  void charge_fuel_bulk(uint32_t slot, uint32_t shift);

  // ---- v128 (masm_simd.cpp). SSE4.1; the i64x2 signed comparisons also
  // SSE4.2 (without it they go to the interpreter's handlers).
  void v128_const(Reg dst, const uint8_t* bytes);
  // Tests: compile as for a CPU without SSE4.2 (the i64x2 signed
  // comparisons then go to the interpreter's handlers).
  static void pretend_no_sse42(bool on);
  // A v128 instruction without memory access or v128.const. src[0..n) are
  // its operands, all owned by the call (they may be clobbered); dst is
  // src[0] when the result is of its register class, else a fresh
  // register; tmp a vector register free for the sequence. False, with
  // nothing emitted, when it has no inline code here.
  bool simd(const Instr& in, Reg dst, const Reg* src, unsigned n, Reg tmp);
  // A v128 shift of dst by the i32 in *count, or by imm when count is null.
  bool simd_shift(Op op, Reg dst, const Reg* count, uint32_t imm, Reg tmp);
  // v128 loads into dst (for a lane load dst holds the vector operand) and
  // stores of value, at memory 0's addr + offset.
  void simd_load(const Instr& in, Reg dst, Reg addr);
  void simd_store(const Instr& in, Reg addr, Reg value);
  // Calls an interpreter handler (vm/tiers.hpp's interp_simd_handler) on the
  // frame: its operands in their slots below sp_slot, its immediates at imm.
  void call_simd_handler(const void* fn, uint32_t sp_slot, const uint8_t* imm);

  // Trap stubs and constants, at the end of the code. Then the code is
  // complete.
  void finish();
  const std::vector<FaultSite>& fault_sites() const { return faults_; }

  // An on-stack-replacement entry into the loop at head, whose body starts
  // at wasm position loop_pc: called like the function's entry while the
  // interpreter's frame for this call is on top, it takes the frame as it
  // is and jumps to head (every value is in its slot there).
  // loads: the locals the loop keeps in registers (slot, register, class),
  // loaded by the entry before it jumps to head.
  struct SlotLoad {
    uint32_t slot;
    Reg reg;
    VT type;
  };
  void osr_entry(asmjit::Label head, const uint8_t* loop_pc, std::vector<SlotLoad> loads);
  struct OsrSite {
    asmjit::Label stub;
    const uint8_t* loop_pc;
  };
  const std::vector<OsrSite>& osr_sites() const { return osr_; }

 private:
  asmjit::Label trap_label(TrapKind k);
  void from_c(const asmjit::Label* inner);
  void record_pc(const uint8_t* pc);
  void call_callee(uint32_t args_slot, bool same_instance);
  void note_fault() { faults_.push_back({uint32_t(a_.offset()), pc_}); }
  asmjit::x86::Mem mem_operand(Reg addr, uint64_t offset);
  asmjit::Label constant(uint64_t lo, uint64_t hi);
  bool simd_compare(Op op, Reg dst, Reg src);
  bool simd_lanes(const Instr& in, Reg dst, const Reg* src);
  bool simd_convert(Op op, Reg dst, Reg src, Reg tmp);
  void v128_not(Reg r);

  asmjit::x86::Assembler a_;
  const uint8_t* pc_ = nullptr;
  asmjit::Label exit_;       // returns eax, the frame left in place
  asmjit::Label early_exit_; // stack exhausted before the frame was pushed
  asmjit::Label internal_;   // the internal entry
  struct Stub {
    asmjit::Label label;
    TrapKind kind;
    const uint8_t* pc;
  };
  std::vector<Stub> stubs_;
  struct FuelStub {
    asmjit::Label label, back;
    uint32_t n;
    const uint8_t* pc;
  };
  std::vector<FuelStub> fuel_stubs_;
  struct Constant {
    asmjit::Label label;
    uint64_t lo, hi;
  };
  std::vector<Constant> constants_;
  struct JumpTable {
    asmjit::Label table;
    std::vector<asmjit::Label> targets;
  };
  std::vector<JumpTable> jump_tables_;
  std::vector<FaultSite> faults_;
  std::vector<OsrSite> osr_;
  std::vector<asmjit::Label> osr_heads_;
  std::vector<std::vector<SlotLoad>> osr_loads_;
};

}  // namespace wisp::jit
