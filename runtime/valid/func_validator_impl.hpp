// The body walker's definitions (func_validator.hpp), for the files that
// instantiate it with a hook set: func_validator.cpp for validation, the
// side table and syntax-only walks; jit/ for the baseline compiler.
#pragma once
#include <algorithm>
#include <cstring>

#include "runtime/valid/func_validator.hpp"

namespace wisp::detail {

template <class Hooks>
bool BodyWalker<Hooks>::block_sig(int64_t bt, Ctrl& c) {
  c.params = c.results = nullptr;
  c.nparams = c.nresults = 0;
  if (bt == -64) return true;
  if (bt < 0) {
    c.results = single(ValType::from_code(bt & 0x7F));
    c.nresults = 1;
    return true;
  }
  if (uint64_t(bt) >= m_.types.size()) return fail("unknown type " + std::to_string(bt));
  const FuncType& ft = m_.types[size_t(bt)];
  c.params = ft.params.data();
  c.nparams = uint32_t(ft.params.size());
  c.results = ft.results.data();
  c.nresults = uint32_t(ft.results.size());
  return true;
}

template <class Hooks>
void BodyWalker<Hooks>::push_ctrl(Op kind, Ctrl c) {
  c.kind = kind;
  c.height = uint32_t(vals_.size());
  c.unreachable = false;
  c.fixups = -1;
  c.if_entry = -1;
  ctrls_.push_back(c);
  push_vals(c.params, c.nparams);
}

template <class Hooks>
bool BodyWalker<Hooks>::branch(uint32_t depth) {
  Ctrl& t = ctrls_[ctrls_.size() - 1 - depth];
  const ValType* ts = t.kind == Op::Loop ? t.params : t.results;
  uint32_t n = t.kind == Op::Loop ? t.nparams : t.nresults;
  // Pop and re-push so a polymorphic stack keeps its known types.
  if (!pop_vals(ts, n)) return false;
  push_vals(ts, n);
  return true;
}

// Checks the top n values against ts and puts back what was popped, so
// each br_table target sees the same (possibly polymorphic) stack.
template <class Hooks>
bool BodyWalker<Hooks>::check_and_keep(const ValType* ts, uint32_t n) {
  tmp_.clear();
  for (uint32_t i = n; i-- > 0;) {
    ValType a{};
    if (!pop(a)) return false;
    if (!is_subtype(a, ts[i], m_)) return mismatch(ts[i], nullptr, a);
    tmp_.push_back(a);
  }
  for (uint32_t i = n; i-- > 0;) push(tmp_[i]);
  return true;
}

template <class Hooks>
bool BodyWalker<Hooks>::mem_access(const Instr& in) {
  if (!check_memory(in.mem.mem)) return false;
  const OpInfo& info = op_info(in.op);
  if ((1u << in.mem.align) > info.size)
    return fail("alignment must not be larger than natural");
  if (info.imm == Imm::MemArgLane && in.lane >= 16 / info.size) return fail("invalid lane index");
  return true;
}

template <class Hooks>
bool BodyWalker<Hooks>::nest(const Instr& in) {
  switch (in.op) {
    case Op::Block: case Op::Loop: case Op::If:
      push_ctrl(in.op, Ctrl{});
      return true;
    case Op::Else:
      if (!else_allowed()) return false;
      ctrls_.back().kind = Op::Else;
      return true;
    case Op::End:
      ctrls_.pop_back();
      return true;
    default:
      return true;
  }
}

template <class Hooks>
bool BodyWalker<Hooks>::syntax(const Instr& in, bool in_body) {
  if constexpr (!kRules) {
    InstrSink* sink = hooks_.sink;
    if (sink && !sink->instr(sink->ctx, in, uint32_t(ctrls_.size() - 1))) return false;
  }
  if (in_body && (in.op == Op::MemoryInit || in.op == Op::DataDrop) && !data_count_present())
    return false;
  return nest(in);
}

template <class Hooks>
void BodyWalker<Hooks>::read_on(const uint8_t* from) {
  const uint8_t* input_end = m_.bytes + m_.size;
  if (from >= input_end || ctrls_.empty()) return;
  Reader r(m_.bytes, from, input_end);
  Error found = err_;  // stands if the input ends first
  failed_ = false;
  Instr in;
  while (!r.at_end()) {
    cur_pc_ = r.pos();
    if (!read_instr(r, in)) {
      if (!r.at_end()) found = r.error();
      break;
    }
    if (!nest(in)) {
      found = err_;
      break;
    }
    if (ctrls_.empty()) {
      found = make_error(ErrorKind::Malformed, "section size mismatch", size_t(r.pos() - m_.bytes));
      break;
    }
  }
  err_ = found;
  err_.kind = ErrorKind::Malformed;
  failed_ = true;
}

template <class Hooks>
bool BodyWalker<Hooks>::run(uint32_t func_index) {
  const Function& f = m_.funcs[func_index];
  // Syntax only also walks modules that failed to decode or validate: the
  // type index may be out of range there.
  const FuncType* ft = f.type < m_.types.size() ? &m_.types[f.type] : nullptr;
  const uint8_t* body_end = m_.bytes + f.body_offset + f.body_size;
  Reader r(m_.bytes, m_.bytes + f.body_offset, body_end);
  r.set_limit(m_.bytes + m_.size);
  r.set_end_message(body_end == m_.bytes + m_.size ? "unexpected end of section or function"
                                                   : "END opcode expected");
  cur_pc_ = r.pos();
  failed_ = false;

  // Locals.
  uint32_t nparams = ft ? uint32_t(ft->params.size()) : 0;
  if constexpr (kRules) locals_.assign(ft->params.begin(), ft->params.end());
  uint32_t runs{};
  if (!r.u32(runs)) return err_ = r.error(), false;
  uint64_t total = nparams;
  for (uint32_t i = 0; i < runs; ++i) {
    uint32_t count{};
    ValType t{};
    if (!r.u32(count)) return err_ = r.error(), false;
    total += count;
    if (total > kMaxLocals) {
      cur_pc_ = r.pos();
      return fail("too many locals", ErrorKind::Malformed);
    }
    if (!r.val_type(t)) return err_ = r.error(), false;
    if constexpr (kRules) {
      locals_.insert(locals_.end(), count, t);
    } else if (hooks_.sink && hooks_.sink->local) {
      hooks_.sink->local(hooks_.sink->ctx, count, t);
    }
  }
  code_begin_ = r.pos();
  if constexpr (kRules) {
    if (out_) {
      Function& out = out_->funcs[func_index];
      out.num_locals = uint32_t(locals_.size() - nparams);
      out.code_offset = uint32_t(r.pos() - m_.bytes);
      hooks_.begin(out);
    }
  }
  vals_.clear();
  ctrls_.clear();
  max_height_ = 0;
  uses_v128_ = false;

  Ctrl fn{};
  if (ft) {
    fn.results = ft->results.data();
    fn.nresults = uint32_t(ft->results.size());
  }
  push_ctrl(Op::Block, fn);

  Instr in;
  while (!ctrls_.empty()) {
    cur_pc_ = r.pos();
    bool ok;
    // read_opcode is inline in its header, but clang kept it out of line
    // here (8% of validating ruby.wasm, with in.op then reloaded from
    // memory).
#if defined(__clang__)
    [[clang::always_inline]] ok = read_opcode(r, in);
#else
    ok = read_opcode(r, in);
#endif
    if (ok) {
      switch (op_info(in.op).imm) {
        case Imm::None:  // most instructions: no call
          break;
        // The frequent immediates that are one u32 or s32 LEB, read through
        // the Reader's inline one-byte path exactly as read_immediates reads
        // them; every other kind out of line there.
        case Imm::Label:
        case Imm::Local:
        case Imm::Global:
        case Imm::Func:
          ok = r.u32(in.idx);
          break;
        case Imm::I32:
          ok = r.sleb<32>(in.i32);
          break;
        default:
          ok = read_immediates(r, in);
      }
    }
    if (!ok) {
      err_ = r.error();
      // Cut off by the body's declared end: the reference decoder reads on.
      if (r.pos() == body_end) read_on(body_end);
      return false;
    }
    if constexpr (kRules && Hooks::kEvents) {
      const Ctrl& top = ctrls_.back();
      const bool live = !top.unreachable && !top.dead;
      if (in.op == Op::End || in.op == Op::Else) hooks_.close(*this, in, ctrls_.back());
      if (!instr(r, in)) return false;
      if (in.op != Op::End && in.op != Op::Else) hooks_.op(*this, in, live, r.pos());
    } else if constexpr (kRules) {
      if (!instr(r, in)) return false;
    } else {
      if (!syntax(in, true)) return false;
    }
  }
  if (r.pos() != body_end) {
    cur_pc_ = r.pos();
    return fail("section size mismatch", ErrorKind::Malformed);
  }
  if constexpr (kRules) {
    if (!out_) return true;
    Function& out = out_->funcs[func_index];
    out.max_height = max_height_;
    for (ValType t : locals_) uses_v128_ |= t == ValType::V128;
    for (ValType t : ft->results) uses_v128_ |= t == ValType::V128;
    out.uses_v128 = uses_v128_;
  }
  return true;
}

template <class Hooks>
bool BodyWalker<Hooks>::expr_syntax(Reader& r) {
  vals_.clear();
  ctrls_.clear();
  failed_ = false;
  push_ctrl(Op::Block, Ctrl{});
  Instr in;
  while (!ctrls_.empty()) {
    cur_pc_ = r.pos();
    if (!read_instr(r, in)) {
      err_ = r.error();
      // Cut off by the section's end: the reference decoder reads on.
      if (r.pos() == r.end()) read_on(r.pos());
      r.error() = err_;
      return false;
    }
    if (!syntax(in, false)) {
      if (failed_) r.error() = err_;
      return false;
    }
  }
  return true;
}

template <class Hooks>
bool BodyWalker<Hooks>::run_const(ConstExpr& e, ValType want, uint32_t visible_globals) {
  Reader r(m_.bytes, m_.bytes + e.offset, m_.bytes + e.offset + e.size);
  vals_.clear();
  ctrls_.clear();
  Ctrl expr{};
  expr.results = &want;
  expr.nresults = 1;
  push_ctrl(Op::Block, expr);
  Instr in;
  while (!ctrls_.empty()) {
    cur_pc_ = r.pos();
    if (!read_instr(r, in)) return err_ = r.error(), false;
    // What it evaluates to (the type rules make it the only value).
    auto value = [&e](const void* p, size_t n) {
      e.kind = ConstKind::Value;
      std::memset(e.value, 0, sizeof e.value);
      if (n) std::memcpy(e.value, p, n);
    };
    switch (in.op) {
      case Op::I32Const: value(&in.i32, 4); break;
      case Op::I64Const: value(&in.i64, 8); break;
      case Op::F32Const: value(&in.f32, 4); break;
      case Op::F64Const: value(&in.f64, 8); break;
      case Op::V128Const: value(in.vec, 16); break;
      case Op::RefNull: value(nullptr, 0); break;  // null: all zero
      case Op::End: break;  // as in a body
      case Op::RefFunc:  // declares the reference (C.refs), so needs no declaration
        if (in.idx >= m_.funcs.size()) return fail("unknown function " + std::to_string(in.idx));
        if (ctx_) ctx_->declared_refs[in.idx] = true;
        e.kind = ConstKind::Func;
        e.index = in.idx;
        push(ValType::FuncRef);
        continue;
      case Op::GlobalGet:
        if (in.idx >= visible_globals) return fail("unknown global " + std::to_string(in.idx));
        if (m_.globals[in.idx].type.mut) return fail("constant expression required");
        e.kind = ConstKind::Global;
        e.index = in.idx;
        push(m_.globals[in.idx].type.type);
        continue;
      default:
        return fail("constant expression required");
    }
    if (!instr(r, in)) return false;
  }
  return true;
}

// Type-checks one instruction and emits its side-table entries.
template <class Hooks>
bool BodyWalker<Hooks>::instr(Reader& r, Instr& in) {
  const OpInfo& info = op_info(in.op);
  if (info.params[0] != OT::SP) {
    // Plain numeric/vector instruction: the table gives the signature.
    if (info.imm == Imm::MemArg || info.imm == Imm::MemArgLane) {
      if (!mem_access(in)) return false;
    } else if (info.imm == Imm::Lane) {
      if (in.lane >= info.size) return fail("invalid lane index");
    } else if (info.imm == Imm::Shuffle) {
      for (int i = 0; i < 16; ++i)
        if (in.vec[i] >= 32) return fail("invalid lane index");
    }
    const PlainSig& sig = kPlainSigs[unsigned(in.op)];
    // Fast path: the operands are there and typed as expected.
    size_t n = vals_.size();
    if (n >= ctrls_.back().height + size_t(sig.nparams)) {
      bool ok = true;
      for (unsigned i = 0; i < sig.nparams; ++i) {
        ValType a = vals_[n - sig.nparams + i];
        ok &= int(a == sig.params[i]) | int(a == ValType::Unknown);  // no branch
      }
      if (ok) {
        vals_.truncate(n - sig.nparams);
        if (sig.has_result) push(sig.result);
        return true;
      }
    }
    for (int i = int(sig.nparams) - 1; i >= 0; --i)
      if (!pop_expect(sig.params[i])) return false;
    if (sig.has_result) push(sig.result);
    return true;
  }

  switch (in.op) {
    case Op::Unreachable:
      set_unreachable();
      return true;
    case Op::Nop:
      return true;
    case Op::Block:
    case Op::Loop: {
      Ctrl c{};
      if (!block_sig(in.block_type, c)) return false;
      if (!pop_vals(c.params, c.nparams)) return false;
      c.loop_pc = code_off(r.pos());
      c.loop_stp = hooks_.index();
      push_ctrl(in.op, c);
      return true;
    }
    case Op::If: {
      Ctrl c{};
      if (!block_sig(in.block_type, c)) return false;
      if (!pop_expect(ValType::I32) || !pop_vals(c.params, c.nparams)) return false;
      push_ctrl(Op::If, c);
      ctrls_.back().if_entry = hooks_.open_if(code_off(cur_pc_));
      return true;
    }
    case Op::Else: {
      Ctrl& c = ctrls_.back();
      // Only an if's then-arm may end in `else`; elsewhere the reference
      // decoder wants the block's `end` there.
      if (c.kind != Op::If) return fail("END opcode expected", ErrorKind::Malformed);
      if (!pop_vals(c.results, c.nresults)) return false;
      if (vals_.size() != c.height) return extra_values(c);
      // The then-arm's exit jumps to the end, like a branch to this block.
      int32_t fix = c.fixups;
      emit_branch(c, fix, uint32_t(vals_.size()));
      c.fixups = fix;
      hooks_.patch_one(c.if_entry, code_off(r.pos()), hooks_.index());
      c.if_entry = -1;
      c.kind = Op::Else;
      c.unreachable = false;
      push_vals(c.params, c.nparams);
      return true;
    }
    case Op::End: {
      Ctrl& c = ctrls_.back();
      if (!pop_vals(c.results, c.nresults)) return false;
      if (vals_.size() != c.height) return extra_values(c);
      if (c.kind == Op::If) {
        // No else: the implicit else passes the params through unchanged.
        if (c.nparams != c.nresults || !std::equal(c.params, c.params + c.nparams, c.results))
          return mismatch();
        hooks_.patch_one(c.if_entry, code_off(r.pos()), hooks_.index());
      }
      // Branches to the function's own label land on its final `end`,
      // which the interpreter executes as a return.
      uint32_t target = ctrls_.size() == 1 ? code_off(cur_pc_) : code_off(r.pos());
      if (c.kind != Op::Loop) hooks_.patch(c.fixups, target);
      const ValType* res = c.results;
      uint32_t nres = c.nresults;
      ctrls_.pop_back();
      push_vals(res, nres);
      return true;
    }
    case Op::Br: {
      if (!check_label(in.idx)) return false;
      Ctrl& t = ctrls_[ctrls_.size() - 1 - in.idx];
      emit_branch(t, t.fixups, uint32_t(vals_.size()));
      if (!branch(in.idx)) return false;
      set_unreachable();
      return true;
    }
    case Op::BrIf: {
      if (!check_label(in.idx)) return false;
      if (!pop_expect(ValType::I32)) return false;
      Ctrl& t = ctrls_[ctrls_.size() - 1 - in.idx];
      emit_branch(t, t.fixups, uint32_t(vals_.size()));
      return branch(in.idx);
    }
    case Op::BrTable: {
      if (!pop_expect(ValType::I32)) return false;
      if (!check_label(in.idx)) return false;
      uint32_t height = uint32_t(vals_.size());
      const Ctrl& dflt = ctrls_[ctrls_.size() - 1 - in.idx];
      uint32_t arity = dflt.kind == Op::Loop ? dflt.nparams : dflt.nresults;
      Reader tr(m_.bytes, in.vec, r.pos());
      for (uint32_t i = 0; i <= in.count; ++i) {
        uint32_t depth{};
        if (i < in.count) {
          if (!tr.u32(depth)) return err_ = tr.error(), false;
        } else {
          depth = in.idx;
        }
        if (!check_label(depth)) return false;
        Ctrl& t = ctrls_[ctrls_.size() - 1 - depth];
        uint32_t n = t.kind == Op::Loop ? t.nparams : t.nresults;
        if (n != arity) return mismatch();
        emit_branch(t, t.fixups, height);
        if (!check_and_keep(t.kind == Op::Loop ? t.params : t.results, n)) return false;
      }
      // Pop the default label's types (arity checked above), then unreachable.
      if (!pop_vals(dflt.kind == Op::Loop ? dflt.params : dflt.results, arity)) return false;
      set_unreachable();
      return true;
    }
    case Op::Return: {
      const Ctrl& fn = ctrls_.front();
      if (!pop_vals(fn.results, fn.nresults)) return false;
      set_unreachable();
      return true;
    }
    case Op::Call: {
      if (in.idx >= m_.funcs.size()) return fail("unknown function " + std::to_string(in.idx));
      const FuncType& ft = m_.func_type(in.idx);
      if (!pop_vals(ft.params.data(), uint32_t(ft.params.size()))) return false;
      push_vals(ft.results.data(), uint32_t(ft.results.size()));
      return true;
    }
    case Op::CallIndirect: {
      if (!check_table(in.idx2)) return false;
      if (in.idx >= m_.types.size()) return fail("unknown type " + std::to_string(in.idx));
      if (m_.tables[in.idx2].type.elem != ValType::FuncRef) return mismatch();
      const FuncType& ft = m_.types[in.idx];
      if (!pop_expect(ValType::I32)) return false;
      if (!pop_vals(ft.params.data(), uint32_t(ft.params.size()))) return false;
      push_vals(ft.results.data(), uint32_t(ft.results.size()));
      return true;
    }
    case Op::Drop: {
      ValType t{};
      return pop(t);
    }
    case Op::Select: {
      if (!pop_expect(ValType::I32)) return false;
      ValType a{}, b{};
      if (!pop(a) || !pop(b)) return false;
      if ((a != ValType::Unknown && is_ref(a)) || (b != ValType::Unknown && is_ref(b)))
        return mismatch();
      if (a != b && a != ValType::Unknown && b != ValType::Unknown) return mismatch();
      push(a == ValType::Unknown ? b : a);
      return true;
    }
    case Op::SelectT: {
      if (in.count != 1) return fail("invalid result arity");
      ValType t = ValType::from_code(in.vec[0]);
      if (!pop_expect(ValType::I32) || !pop_expect(t) || !pop_expect(t)) return false;
      push(t);
      return true;
    }
    case Op::LocalGet:
      if (in.idx >= locals_.size()) return fail("unknown local " + std::to_string(in.idx));
      push(locals_[in.idx]);
      return true;
    case Op::LocalSet:
      if (in.idx >= locals_.size()) return fail("unknown local " + std::to_string(in.idx));
      return pop_expect(locals_[in.idx]);
    case Op::LocalTee:
      if (in.idx >= locals_.size()) return fail("unknown local " + std::to_string(in.idx));
      if (!pop_expect(locals_[in.idx])) return false;
      push(locals_[in.idx]);
      return true;
    case Op::GlobalGet:
      if (in.idx >= m_.globals.size()) return fail("unknown global " + std::to_string(in.idx));
      push(m_.globals[in.idx].type.type);
      return true;
    case Op::GlobalSet:
      if (in.idx >= m_.globals.size()) return fail("unknown global " + std::to_string(in.idx));
      if (!m_.globals[in.idx].type.mut) return fail("global is immutable");
      return pop_expect(m_.globals[in.idx].type.type);
    case Op::TableGet:
      if (!check_table(in.idx) || !pop_expect(ValType::I32)) return false;
      push(m_.tables[in.idx].type.elem);
      return true;
    case Op::TableSet:
      if (!check_table(in.idx)) return false;
      return pop_expect(m_.tables[in.idx].type.elem) && pop_expect(ValType::I32);
    case Op::MemorySize:
      if (!check_memory(in.idx)) return false;
      push(ValType::I32);
      return true;
    case Op::MemoryGrow:
      if (!check_memory(in.idx) || !pop_expect(ValType::I32)) return false;
      push(ValType::I32);
      return true;
    case Op::RefNull:
      push(in.heap);
      return true;
    case Op::RefIsNull: {
      ValType t{};
      if (!pop_ref(t)) return false;
      push(ValType::I32);
      return true;
    }
    case Op::RefFunc:
      if (in.idx >= m_.funcs.size()) return fail("unknown function " + std::to_string(in.idx));
      if (!ctx_->declared_refs[in.idx]) return fail("undeclared function reference");
      push(ValType::FuncRef);
      return true;
    case Op::MemoryInit:
      if (!check_memory(in.idx2) || !check_data(in.idx)) return false;
      return pop_expect(ValType::I32) && pop_expect(ValType::I32) && pop_expect(ValType::I32);
    case Op::DataDrop:
      return check_data(in.idx);
    case Op::MemoryCopy:
      if (!check_memory(in.idx) || !check_memory(in.idx2)) return false;
      return pop_expect(ValType::I32) && pop_expect(ValType::I32) && pop_expect(ValType::I32);
    case Op::MemoryFill:
      if (!check_memory(in.idx)) return false;
      return pop_expect(ValType::I32) && pop_expect(ValType::I32) && pop_expect(ValType::I32);
    case Op::TableInit:
      if (!check_table(in.idx2) || !check_elem(in.idx)) return false;
      if (m_.elems[in.idx].type != m_.tables[in.idx2].type.elem) return mismatch();
      return pop_expect(ValType::I32) && pop_expect(ValType::I32) && pop_expect(ValType::I32);
    case Op::ElemDrop:
      return check_elem(in.idx);
    case Op::TableCopy:
      if (!check_table(in.idx) || !check_table(in.idx2)) return false;
      if (m_.tables[in.idx].type.elem != m_.tables[in.idx2].type.elem) return mismatch();
      return pop_expect(ValType::I32) && pop_expect(ValType::I32) && pop_expect(ValType::I32);
    case Op::TableGrow:
      if (!check_table(in.idx)) return false;
      if (!pop_expect(ValType::I32) || !pop_expect(m_.tables[in.idx].type.elem)) return false;
      push(ValType::I32);
      return true;
    case Op::TableSize:
      if (!check_table(in.idx)) return false;
      push(ValType::I32);
      return true;
    case Op::TableFill:
      if (!check_table(in.idx)) return false;
      return pop_expect(ValType::I32) && pop_expect(m_.tables[in.idx].type.elem) &&
             pop_expect(ValType::I32);
    default:
      return fail("illegal opcode", ErrorKind::Malformed);
  }
}

}  // namespace wisp::detail
