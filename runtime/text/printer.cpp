#include "runtime/text/printer.hpp"

#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "runtime/valid/body_syntax.hpp"
#include "runtime/wasm/instr_reader.hpp"

namespace wisp::text {
namespace {

void append_fmt(std::string& out, const char* fmt, auto... args) {
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, fmt, args...);
  out.append(buf, size_t(n));
}

// A string literal: printable ASCII as is, everything else as \hh so that
// any byte sequence survives (names are UTF-8 by then, data need not be).
void put_string(std::string& out, const uint8_t* p, size_t n) {
  static const char kHex[] = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < n; ++i) {
    uint8_t c = p[i];
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
      out += char(c);
    } else {
      out += '\\';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  out += '"';
}

void put_string(std::string& out, std::string_view s) {
  put_string(out, reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

// Exact float text: hex floats reproduce every finite value bit for bit,
// nan:0x... keeps the payload. MantBits is 23 or 52.
template <unsigned MantBits, unsigned ExpBits>
void put_float(std::string& out, uint64_t bits) {
  const uint64_t mant = bits & ((uint64_t(1) << MantBits) - 1);
  const uint64_t exp = (bits >> MantBits) & ((uint64_t(1) << ExpBits) - 1);
  const bool neg = (bits >> (MantBits + ExpBits)) & 1;
  const int bias = (1 << (ExpBits - 1)) - 1;
  if (neg) out += '-';
  if (exp == (uint64_t(1) << ExpBits) - 1) {
    if (mant == 0) out += "inf";
    else append_fmt(out, "nan:0x%" PRIx64, mant);
    return;
  }
  if (exp == 0 && mant == 0) {
    out += "0x0p+0";
    return;
  }
  // Left-align the mantissa on a hex digit boundary: 23 bits -> 6 digits
  // (shifted by 1), 52 bits -> 13 digits.
  constexpr unsigned digits = (MantBits + 3) / 4;
  const uint64_t frac = mant << (digits * 4 - MantBits);
  if (exp == 0)  // subnormal: 0.frac * 2^(1-bias)
    append_fmt(out, "0x0.%0*" PRIx64 "p%d", int(digits), frac, 1 - bias);
  else
    append_fmt(out, "0x1.%0*" PRIx64 "p%+d", int(digits), frac, int(exp) - bias);
}

class Printer {
 public:
  explicit Printer(const Module& m) : m_(m) {}
  Status run();
  std::string take() { return std::move(out_); }

 private:
  Reader reader(uint32_t offset, uint32_t size) const {
    Reader r(m_.bytes, m_.bytes + offset, m_.bytes + offset + size);
    r.set_limit(m_.bytes + m_.size);
    return r;
  }
  void limits(const Limits& l) {
    append_fmt(out_, " %" PRIu64, l.min);
    if (l.has_max) append_fmt(out_, " %" PRIu64, l.max);
  }
  void global_type(const GlobalType& g) {
    if (g.mut) out_ += " (mut ";
    else out_ += ' ';
    out_ += to_string(g.type);
    if (g.mut) out_ += ')';
  }
  // Bodies and constant expressions come from the body walker (syntax
  // only), an instruction at a time: each on a new line indented by
  // indent_ plus two per open block, or (indent_ < 0) all on one line.
  InstrSink sink() {
    InstrSink s;
    s.ctx = this;
    s.local = [](void* p, uint32_t n, ValType t) { static_cast<Printer*>(p)->local(n, t); };
    s.instr = [](void* p, const Instr& in, uint32_t open) {
      return static_cast<Printer*>(p)->instr(in, open);
    };
    return s;
  }
  void local(uint32_t n, ValType t) {
    if (!locals_open_) out_ += " (local";
    locals_open_ = true;
    for (uint32_t j = 0; j < n; ++j) (out_ += ' ') += to_string(t);
  }
  bool instr(const Instr& in, uint32_t open);
  void fail(Error e) {
    if (failed_) return;
    failed_ = true;
    error_ = std::move(e);
  }
  void const_expr(const ConstExpr& e) {
    Reader r = reader(e.offset, e.size);
    InstrSink s = sink();
    indent_ = -1;
    if (!read_expr_syntax(m_, r, &s) && r.failed()) fail(r.error());
  }
  bool immediates(const Instr& in);
  void func(uint32_t i);

  const Module& m_;
  std::string out_;
  Error error_;
  bool failed_ = false;
  int indent_ = -1;
  bool locals_open_ = false;
};

bool Printer::immediates(const Instr& in) {
  const OpInfo& info = op_info(in.op);
  switch (info.imm) {
    case Imm::None:
      return true;
    case Imm::BlockType:
      if (in.block_type == -64) return true;
      if (in.block_type < 0) {
        out_ += " (result ";
        out_ += to_string(ValType::from_code(in.block_type & 0x7F));
        out_ += ')';
      } else {
        append_fmt(out_, " (type %" PRId64 ")", in.block_type);
      }
      return true;
    case Imm::Label:
    case Imm::Func:
    case Imm::Local:
    case Imm::Global:
    case Imm::Table:
    case Imm::Data:
    case Imm::Elem:
      append_fmt(out_, " %" PRIu32, in.idx);
      return true;
    case Imm::BrTable: {
      // The targets were checked by read_immediates; read them again.
      Reader r(m_.bytes, in.vec, m_.bytes + m_.size);
      for (uint32_t i = 0; i < in.count; ++i) {
        uint32_t t{};
        if (!r.u32(t)) return false;
        append_fmt(out_, " %" PRIu32, t);
      }
      append_fmt(out_, " %" PRIu32, in.idx);
      return true;
    }
    case Imm::CallIndirect:
      append_fmt(out_, " %" PRIu32 " (type %" PRIu32 ")", in.idx2, in.idx);
      return true;
    case Imm::MemArg:
    case Imm::MemArgLane: {
      if (in.mem.offset) append_fmt(out_, " offset=%" PRIu64, in.mem.offset);
      // The parser defaults to natural alignment; any other is spelled out.
      uint32_t natural = 0;
      while ((uint32_t(1) << natural) < info.size) ++natural;
      if (in.mem.align != natural) append_fmt(out_, " align=%" PRIu64, uint64_t(1) << in.mem.align);
      if (info.imm == Imm::MemArgLane) append_fmt(out_, " %u", unsigned(in.lane));
      return true;
    }
    case Imm::Memory:
    case Imm::MemoryCopy:
      return true;  // memory 0, implicit in 2.0 text
    case Imm::MemoryInit:
      append_fmt(out_, " %" PRIu32, in.idx);
      return true;
    case Imm::TableInit:  // binary: elem, table; text: table, elem
      append_fmt(out_, " %" PRIu32 " %" PRIu32, in.idx2, in.idx);
      return true;
    case Imm::TableCopy:
      append_fmt(out_, " %" PRIu32 " %" PRIu32, in.idx, in.idx2);
      return true;
    case Imm::I32:
      append_fmt(out_, " %" PRId32, in.i32);
      return true;
    case Imm::I64:
      append_fmt(out_, " %" PRId64, in.i64);
      return true;
    case Imm::F32:
      out_ += ' ';
      put_float<23, 8>(out_, in.f32);
      return true;
    case Imm::F64:
      out_ += ' ';
      put_float<52, 11>(out_, in.f64);
      return true;
    case Imm::V128: {
      // As four i32 lanes in hex: exact, and independent of the lane shape
      // the source text used.
      out_ += " i32x4";
      for (int i = 0; i < 4; ++i) {
        uint32_t lane;
        std::memcpy(&lane, in.vec + 4 * i, 4);
        append_fmt(out_, " 0x%08" PRIx32, lane);
      }
      return true;
    }
    case Imm::Shuffle:
      for (int i = 0; i < 16; ++i) append_fmt(out_, " %u", unsigned(in.vec[i]));
      return true;
    case Imm::Lane:
      append_fmt(out_, " %u", unsigned(in.lane));
      return true;
    case Imm::SelectT:
      for (uint32_t i = 0; i < in.count; ++i) {
        out_ += " (result ";
        out_ += to_string(ValType::from_code(in.vec[i]));
        out_ += ')';
      }
      return true;
    case Imm::HeapType:
      out_ += in.heap == ValType::FuncRef ? " func" : " extern";
      return true;
  }
  return false;
}

bool Printer::instr(const Instr& in, uint32_t open) {
  if (locals_open_) {
    out_ += ')';
    locals_open_ = false;
  }
  if (in.op == Op::End && open == 0) return true;  // the final `end`: implicit in text
  if ((in.op == Op::End || in.op == Op::Else) && open > 0) --open;
  if (indent_ < 0) {
    out_ += ' ';
  } else {
    out_ += '\n';
    out_.append(size_t(indent_) + 2 * open, ' ');
  }
  out_ += op_info(in.op).text;
  if (!immediates(in)) {
    fail(make_error(ErrorKind::Malformed, "bad immediate", size_t(in.pc - m_.bytes)));
    return false;
  }
  return true;
}

void Printer::func(uint32_t i) {
  append_fmt(out_, "  (func (type %" PRIu32 ")", m_.funcs[i].type);
  InstrSink s = sink();
  indent_ = 4;
  if (auto e = read_body_syntax(m_, i, &s)) fail(std::move(*e));
  if (failed_) return;
  out_ += ")\n";
}

Status Printer::run() {
  out_ += "(module\n";
  for (const FuncType& t : m_.types) {
    out_ += "  (type (func";
    if (!t.params.empty()) {
      out_ += " (param";
      for (ValType v : t.params) (out_ += ' ') += to_string(v);
      out_ += ')';
    }
    if (!t.results.empty()) {
      out_ += " (result";
      for (ValType v : t.results) (out_ += ' ') += to_string(v);
      out_ += ')';
    }
    out_ += "))\n";
  }
  for (const Import& im : m_.imports) {
    out_ += "  (import ";
    put_string(out_, im.module);
    out_ += ' ';
    put_string(out_, im.name);
    switch (im.kind) {
      case ExternKind::Func:
        append_fmt(out_, " (func (type %" PRIu32 ")))\n", m_.funcs[im.index].type);
        break;
      case ExternKind::Table:
        out_ += " (table";
        limits(m_.tables[im.index].type.limits);
        (out_ += ' ') += to_string(m_.tables[im.index].type.elem);
        out_ += "))\n";
        break;
      case ExternKind::Memory:
        out_ += " (memory";
        limits(m_.memories[im.index].type.limits);
        out_ += "))\n";
        break;
      case ExternKind::Global:
        out_ += " (global";
        global_type(m_.globals[im.index].type);
        out_ += "))\n";
        break;
      case ExternKind::Tag:  // not decoded yet (types.hpp)
        out_ += " (tag))\n";
        break;
    }
  }
  for (uint32_t i = m_.num_imported_funcs; i < m_.funcs.size() && !failed_; ++i) func(i);
  for (uint32_t i = m_.num_imported_tables; i < m_.tables.size(); ++i) {
    out_ += "  (table";
    limits(m_.tables[i].type.limits);
    (out_ += ' ') += to_string(m_.tables[i].type.elem);
    out_ += ")\n";
  }
  for (uint32_t i = m_.num_imported_memories; i < m_.memories.size(); ++i) {
    out_ += "  (memory";
    limits(m_.memories[i].type.limits);
    out_ += ")\n";
  }
  for (uint32_t i = m_.num_imported_globals; i < m_.globals.size() && !failed_; ++i) {
    out_ += "  (global";
    global_type(m_.globals[i].type);
    const_expr(m_.globals[i].init);
    out_ += ")\n";
  }
  for (const Export& e : m_.exports) {
    out_ += "  (export ";
    put_string(out_, e.name);
    append_fmt(out_, " (%s %" PRIu32 "))\n", std::string(to_string(e.kind)).c_str(), e.index);
  }
  if (m_.start >= 0) append_fmt(out_, "  (start %" PRId64 ")\n", m_.start);
  for (const ElemSegment& s : m_.elems) {
    if (failed_) break;
    out_ += "  (elem";
    if (s.mode == SegmentMode::Active) {
      append_fmt(out_, " (table %" PRIu32 ") (offset", s.table);
      const_expr(s.offset);
      out_ += ')';
    } else if (s.mode == SegmentMode::Declarative) {
      out_ += " declare";
    }
    if (s.uses_exprs) {
      (out_ += ' ') += to_string(s.type);
      for (const ConstExpr& e : s.exprs) {
        out_ += " (item";
        const_expr(e);
        out_ += ')';
      }
    } else {
      out_ += " func";
      for (uint32_t f : s.funcs) append_fmt(out_, " %" PRIu32, f);
    }
    out_ += ")\n";
  }
  for (const DataSegment& d : m_.datas) {
    if (failed_) break;
    out_ += "  (data";
    if (d.mode == SegmentMode::Active) {
      append_fmt(out_, " (memory %" PRIu32 ") (offset", d.memory);
      const_expr(d.offset);
      out_ += ')';
    }
    out_ += ' ';
    put_string(out_, m_.bytes + d.data_offset, d.data_size);
    out_ += ")\n";
  }
  out_ += ")\n";
  if (failed_) {
    error_.kind = ErrorKind::Malformed;
    return error_;
  }
  return ok_status();
}

}  // namespace

Result<std::string> print_wat(const Module& m) {
  Printer p(m);
  if (auto s = p.run(); !s) return s.take_error();
  return p.take();
}

}  // namespace wisp::text
