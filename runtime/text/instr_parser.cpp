// Instructions, plain and folded. Nesting is tracked on an explicit frame
// stack rather than by recursion, so arbitrarily deep input cannot overflow
// the native stack.
#include <string>

#include "runtime/text/numbers.hpp"
#include "runtime/text/wat_parser.hpp"

namespace wisp::text {
namespace {

struct Frame {
  enum Kind : uint8_t {
    PlainBlock,   // block/loop awaiting `end`
    PlainIf,      // if awaiting `else` or `end`
    FoldedOp,     // (op folded*): op is emitted at `)`
    FoldedBlock,  // (block ...)/(loop ...)
    IfCond,       // (if bt folded* ...: before (then
    IfThen,       // inside (then ...)
    IfAfterThen,  // awaiting (else ...) or `)`
    IfElse,       // inside (else ...)
    IfAfterElse,  // awaiting `)`
  };
  Kind kind;
  bool has_else = false;
  std::string_view label;
  size_t pending = 0;  // start of this frame's bytes in the pending buffer
};

void emit_op(const OpInfo& info, Bytes& out) {
  if (info.prefix) {
    out.push_back(info.prefix);
    put_u32(out, info.code);
  } else {
    out.push_back(info.code);
  }
}

int lane_shape(std::string_view s, unsigned& lanes, unsigned& bits, bool& is_float) {
  is_float = s[0] == 'f';
  if (s == "i8x16") lanes = 16, bits = 8;
  else if (s == "i16x8") lanes = 8, bits = 16;
  else if (s == "i32x4" || s == "f32x4") lanes = 4, bits = 32;
  else if (s == "i64x2" || s == "f64x2") lanes = 2, bits = 64;
  else return 0;
  return 1;
}

}  // namespace

void WatParser::push_label(std::string_view name) {
  if (!name.empty()) label_positions_[name].push_back(labels_.size());
  labels_.push_back(name);
}

void WatParser::pop_label() {
  if (!labels_.back().empty()) label_positions_[labels_.back()].pop_back();
  labels_.pop_back();
}

void WatParser::clear_labels() {
  labels_.clear();
  label_positions_.clear();
}

Status WatParser::parse_expr(Bytes& out) {
  if (auto s = parse_instr_seq(out, false); !s) return s;
  out.push_back(0x0B);
  return ok_status();
}

Status WatParser::parse_folded(Bytes& out) { return parse_instr_seq(out, true); }

Result<uint32_t> WatParser::resolve_label() {
  const Token& t = peek();
  if (t.kind == Tok::Id) {
    std::string_view id = text(t);
    auto it = label_positions_.find(id);
    if (it == label_positions_.end() || it->second.empty()) return err(t, "unknown label " + std::string(id));
    ++p_;
    return uint32_t(labels_.size() - 1 - it->second.back());
  }
  return parse_u32("constant out of range");
}

Result<uint32_t> WatParser::resolve_local() {
  const Token& t = peek();
  if (t.kind == Tok::Id) {
    auto it = locals_.find(text(t));
    if (it == locals_.end()) return err(t, "unknown local " + std::string(text(t)));
    ++p_;
    return it->second;
  }
  return parse_u32("constant out of range");
}

Status WatParser::parse_block_type(Bytes& out) {
  const Token& start = peek();
  bool has_type = false;
  uint32_t idx = 0;
  if (at_sexpr("type")) {
    p_ += 2;
    auto r = resolve(kTypes);
    if (!r) return r.take_error();
    idx = *r;
    has_type = true;
    if (auto s = expect(Tok::RParen); !s) return s;
  }
  size_t sig_begin = p_;
  auto ft = parse_func_sig(nullptr);
  if (!ft) return ft.take_error();
  bool has_inline = p_ != sig_begin;
  const FuncType* sig = &*ft;
  if (has_type) {
    if (has_inline && idx >= m_.types.size()) return err(start, "unknown type");
    if (idx >= m_.types.size()) {  // invalid; keep the index for the validator
      put_s64(out, idx);
      return ok_status();
    }
    if (has_inline && !(m_.types[idx] == *ft)) return err(start, "inline function type");
    sig = &m_.types[idx];
  }
  // Like wabt, use the short forms whenever the signature allows.
  if (sig->params.empty() && sig->results.size() <= 1) {
    out.push_back(sig->results.empty() ? 0x40 : uint8_t(sig->results[0]));
    return ok_status();
  }
  put_s64(out, has_type ? idx : find_or_add_type(*sig));
  return ok_status();
}

Status WatParser::parse_memarg(const OpInfo& info, Bytes& out) {
  uint64_t offset = 0;
  uint32_t align_log2 = 0;
  while (uint32_t(1) << align_log2 < info.size) ++align_log2;
  if (at(Tok::Keyword) && text(peek()).substr(0, 7) == "offset=") {
    const Token& t = peek();
    switch (parse_nat(text(t).substr(7), offset)) {
      case NumResult::Syntax: return unexpected();
      case NumResult::Range: return err(t, "i32 constant");
      case NumResult::Ok: break;
    }
    if (offset > UINT32_MAX) return err(t, "i32 constant");
    ++p_;
  }
  if (at(Tok::Keyword) && text(peek()).substr(0, 6) == "align=") {
    const Token& t = peek();
    uint64_t a;
    switch (parse_nat(text(t).substr(6), a)) {
      case NumResult::Syntax: return unexpected();
      case NumResult::Range: return err(t, "i32 constant");
      case NumResult::Ok: break;
    }
    if (a > UINT32_MAX) return err(t, "i32 constant");
    if (a == 0 || (a & (a - 1))) return err(t, "alignment must be a power of two");
    align_log2 = 0;
    while ((uint64_t(1) << align_log2) < a) ++align_log2;
    ++p_;
  }
  put_u32(out, align_log2);
  put_u32(out, offset);
  return ok_status();
}

Status WatParser::parse_lane_index(Bytes& out) {
  const Token& t = peek();
  uint64_t v;
  if (t.kind != Tok::Number || parse_nat(text(t), v) == NumResult::Syntax) return unexpected();
  if (parse_nat(text(t), v) == NumResult::Range || v > 255) return err(t, "malformed lane index");
  out.push_back(uint8_t(v));
  ++p_;
  return ok_status();
}

size_t WatParser::count_literals() const {
  size_t n = 0;
  while (true) {
    const Token& t = peek(n);
    if (t.kind == Tok::Number || (t.kind == Tok::Keyword && is_number_keyword(text(t)))) ++n;
    else return n;
  }
}

Status WatParser::v128_literal(Bytes& out) {
  if (auto st = parse_v128_const(out); !st) return st;
  if (peek().kind != Tok::Eof) return unexpected();
  return ok_status();
}

Status WatParser::parse_v128_const(Bytes& out) {
  const Token& shape_tok = peek();
  unsigned lanes, bits;
  bool is_float;
  if (shape_tok.kind != Tok::Keyword || !lane_shape(text(shape_tok), lanes, bits, is_float))
    return unexpected();
  ++p_;
  // Like the reference parser, count the literals before reading any.
  size_t n = count_literals();
  if (n != lanes) {
    if (peek(n).kind == Tok::Reserved) return unexpected_token(ts_, peek(n));
    return err(peek(n), "wrong number of lane literals");
  }
  for (unsigned i = 0; i < lanes; ++i) {
    const Token& t = peek();
    uint64_t v = 0;
    NumResult r;
    if (is_float && bits == 32) {
      uint32_t f;
      r = parse_f32(text(t), f);
      v = f;
    } else if (is_float) {
      r = parse_f64(text(t), v);
    } else {
      r = t.kind == Tok::Number ? parse_int(text(t), bits, v) : NumResult::Syntax;
    }
    if (r == NumResult::Syntax) return unexpected();
    if (r == NumResult::Range) return err(t, "constant out of range");
    put_fixed(out, v, bits / 8);
    ++p_;
  }
  return ok_status();
}

Status WatParser::parse_plain_immediates(Op op, const Token& op_tok, Bytes& out) {
  const OpInfo& info = op_info(op);
  if (op == Op::Select && at_sexpr("result")) {
    std::vector<ValType> types;
    while (at_sexpr("result")) {
      p_ += 2;
      while (!at(Tok::RParen)) {
        auto v = parse_valtype();
        if (!v) return v.take_error();
        types.push_back(*v);
      }
      ++p_;
    }
    emit_op(op_info(Op::SelectT), out);
    put_u32(out, types.size());
    for (ValType v : types) out.push_back(uint8_t(v));
    return ok_status();
  }
  emit_op(info, out);
  auto put_var = [&](Result<uint32_t> r) -> Status {
    if (!r) return r.take_error();
    put_u32(out, *r);
    return ok_status();
  };
  auto at_var = [&] { return at(Tok::Id) || at(Tok::Number); };
  switch (info.imm) {
    case Imm::None:
      return ok_status();
    case Imm::BlockType:  // handled by the caller
      return ok_status();
    case Imm::Label:
      return put_var(resolve_label());
    case Imm::BrTable: {
      std::vector<uint32_t> targets;
      while (at_var()) {
        auto l = resolve_label();
        if (!l) return l.take_error();
        targets.push_back(*l);
      }
      if (targets.empty()) return unexpected();
      put_u32(out, targets.size() - 1);
      for (uint32_t t : targets) put_u32(out, t);
      return ok_status();
    }
    case Imm::Func:
      return put_var(resolve(kFuncs));
    case Imm::CallIndirect: {
      uint32_t table = 0;
      if (at_var()) {
        auto t = resolve(kTables);
        if (!t) return t.take_error();
        table = *t;
      }
      auto type = parse_type_use(nullptr);
      if (!type) return type.take_error();
      put_u32(out, *type);
      put_u32(out, table);
      return ok_status();
    }
    case Imm::Local:
      return put_var(resolve_local());
    case Imm::Global:
      return put_var(resolve(kGlobals));
    case Imm::Table:
      if (!at_var()) {
        out.push_back(0x00);
        return ok_status();
      }
      return put_var(resolve(kTables));
    case Imm::MemArg:
      return parse_memarg(info, out);
    case Imm::Memory:
      out.push_back(0x00);
      return ok_status();
    case Imm::I32: {
      auto v = parse_int_lit(32);
      if (!v) return v.take_error();
      put_s64(out, int32_t(uint32_t(*v)));
      return ok_status();
    }
    case Imm::I64: {
      auto v = parse_int_lit(64);
      if (!v) return v.take_error();
      put_s64(out, int64_t(*v));
      return ok_status();
    }
    case Imm::F32:
    case Imm::F64: {
      const Token& t = peek();
      if (t.kind != Tok::Number && t.kind != Tok::Keyword) return unexpected();
      uint64_t bits = 0;
      NumResult r;
      if (info.imm == Imm::F32) {
        uint32_t b;
        r = parse_f32(text(t), b);
        bits = b;
      } else {
        r = parse_f64(text(t), bits);
      }
      if (r == NumResult::Syntax) return unexpected();
      if (r == NumResult::Range) return err(t, "constant out of range");
      ++p_;
      put_fixed(out, bits, info.imm == Imm::F32 ? 4 : 8);
      return ok_status();
    }
    case Imm::SelectT:  // only reached through `select (result ...)` above
      return ok_status();
    case Imm::HeapType:
      if (at_keyword("func")) out.push_back(uint8_t(ValType::FuncRef));
      else if (at_keyword("extern")) out.push_back(uint8_t(ValType::ExternRef));
      else return unexpected();
      ++p_;
      return ok_status();
    case Imm::MemoryInit: {
      m_.uses_data_count = true;
      if (auto s = put_var(resolve(kDatas)); !s) return s;
      out.push_back(0x00);
      return ok_status();
    }
    case Imm::Data:
      m_.uses_data_count = true;
      return put_var(resolve(kDatas));
    case Imm::MemoryCopy:
      out.push_back(0x00);
      out.push_back(0x00);
      return ok_status();
    case Imm::TableInit: {
      Space first_space = peek(1).kind == Tok::Id || peek(1).kind == Tok::Number ? kTables : kElems;
      auto a = resolve(first_space);
      if (!a) return a.take_error();
      if (first_space == kTables) {
        auto e = resolve(kElems);
        if (!e) return e.take_error();
        put_u32(out, *e);
        put_u32(out, *a);
      } else {
        put_u32(out, *a);
        out.push_back(0x00);
      }
      return ok_status();
    }
    case Imm::Elem:
      return put_var(resolve(kElems));
    case Imm::TableCopy: {
      if (!at_var()) {
        out.push_back(0x00);
        out.push_back(0x00);
        return ok_status();
      }
      if (auto s = put_var(resolve(kTables)); !s) return s;
      return put_var(resolve(kTables));
    }
    case Imm::V128:
      return parse_v128_const(out);
    case Imm::Shuffle: {
      size_t n = count_literals();
      if (n != 16) {
        if (peek(n).kind == Tok::Reserved) return unexpected_token(ts_, peek(n));
        return err(op_tok, "invalid lane length");
      }
      for (size_t i = 0; i < n; ++i) {
        const Token& t = peek();
        uint64_t v;
        if (t.kind != Tok::Number || parse_nat(text(t), v) != NumResult::Ok || v > 255)
          return err(t, "malformed lane index");
        out.push_back(uint8_t(v));
        ++p_;
      }
      return ok_status();
    }
    case Imm::Lane:
      return parse_lane_index(out);
    case Imm::MemArgLane:
      if (auto s = parse_memarg(info, out); !s) return s;
      return parse_lane_index(out);
  }
  return ok_status();
}

Status WatParser::parse_instr_seq(Bytes& out, bool single) {
  std::vector<Frame> frames;
  Bytes pending;
  auto flush_pending = [&](Frame& f) {
    out.insert(out.end(), pending.begin() + f.pending, pending.end());
    pending.resize(f.pending);
  };
  if (single && !at(Tok::LParen)) return unexpected();

  while (true) {
    const Token& t = peek();
    Frame* top = frames.empty() ? nullptr : &frames.back();
    if (top && (top->kind == Frame::IfAfterThen || top->kind == Frame::IfAfterElse)) {
      if (t.kind == Tok::RParen) {
        ++p_;
        out.push_back(0x0B);
        pop_label();
        frames.pop_back();
        if (single && frames.empty()) return ok_status();
        continue;
      }
      if (top->kind == Frame::IfAfterThen && at_sexpr("else")) {
        p_ += 2;
        // wabt drops an empty else arm; equivalent, and keeps bytes identical.
        if (!at(Tok::RParen)) out.push_back(0x05);
        top->kind = Frame::IfElse;
        continue;
      }
      return unexpected();
    }
    if (t.kind == Tok::RParen) {
      if (!top) return ok_status();
      switch (top->kind) {
        case Frame::PlainBlock:
        case Frame::PlainIf:
        case Frame::IfCond:
          return unexpected();
        case Frame::FoldedOp:
          ++p_;
          flush_pending(*top);
          frames.pop_back();
          break;
        case Frame::FoldedBlock:
          ++p_;
          out.push_back(0x0B);
          pop_label();
          frames.pop_back();
          break;
        case Frame::IfThen:
          ++p_;
          top->kind = Frame::IfAfterThen;
          continue;
        case Frame::IfElse:
          ++p_;
          top->kind = Frame::IfAfterElse;
          continue;
        default:
          break;
      }
      if (single && frames.empty()) return ok_status();
      continue;
    }
    if (t.kind == Tok::Eof) return unexpected();

    if (t.kind == Tok::LParen) {
      if (top && top->kind == Frame::IfCond && at_sexpr("then")) {
        p_ += 2;
        flush_pending(*top);
        push_label(top->label);
        top->kind = Frame::IfThen;
        continue;
      }
      const Token& kw = peek(1);
      if (kw.kind != Tok::Keyword) return unexpected_token(ts_, kw);
      auto op = op_from_text(text(kw));
      if (!op) {
        if (is_known_keyword(text(kw))) return unexpected_token(ts_, kw);
        return err(kw, unknown_operator(text(kw)));
      }
      p_ += 2;
      if (*op == Op::Block || *op == Op::Loop) {
        std::string_view label = take_id();
        emit_op(op_info(*op), out);
        if (auto s = parse_block_type(out); !s) return s;
        push_label(label);
        frames.push_back({Frame::FoldedBlock, false, label, 0});
      } else if (*op == Op::If) {
        Frame f{Frame::IfCond, false, take_id(), pending.size()};
        emit_op(op_info(*op), pending);
        if (auto s = parse_block_type(pending); !s) return s;
        frames.push_back(f);
      } else if (*op == Op::Else || *op == Op::End) {
        return unexpected_token(ts_, kw);
      } else {
        Frame f{Frame::FoldedOp, false, {}, pending.size()};
        if (auto s = parse_plain_immediates(*op, kw, pending); !s) return s;
        frames.push_back(f);
      }
      continue;
    }

    // A plain instruction.
    if (single && frames.empty()) return unexpected();
    if (top && (top->kind == Frame::FoldedOp || top->kind == Frame::IfCond)) return unexpected();
    if (t.kind != Tok::Keyword) return unexpected();
    std::string_view name = text(t);
    if (name == "end" || name == "else") {
      bool is_else = name == "else";
      if (!top || (top->kind != Frame::PlainBlock && top->kind != Frame::PlainIf) ||
          (is_else && (top->kind != Frame::PlainIf || top->has_else)))
        return unexpected();
      ++p_;
      if (at(Tok::Id)) {
        if (text(peek()) != top->label) return err_here("mismatching label");
        ++p_;
      }
      if (is_else) {
        top->has_else = true;
        if (!at_keyword("end")) out.push_back(0x05);  // as wabt: no empty else arm
      } else {
        out.push_back(0x0B);
        pop_label();
        frames.pop_back();
      }
      continue;
    }
    auto op = op_from_text(name);
    if (!op) {
      if (is_known_keyword(name)) return unexpected();
      return err(t, unknown_operator(name));
    }
    ++p_;
    if (*op == Op::Block || *op == Op::Loop || *op == Op::If) {
      std::string_view label = take_id();
      emit_op(op_info(*op), out);
      if (auto s = parse_block_type(out); !s) return s;
      push_label(label);
      frames.push_back({*op == Op::If ? Frame::PlainIf : Frame::PlainBlock, false, label, 0});
      continue;
    }
    if (auto s = parse_plain_immediates(*op, t, out); !s) return s;
  }
}

}  // namespace wisp::text
