// The baseline compiler's one pass (compiler.hpp).
#include "jit/compiler.hpp"

#include <bit>

#include "jit/helpers.hpp"
#include "runtime/vm/limits.hpp"
#include "runtime/valid/func_validator_impl.hpp"

namespace wisp::jit {

using detail::Ctrl;

namespace {

bool is_compare(Op op) {
  switch (op) {
    case Op::I32Eq: case Op::I32Ne: case Op::I32LtS: case Op::I32LtU: case Op::I32GtS:
    case Op::I32GtU: case Op::I32LeS: case Op::I32LeU: case Op::I32GeS: case Op::I32GeU:
    case Op::I64Eq: case Op::I64Ne: case Op::I64LtS: case Op::I64LtU: case Op::I64GtS:
    case Op::I64GtU: case Op::I64LeS: case Op::I64LeU: case Op::I64GeS: case Op::I64GeU:
    case Op::F32Eq: case Op::F32Ne: case Op::F32Lt: case Op::F32Gt: case Op::F32Le:
    case Op::F32Ge: case Op::F64Eq: case Op::F64Ne: case Op::F64Lt: case Op::F64Gt:
    case Op::F64Le: case Op::F64Ge:
      return true;
    default:
      return false;
  }
}

bool is_truncation(Op op) {
  switch (op) {
    case Op::I32TruncF32S: case Op::I32TruncF32U: case Op::I32TruncF64S: case Op::I32TruncF64U:
    case Op::I64TruncF32S: case Op::I64TruncF32U: case Op::I64TruncF64S: case Op::I64TruncF64U:
    case Op::I32TruncSatF32S: case Op::I32TruncSatF32U: case Op::I32TruncSatF64S:
    case Op::I32TruncSatF64U: case Op::I64TruncSatF32S: case Op::I64TruncSatF32U:
    case Op::I64TruncSatF64S: case Op::I64TruncSatF64U:
      return true;
    default:
      return false;
  }
}

bool fits_i32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

// Bulk operations' fuel: a count divided by these powers of two.
static_assert(std::has_single_bit(kBulkBytesPerFuel) && std::has_single_bit(kBulkElemsPerFuel));
constexpr uint32_t kBytesShift = uint32_t(std::countr_zero(kBulkBytesPerFuel));
constexpr uint32_t kElemsShift = uint32_t(std::countr_zero(kBulkElemsPerFuel));

}  // namespace

Compiler::Compiler(const Module& m, uint32_t func_index, asmjit::CodeHolder& code, bool fuel)
    : m_(m), func_(func_index), masm_(code), fuel_(fuel) {
  ret_ = masm_.new_label();
}

bool Compiler::run() {
  if (!Masm::cpu_supported()) {
    unsupported("CPU without SSE4.1 and POPCNT");
    return false;
  }
  const Function& f = m_.funcs[func_];
  const FuncType& ft = m_.types[f.type];
  const uint32_t nparams = uint32_t(ft.params.size());
  L_ = nparams + f.num_locals;
  masm_.prologue(nparams, f.num_locals, L_ + f.max_height, f.uses_v128);
  // Every function reference is declared: the module validated already.
  std::vector<bool> refs(m_.funcs.size(), true);
  detail::ModuleCtx ctx{m_, refs};
  Walker w(m_, ctx, JitHooks{{}, this}, Walker::ReadOnly{});
  if (!w.run(func_)) {
    unsupported("the body does not validate");
    return false;
  }
  if (why_) return false;
  masm_.finish();
  return true;
}

// ---- registers and the value stack -------------------------------------------------

bool Compiler::try_alloc(VT t, Reg& out) {
  const bool fp = is_fp(t);
  const uint8_t n = fp ? Masm::kNumFp : Masm::kNumGp;
  for (uint8_t i = 0; i < n; ++i) {
    Reg r = fp ? Masm::fp(i) : Masm::gp(i);
    if (!regs_.used(r)) {
      regs_.take(r);
      out = r;
      return true;
    }
  }
  return false;
}

Reg Compiler::alloc(VT t) {
  const bool fp = is_fp(t);
  Reg r;
  if (try_alloc(t, r)) return r;
  // None free: a cached local's register first (its slot is up to date).
  for (size_t i = 0; i < cache_.size(); ++i) {
    if (cache_[i].reg.fp == fp) {
      r = cache_[i].reg;
      cache_.erase(cache_.begin() + ptrdiff_t(i));
      return r;  // stays taken, now for the caller
    }
  }
  // Then the deepest value in a register of this class goes home.
  for (size_t i = 0; i < stack_.size(); ++i) {
    Val& v = stack_[i];
    if (v.loc == Val::InReg && v.reg.fp == fp) {
      Reg r = v.reg;
      masm_.store_slot(home(i), r, v.type);
      v.loc = Val::Slot;
      return r;  // stays taken, now for the caller
    }
  }
  // Unreachable: at most a few registers are held outside the stack.
  unsupported("register pressure");
  return fp ? Masm::fp(0) : Masm::gp(0);
}

void Compiler::spill(size_t i) {
  Val& v = stack_[i];
  if (v.loc == Val::InReg) {
    masm_.store_slot(home(i), v.reg, v.type);
    release(v.reg);
  } else if (v.loc == Val::Const) {
    masm_.store_slot_imm(home(i), v.imm, v.type);
  }
  v.loc = Val::Slot;
}

void Compiler::spill_stack() {
  for (size_t i = 0; i < stack_.size(); ++i) spill(i);
}

void Compiler::spill_all() {
  spill_stack();
  drop_cache();
}

const Compiler::LoopRegs* Compiler::loop_of(uint32_t label) const {
  for (const LoopRegs& l : loops_)
    if (l.label == label) return &l;
  return nullptr;
}

bool Compiler::loop_ready(const LoopRegs& l) {
  for (const LoopReg& d : l.regs) {
    const CachedLocal* c = cached(d.local);
    if (!c || c->reg != d.reg) return false;
  }
  return true;
}

void Compiler::enter_loop(const LoopRegs& l) {
  // Destinations are the loop's registers; a source that is one of them
  // may be overwritten by another move, so that local is loaded from its
  // slot instead (always up to date: the cache writes through). Then no
  // order of the moves matters.
  auto is_dest = [&](Reg r) {
    for (const LoopReg& d : l.regs)
      if (d.reg == r) return true;
    return false;
  };
  for (const LoopReg& d : l.regs) {
    const CachedLocal* c = cached(d.local);
    if (c && c->reg == d.reg) continue;
    if (c && !is_dest(c->reg)) masm_.mov(d.reg, c->reg, d.type);
    else masm_.load_slot(d.reg, d.local, d.type);
  }
}

bool Compiler::keep_in_loop_reg(uint32_t local, const Val& v) {
  if (loops_.empty()) return false;
  for (const LoopReg& d : loops_.back().regs) {
    if (d.local != local) continue;
    if (regs_.used(d.reg)) return false;
    regs_.take(d.reg);
    switch (v.loc) {
      case Val::InReg: masm_.mov(d.reg, v.reg, d.type); break;
      case Val::Const: masm_.mov_imm(d.reg, v.imm, d.type); break;
      case Val::Slot: masm_.load_slot(d.reg, local, d.type); break;  // just stored there
    }
    cache_.push_back({local, d.reg});
    return true;
  }
  return false;
}

void Compiler::drop_cache() {
  for (const CachedLocal& c : cache_) release(c.reg);
  cache_.clear();
}

Compiler::CachedLocal* Compiler::cached(uint32_t local) {
  for (CachedLocal& c : cache_)
    if (c.local == local) return &c;
  return nullptr;
}

void Compiler::forget(uint32_t local) {
  for (size_t i = 0; i < cache_.size(); ++i)
    if (cache_[i].local == local) {
      release(cache_[i].reg);
      cache_.erase(cache_.begin() + ptrdiff_t(i));
      return;
    }
}

Val Compiler::pop() {
  Val v = stack_.back();
  stack_.pop_back();
  return v;
}

// The top value in a register of its own, which the caller may overwrite
// and must release or push.
Reg Compiler::pop_reg() {
  const size_t i = stack_.size() - 1;
  Val v = pop();
  if (v.loc == Val::InReg) return v.reg;
  Reg r = alloc(v.type);
  if (v.loc == Val::Const) masm_.mov_imm(r, v.imm, v.type);
  else masm_.load_slot(r, home(i), v.type);
  return r;
}

void Compiler::push_slots(const ValType* types, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) {
    VT t{};
    vt_of(types[i], t);
    stack_.push_back(Val{Val::Slot, t, Reg{}, 0});
  }
}

void Compiler::reset_stack(size_t height) {
  for (size_t i = height; i < stack_.size(); ++i)
    if (stack_[i].loc == Val::InReg) release(stack_[i].reg);
  if (stack_.size() > height) stack_.resize(height);
}

void Compiler::move_top(uint32_t n, uint32_t height) {
  // Sources sit at or above their destinations: in order, nothing is
  // overwritten before it is read.
  const size_t src = stack_.size() - n;
  for (uint32_t i = 0; i < n; ++i) store_value(home(height + i), src + i);
}

void Compiler::store_value(uint32_t dst, size_t i) {
  const Val& v = stack_[i];
  switch (v.loc) {
    case Val::InReg: masm_.store_slot(dst, v.reg, v.type); break;
    case Val::Const: masm_.store_slot_imm(dst, v.imm, v.type); break;
    case Val::Slot:
      if (home(i) != dst) masm_.copy_slot(dst, home(i), v.type);
      break;
  }
}

// ---- control ------------------------------------------------------------------------

void Compiler::branch_to(Walker& w, uint32_t depth) {
  Ctrl& t = w.ctrl(depth);
  const bool outermost = depth == w.ctrl_depth() - 1;
  move_top(arity(t), t.height);
  if (t.kind == Op::Loop)
    if (const LoopRegs* l = loop_of(t.label)) enter_loop(*l);
  masm_.jump(outermost ? ret_ : label(t.label));
}

void Compiler::do_return(uint32_t nresults) {
  // Results go to fp[0..n): the caller's operand slots where it pushed the
  // arguments. Sources are above them (home(i) >= i).
  const size_t src = stack_.size() - nresults;
  for (uint32_t i = 0; i < nresults; ++i) store_value(i, src + i);
  masm_.epilogue();
}

void Compiler::close(Walker& w, const Instr& in, Ctrl& c) {
  if (why_ || c.dead) return;
  drop_cache();  // a label follows, joining other paths
  const bool outermost = w.ctrl_depth() == 1;
  if (!c.unreachable) {  // else or end, reached by falling through
    ++run_;
    charge_fuel();
  }
  if (in.op == Op::Else) {
    if (!c.unreachable) {
      move_top(c.nresults, c.height);
      masm_.jump(label(c.label));
    }
    masm_.bind(label(c.label2));
    c.label2 = 0;
    reset_stack(c.height);
    push_slots(c.params, c.nparams);
    return;
  }
  // end
  if (!c.unreachable) move_top(c.nresults, c.height);
  if (c.kind == Op::If && c.label2) masm_.bind(label(c.label2));  // no else: params are results
  if (outermost) {
    masm_.bind(ret_);
    reset_stack(0);
    push_slots(c.results, c.nresults);
    do_return(c.nresults);
    return;
  }
  if (c.kind != Op::Loop) masm_.bind(label(c.label));
  if (c.kind == Op::Loop && !loops_.empty() && loops_.back().label == c.label) loops_.pop_back();
  reset_stack(c.height);
  push_slots(c.results, c.nresults);
}

void Compiler::branch_on_condition(bool when, asmjit::Label target) {
  if (pending_.on) {
    pending_.on = false;
    stack_.pop_back();  // the placeholder of the comparison's result
    spill_stack();  // moves only: the flags are set after it
    masm_.branch_compare(pending_.op, pending_.a, pending_.b, pending_.has_imm, pending_.imm, when,
                         target);
    release(pending_.a);
    if (!pending_.has_imm && pending_.op != Op::I32Eqz && pending_.op != Op::I64Eqz)
      release(pending_.b);
    return;
  }
  Reg cond = pop_reg();
  spill_stack();
  masm_.branch_if(cond, when, target);
  release(cond);
}

// An integer comparison (or eqz) followed by br_if or if: its operands are
// held, and the branch compares them itself (no setcc, no test).
bool Compiler::fuse_compare(const Instr& in, const uint8_t* end) {
  if (end >= m_.bytes + m_.size || (*end != 0x0D && *end != 0x04)) return false;  // br_if, if
  const bool eqz = in.op == Op::I32Eqz || in.op == Op::I64Eqz;
  if (!eqz && !(is_compare(in.op) && !is_fp(stack_.back().type))) return false;
  PendingCompare p;
  p.on = true;
  p.op = in.op;
  if (!eqz && stack_.back().loc == Val::Const && fits_i32(stack_.back().imm)) {
    p.has_imm = true;
    p.imm = int32_t(pop().imm);
  } else if (!eqz) {
    p.b = pop_reg();
  }
  p.a = pop_reg();
  // The walker has pushed the i32 result; the branch takes its place.
  stack_.push_back(Val{Val::Slot, VT::I32, Reg{}, 0});
  pending_ = p;
  return true;
}

void Compiler::op(Walker& w, const Instr& in, bool live, const uint8_t* end) {
  (void)end;
  if (why_) return;
  if (!live) {
    // Dead code: a block opened here is dead to its end.
    if (in.op == Op::Block || in.op == Op::Loop || in.op == Op::If) w.ctrl(0).dead = true;
    return;
  }
  ++run_;
  switch (in.op) {
    case Op::Block: case Op::Loop: case Op::If: case Op::Br: case Op::BrIf: case Op::BrTable:
    case Op::Return: case Op::Call: case Op::CallIndirect: case Op::Unreachable:
      charge_fuel();
      break;
    default:
      break;
  }
  switch (in.op) {
    case Op::Nop:
      return;
    case Op::Unreachable:
      masm_.trap(TrapKind::Unreachable);
      return;
    case Op::Block: {
      spill_stack();
      w.ctrl(0).label = masm_.new_label().id();
      return;
    }
    case Op::Loop: {
      spill_stack();
      asmjit::Label head = masm_.new_label();
      w.ctrl(0).label = head.id();
      LoopRegs l{head.id(), {}};
      std::vector<Masm::SlotLoad> loads;
      for (const CachedLocal& c : cache_) {
        VT t{};
        vt_of(w.locals()[c.local], t);
        l.regs.push_back({c.local, c.reg, t});
        loads.push_back({c.local, c.reg, t});
      }
      loops_.push_back(std::move(l));
      masm_.bind(head);
      // The body starts where the loop instruction ends.
      masm_.osr_entry(head, end, std::move(loads));
      return;
    }
    case Op::If: {
      Ctrl& c = w.ctrl(0);
      c.label = masm_.new_label().id();
      c.label2 = masm_.new_label().id();
      branch_on_condition(false, label(c.label2));
      return;
    }
    case Op::Br:
      branch_to(w, in.idx);
      return;
    case Op::BrIf: {
      Ctrl& t = w.ctrl(in.idx);
      const uint32_t n = arity(t);
      const bool outermost = in.idx == w.ctrl_depth() - 1;
      const LoopRegs* l = t.kind == Op::Loop ? loop_of(t.label) : nullptr;
      if (l && !pending_.on && stack_.back().loc != Val::InReg) {
        // The condition into a register first: taking one may evict a
        // cached local, which decides whether the loop's registers are ready.
        Reg cond = pop_reg();
        push_reg(VT::I32, cond);
      }
      if ((n == 0 || stack_.size() - 1 - n == t.height) && (!l || loop_ready(*l))) {
        // the values are in place already
        branch_on_condition(true, outermost ? ret_ : label(t.label));
      } else {
        asmjit::Label skip = masm_.new_label();
        branch_on_condition(false, skip);
        branch_to(w, in.idx);
        masm_.bind(skip);
      }
      return;
    }
    case Op::BrTable: {
      Reg index = pop_reg();
      spill_stack();
      // One landing per distinct target depth (each moves the branch's
      // values and jumps); a jump table from 4 cases, compares below.
      Reader r(m_.bytes, in.vec, end);
      std::vector<asmjit::Label> cases;
      std::vector<std::pair<uint32_t, asmjit::Label>> landings;  // depth -> its code
      auto landing = [&](uint32_t depth) {
        for (const auto& l : landings)
          if (l.first == depth) return l.second;
        landings.emplace_back(depth, masm_.new_label());
        return landings.back().second;
      };
      for (uint32_t i = 0; i < in.count; ++i) {
        uint32_t depth = 0;
        r.u32(depth);
        cases.push_back(landing(depth));
      }
      const asmjit::Label other = landing(in.idx);
      if (in.count >= 4) {
        masm_.jump_table(index, cases, other);
      } else {
        for (uint32_t i = 0; i < in.count; ++i) masm_.branch_if_equal(index, int32_t(i), cases[i]);
        masm_.jump(other);
      }
      release(index);
      for (const auto& [depth, label] : landings) {
        masm_.bind(label);
        branch_to(w, depth);
      }
      return;
    }
    case Op::Return:
      do_return(w.ctrl(w.ctrl_depth() - 1).nresults);
      return;
    case Op::Call:
    case Op::CallIndirect: {
      const FuncType& ft = in.op == Op::Call ? m_.func_type(in.idx) : m_.types[in.idx];
      const uint32_t n = uint32_t(ft.params.size());
      spill_all();
      if (in.op == Op::Call) {
        masm_.call_func(in.idx, home(stack_.size() - n), in.idx >= m_.num_imported_funcs);
      } else {
        const uint32_t index_slot = home(stack_.size() - 1);
        stack_.pop_back();
        masm_.call_indirect(in.idx, in.idx2, home(stack_.size() - n), index_slot);
      }
      stack_.resize(stack_.size() - n);
      push_slots(ft.results.data(), uint32_t(ft.results.size()));
      return;
    }
    case Op::Drop: {
      Val v = pop();
      if (v.loc == Val::InReg) release(v.reg);
      return;
    }
    case Op::Select:
    case Op::SelectT: {
      Reg cond = pop_reg();
      Reg b = pop_reg();
      VT t = stack_.back().type;
      Reg a = pop_reg();
      masm_.select(t, a, b, cond);
      release(b);
      release(cond);
      push_reg(t, a);
      return;
    }
    case Op::LocalGet: {
      VT t{};
      vt_of(w.locals()[in.idx], t);
      Reg r = alloc(t);  // may take the cache's register for this very local
      if (const CachedLocal* c = cached(in.idx)) {
        masm_.mov(r, c->reg, t);
      } else {
        masm_.load_slot(r, in.idx, t);
      }
      push_reg(t, r);
      return;
    }
    case Op::LocalSet:
    case Op::LocalTee: {
      const Val v = stack_.back();
      forget(in.idx);
      store_value(in.idx, stack_.size() - 1);
      if (keep_in_loop_reg(in.idx, v)) {
        if (in.op == Op::LocalSet) {
          stack_.pop_back();
          if (v.loc == Val::InReg) release(v.reg);
        }
        return;
      }
      if (in.op == Op::LocalSet) {
        stack_.pop_back();
        // The value's register now holds the local's value: the cache owns
        // it. A constant goes into a free register too (a loop counter's
        // start, which a loop entered next then keeps in it).
        if (v.loc == Val::InReg) {
          cache_.push_back({in.idx, v.reg});
        } else if (Reg r; v.loc == Val::Const && try_alloc(v.type, r)) {
          masm_.mov_imm(r, v.imm, v.type);
          cache_.push_back({in.idx, r});
        }
      } else if (v.loc == Val::InReg) {
        Reg keep;
        if (try_alloc(v.type, keep)) {
          masm_.mov(keep, v.reg, v.type);
          cache_.push_back({in.idx, keep});
        }
      }
      return;
    }
    case Op::GlobalGet: {
      VT t{};
      vt_of(m_.globals[in.idx].type.type, t);
      Reg r = alloc(t);
      masm_.global_get(r, in.idx, t);
      push_reg(t, r);
      return;
    }
    case Op::GlobalSet: {
      VT t = stack_.back().type;
      Reg r = pop_reg();
      masm_.global_set(in.idx, r, t);
      release(r);
      return;
    }
    case Op::I32Const: push_const(VT::I32, in.i32); return;
    case Op::I64Const: push_const(VT::I64, in.i64); return;
    case Op::F32Const: push_const(VT::F32, int64_t(in.f32)); return;
    case Op::F64Const: push_const(VT::F64, int64_t(in.f64)); return;
    case Op::RefNull: push_const(VT::I64, 0); return;
    case Op::RefIsNull: {
      Reg r = pop_reg();
      masm_.unop(Op::I64Eqz, r, r);
      push_reg(VT::I32, r);
      return;
    }
    default:
      break;
  }
  if (simd(in) || memory(in) || tables(in) || fuse_compare(in, end)) return;
  if (!numeric(in)) unsupported(op_info(in.op).text);
}

void Compiler::call_out(const void* fn, std::initializer_list<int64_t> imms, uint32_t nops,
                        bool checks_trap, bool has_result, VT result, uint32_t bulk_shift) {
  spill_all();
  // A bulk operation costs fuel by its size too (the count is on top).
  if (fuel_ && bulk_shift) masm_.charge_fuel_bulk(home(stack_.size() - 1), bulk_shift);
  Masm::Arg args[6];
  size_t n = 0;
  args[n++] = {Masm::Arg::Inst, 0};
  for (int64_t v : imms) args[n++] = {Masm::Arg::Imm, v};
  const size_t base = stack_.size() - nops;
  for (uint32_t i = 0; i < nops; ++i) {
    bool wide = stack_[base + i].type == VT::I64 || stack_[base + i].type == VT::F64;
    args[n++] = {wide ? Masm::Arg::Slot64 : Masm::Arg::Slot32, int64_t(home(base + i))};
  }
  masm_.call_helper(fn, args, n);
  if (checks_trap) masm_.trap_if_second();
  stack_.resize(base);
  if (has_result) {
    Reg r = alloc(result);
    masm_.result_to(r, result);
    push_reg(result, r);
  }
}

bool Compiler::tables(const Instr& in) {
  auto fn = [](auto f) { return reinterpret_cast<const void*>(f); };
  switch (in.op) {
    case Op::RefFunc: {
      Reg r = alloc(VT::I64);
      masm_.func_ref(r, in.idx);
      push_reg(VT::I64, r);
      return true;
    }
    case Op::TableGet: call_out(fn(&jit_table_get), {in.idx}, 1, true, true, VT::I64); return true;
    case Op::TableSet: call_out(fn(&jit_table_set), {in.idx}, 2, true, false); return true;
    case Op::TableSize: call_out(fn(&jit_table_size), {in.idx}, 0, false, true); return true;
    // Bulk operations cost fuel by size too: elements / 8, bytes / 64.
    case Op::TableGrow: call_out(fn(&jit_table_grow), {in.idx}, 2, false, true, VT::I32, kElemsShift); return true;
    case Op::TableFill: call_out(fn(&jit_table_fill), {in.idx}, 3, true, false, VT::I32, kElemsShift); return true;
    // table.copy's immediates: destination, source; table.init's: segment, table.
    case Op::TableCopy: call_out(fn(&jit_table_copy), {in.idx, in.idx2}, 3, true, false, VT::I32, kElemsShift); return true;
    case Op::TableInit: call_out(fn(&jit_table_init), {in.idx, in.idx2}, 3, true, false, VT::I32, kElemsShift); return true;
    case Op::ElemDrop: call_out(fn(&jit_elem_drop), {in.idx}, 0, false, false); return true;
    case Op::MemoryInit: call_out(fn(&jit_memory_init), {in.idx}, 3, true, false, VT::I32, kBytesShift); return true;
    case Op::DataDrop: call_out(fn(&jit_data_drop), {in.idx}, 0, false, false); return true;
    default: return false;
  }
}

// ---- memory -------------------------------------------------------------------------

bool Compiler::memory(const Instr& in) {
  const OpInfo& info = op_info(in.op);
  if (info.imm == Imm::MemArg) {
    const detail::PlainSig& sig = detail::kPlainSigs[unsigned(in.op)];
    if (sig.has_result) {  // a load
      VT t{};
      vt_of(sig.result, t);
      Reg addr = pop_reg();
      release(addr);
      Reg dst = alloc(t);  // may be addr's register: read before written
      if (!masm_.load(in.op, dst, addr, in.mem.offset)) {
        unsupported(info.text);
        release(dst);
        return true;
      }
      push_reg(t, dst);
    } else {
      Reg value = pop_reg();
      Reg addr = pop_reg();
      if (!masm_.store(in.op, addr, in.mem.offset, value)) unsupported(info.text);
      release(value);
      release(addr);
    }
    return true;
  }
  switch (in.op) {
    case Op::MemorySize: {
      spill_all();
      masm_.call_helper(reinterpret_cast<const void*>(&jit_memory_size), {{Masm::Arg::Inst}});
      Reg r = alloc(VT::I32);
      masm_.result_to(r, VT::I32);
      push_reg(VT::I32, r);
      return true;
    }
    case Op::MemoryGrow: {
      spill_all();
      masm_.call_helper(reinterpret_cast<const void*>(&jit_memory_grow),
                        {{Masm::Arg::Inst}, {Masm::Arg::Slot32, home(stack_.size() - 1)}});
      stack_.pop_back();
      Reg r = alloc(VT::I32);
      masm_.result_to(r, VT::I32);
      push_reg(VT::I32, r);
      return true;
    }
    case Op::MemoryFill:
    case Op::MemoryCopy: {
      spill_all();
      const uint32_t base = home(stack_.size() - 3);
      if (fuel_) masm_.charge_fuel_bulk(base + 2, kBytesShift);
      const void* fn = in.op == Op::MemoryFill ? reinterpret_cast<const void*>(&jit_memory_fill)
                                               : reinterpret_cast<const void*>(&jit_memory_copy);
      masm_.call_helper(fn, {{Masm::Arg::Inst},
                             {Masm::Arg::Slot32, base},
                             {Masm::Arg::Slot32, base + 1},
                             {Masm::Arg::Slot32, base + 2}});
      masm_.trap_if_second();
      stack_.resize(stack_.size() - 3);
      return true;
    }
    default:
      return false;
  }
}

// ---- numeric ------------------------------------------------------------------------

bool Compiler::numeric(const Instr& in) {
  const OpInfo& info = op_info(in.op);
  if (info.params[0] == OT::SP || info.imm != Imm::None) return false;
  const detail::PlainSig& sig = detail::kPlainSigs[unsigned(in.op)];
  VT rt{};
  if (!sig.has_result || !vt_of(sig.result, rt)) return false;
  if (is_truncation(in.op)) {
    spill_all();
    masm_.call_helper(reinterpret_cast<const void*>(&jit_truncate),
                      {{Masm::Arg::Imm, int64_t(in.op)}, {Masm::Arg::Slot64, home(stack_.size() - 1)}});
    masm_.trap_if_second();
    stack_.pop_back();
    Reg r = alloc(rt);
    masm_.result_to(r, rt);
    push_reg(rt, r);
    return true;
  }
  if (sig.nparams == 1) {
    VT st = stack_.back().type;
    Reg src = pop_reg();
    Reg dst = src;
    if (is_fp(st) != is_fp(rt)) {
      release(src);
      dst = alloc(rt);  // another class: cannot clobber src
    }
    if (!masm_.unop(in.op, dst, src)) {
      release(dst);
      return false;
    }
    push_reg(rt, dst);
    return true;
  }
  if (sig.nparams != 2) return false;
  const Val& top = stack_.back();
  const bool imm = top.loc == Val::Const && !is_fp(top.type) && fits_i32(top.imm);
  if (is_compare(in.op)) {
    if (imm) {
      int32_t v = int32_t(pop().imm);
      Reg a = pop_reg();
      release(a);
      Reg dst = alloc(VT::I32);
      if (!masm_.compare_imm(in.op, dst, a, v)) return false;
      push_reg(VT::I32, dst);
      return true;
    }
    Reg b = pop_reg();
    Reg a = pop_reg();
    release(a);
    release(b);
    Reg dst = alloc(VT::I32);  // written after a and b are read
    if (!masm_.compare(in.op, dst, a, b)) return false;
    push_reg(VT::I32, dst);
    return true;
  }
  if (imm) {
    Val b = pop();
    Reg a = pop_reg();
    if (masm_.binop_imm(in.op, a, int32_t(b.imm))) {
      push_reg(rt, a);
      return true;
    }
    Reg rb = alloc(b.type);
    masm_.mov_imm(rb, b.imm, b.type);
    bool ok = masm_.binop(in.op, a, rb);
    release(rb);
    if (!ok) return false;
    push_reg(rt, a);
    return true;
  }
  Reg b = pop_reg();
  Reg a = pop_reg();
  bool ok = masm_.binop(in.op, a, b);
  release(b);
  if (!ok) return false;
  push_reg(rt, a);
  return true;
}

}  // namespace wisp::jit
