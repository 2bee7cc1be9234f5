#include <algorithm>
// Module fields. Two passes over the tokens: the first binds every name and
// index and reads the explicit types (uses may precede definitions); the
// second parses each field in order, appending implicit types in the order
// the spec prescribes (textual order of their uses).
#include "runtime/text/wat_parser.hpp"

#include <string>

#include "runtime/text/wat.hpp"

namespace wisp::text {
namespace {

std::string type_key(const FuncType& ft) {
  std::string k;
  k.reserve(ft.params.size() + ft.results.size() + 1);
  for (ValType v : ft.params) k += char(v);
  k += '\0';  // not a value type byte
  for (ValType v : ft.results) k += char(v);
  return k;
}

}  // namespace

// ---- pass 1 ----------------------------------------------------------------

Status WatParser::note_definition(ExternKind k) {
  if (!first_def_) {
    static const char* const kNames[] = {"function", "table", "memory", "global"};
    first_def_ = kNames[static_cast<int>(k)];
  }
  return ok_status();
}

Status WatParser::scan_import_kind(ExternKind k, std::string_view id, const Token& at) {
  if (first_def_) return err(at, std::string("import after ") + first_def_);
  static const Space kSpaces[] = {kFuncs, kTables, kMemories, kGlobals};
  Space s = kSpaces[static_cast<int>(k)];
  return bind(s, id, counts_[s]++, at);
}

Status WatParser::scan_fields() {
  while (at(Tok::LParen)) {
    size_t begin = p_;
    const Token& kw_tok = peek(1);
    if (kw_tok.kind != Tok::Keyword) return unexpected_token(ts_, kw_tok);
    std::string_view kw = text(kw_tok);
    Field f{begin, 0, false};
    // Module fields of proposals wisp lacks.
    if (kw == "tag") return err(kw_tok, "tag: not supported yet (exception handling)");
    if (kw == "rec") return err(kw_tok, "rec: not supported yet (garbage collection)");
    p_ += 2;
    if (kw == "type") {
      p_ = begin;
      if (auto s = parse_type_field(); !s) return s;
      fields_.push_back(f);
      continue;
    }
    if (kw == "import") {
      for (int i = 0; i < 2; ++i) {
        if (!at(Tok::String)) return unexpected();
        ++p_;
      }
      if (!at(Tok::LParen)) return unexpected();
      const Token& kind_tok = peek(1);
      std::string_view kind = text(kind_tok);
      ExternKind k;
      if (kind_tok.kind != Tok::Keyword) return unexpected_token(ts_, kind_tok);
      if (kind == "func") k = ExternKind::Func;
      else if (kind == "table") k = ExternKind::Table;
      else if (kind == "memory") k = ExternKind::Memory;
      else if (kind == "global") k = ExternKind::Global;
      else return unexpected_token(ts_, kind_tok);
      p_ += 2;
      const Token& id_tok = peek();
      if (auto s = scan_import_kind(k, take_id(), id_tok); !s) return s;
    } else if (kw == "func" || kw == "table" || kw == "memory" || kw == "global") {
      ExternKind k = kw == "func"    ? ExternKind::Func
                     : kw == "table" ? ExternKind::Table
                     : kw == "memory" ? ExternKind::Memory
                                      : ExternKind::Global;
      const Token& id_tok = peek();
      std::string_view id = take_id();
      while (at_sexpr("export"))
        if (auto s = skip_sexpr(); !s) return s;
      if (at_sexpr("import")) {
        f.imported = true;
        f.index = counts_[static_cast<int>(k) + 1];
        if (auto s = scan_import_kind(k, id, kw_tok); !s) return s;
      } else {
        Space s = static_cast<Space>(static_cast<int>(k) + 1);
        f.index = counts_[s]++;
        if (auto st = bind(s, id, f.index, id_tok); !st) return st;
        if (auto st = note_definition(k); !st) return st;
        // Inline segments take an index in the segment spaces.
        if (k == ExternKind::Table && peek().kind == Tok::Keyword && peek(1).kind == Tok::LParen &&
            peek(2).kind == Tok::Keyword && text(peek(2)) == "elem")
          ++counts_[kElems];
        if (k == ExternKind::Memory && at_sexpr("data")) ++counts_[kDatas];
      }
    } else if (kw == "elem" || kw == "data") {
      Space s = kw == "elem" ? kElems : kDatas;
      const Token& id_tok = peek();
      if (auto st = bind(s, take_id(), counts_[s]++, id_tok); !st) return st;
    } else if (kw != "start" && kw != "export") {
      return unexpected_token(ts_, kw_tok);
    }
    p_ = begin;
    if (auto s = skip_sexpr(); !s) return s;
    fields_.push_back(f);
  }
  if (!at(Tok::RParen) && !at(Tok::Eof)) return unexpected();
  return ok_status();
}

// ---- pass 2 ----------------------------------------------------------------

Result<BuiltModule> WatParser::run() {
  if (auto s = scan_fields(); !s) return s.take_error();
  size_t end = p_;
  for (const Field& f : fields_) {
    p_ = f.begin;
    if (auto s = parse_field(f); !s) return s.take_error();
  }
  p_ = end;
  for (const auto& [id, idx] : names_[kFuncs])
    m_.func_names.emplace_back(idx, std::string(id.substr(id[0] == '$' ? 1 : 0)));
  std::sort(m_.func_names.begin(), m_.func_names.end());
  return std::move(m_);
}

Status WatParser::parse_field(const Field& f) {
  std::string_view kw = text(peek(1));
  if (kw == "type") return skip_sexpr();  // read in pass 1
  if (kw == "import") return parse_import_field();
  if (kw == "func") return parse_func_field(f);
  if (kw == "table") return parse_table_field(f);
  if (kw == "memory") return parse_memory_field(f);
  if (kw == "global") return parse_global_field(f);
  if (kw == "export") return parse_export_field();
  if (kw == "start") return parse_start_field();
  if (kw == "elem") return parse_elem_field();
  return parse_data_field();
}

uint32_t WatParser::find_or_add_type(const FuncType& ft) {
  // A hash index keeps big modules from going quadratic; explicit types
  // entered m_.types directly, so catch up first. emplace keeps the first
  // (smallest) index of equal types, as the spec requires.
  for (; indexed_types_ < m_.types.size(); ++indexed_types_)
    type_index_.emplace(type_key(m_.types[indexed_types_]), uint32_t(indexed_types_));
  auto [it, inserted] = type_index_.emplace(type_key(ft), uint32_t(m_.types.size()));
  if (inserted) {
    m_.types.push_back(ft);
    ++indexed_types_;
  }
  return it->second;
}

Result<FuncType> WatParser::parse_func_sig(std::vector<std::string_view>* names) {
  FuncType ft;
  while (at_sexpr("param")) {
    p_ += 2;
    if (at(Tok::Id)) {
      if (!names) return unexpected();
      const Token& id_tok = peek();
      std::string_view id = take_id();
      for (std::string_view n : *names)
        if (n == id) return err(id_tok, "duplicate local " + std::string(id));
      auto v = parse_valtype();
      if (!v) return v.take_error();
      ft.params.push_back(*v);
      names->push_back(id);
    } else {
      while (!at(Tok::RParen)) {
        auto v = parse_valtype();
        if (!v) return v.take_error();
        ft.params.push_back(*v);
        if (names) names->push_back({});
      }
    }
    if (auto s = expect(Tok::RParen); !s) return s.take_error();
  }
  while (at_sexpr("result")) {
    p_ += 2;
    while (!at(Tok::RParen)) {
      auto v = parse_valtype();
      if (!v) return v.take_error();
      ft.results.push_back(*v);
    }
    ++p_;
  }
  if (at_sexpr("param")) return unexpected();  // params must come first
  return ft;
}

Result<uint32_t> WatParser::parse_type_use(std::vector<std::string_view>* names) {
  const Token& start = peek();
  bool has_type = false;
  uint32_t idx = 0;
  if (at_sexpr("type")) {
    p_ += 2;
    auto r = resolve(kTypes);
    if (!r) return r.take_error();
    idx = *r;
    has_type = true;
    if (auto s = expect(Tok::RParen); !s) return s.take_error();
  }
  size_t sig_begin = p_;
  auto ft = parse_func_sig(names);
  if (!ft) return ft.take_error();
  bool has_inline = p_ != sig_begin;
  if (!has_type) return find_or_add_type(*ft);
  if (has_inline) {
    if (idx >= m_.types.size()) return err(start, "unknown type");
    if (!(m_.types[idx] == *ft)) return err(start, "inline function type");
  } else if (names && idx < m_.types.size()) {
    names->assign(m_.types[idx].params.size(), std::string_view{});
  }
  return idx;
}

Status WatParser::parse_type_field() {
  p_ += 2;  // `(type`
  const Token& id_tok = peek();
  std::string_view id = take_id();
  if (auto s = bind(kTypes, id, uint32_t(m_.types.size()), id_tok); !s) return s;
  if (!at_sexpr("func")) return at(Tok::LParen) ? unexpected_token(ts_, peek(1)) : unexpected();
  p_ += 2;
  take_id();
  std::vector<std::string_view> names;
  auto ft = parse_func_sig(&names);
  if (!ft) return ft.take_error();
  if (auto s = expect(Tok::RParen); !s) return s;
  m_.types.push_back(std::move(*ft));
  ++counts_[kTypes];
  return expect(Tok::RParen);
}

Result<GlobalType> WatParser::parse_global_type() {
  GlobalType g;
  if (at_sexpr("mut")) {
    p_ += 2;
    auto v = parse_valtype();
    if (!v) return v.take_error();
    g.type = *v;
    g.mut = true;
    if (auto s = expect(Tok::RParen); !s) return s.take_error();
    return g;
  }
  auto v = parse_valtype();
  if (!v) return v.take_error();
  g.type = *v;
  return g;
}

Result<TableType> WatParser::parse_table_type() {
  TableType t;
  auto l = parse_limits();
  if (!l) return l.take_error();
  t.limits = *l;
  auto r = parse_reftype();
  if (!r) return r.take_error();
  t.elem = *r;
  return t;
}

Status WatParser::parse_import_field() {
  p_ += 2;
  BuiltImport imp;
  auto mod = parse_name();
  if (!mod) return mod.take_error();
  auto name = parse_name();
  if (!name) return name.take_error();
  imp.module = std::move(*mod);
  imp.name = std::move(*name);
  if (!at(Tok::LParen)) return unexpected();
  std::string_view kind = text(peek(1));
  p_ += 2;
  take_id();
  if (kind == "func") {
    imp.kind = ExternKind::Func;
    std::vector<std::string_view> names;
    auto t = parse_type_use(&names);
    if (!t) return t.take_error();
    imp.type = *t;
  } else if (kind == "table") {
    imp.kind = ExternKind::Table;
    auto t = parse_table_type();
    if (!t) return t.take_error();
    imp.table = *t;
  } else if (kind == "memory") {
    imp.kind = ExternKind::Memory;
    auto l = parse_limits();
    if (!l) return l.take_error();
    imp.memory.limits = *l;
  } else {
    imp.kind = ExternKind::Global;
    auto g = parse_global_type();
    if (!g) return g.take_error();
    imp.global = *g;
  }
  if (auto s = expect(Tok::RParen); !s) return s;
  m_.imports.push_back(std::move(imp));
  return expect(Tok::RParen);
}

Status WatParser::parse_inline_exports(ExternKind k, uint32_t index) {
  while (at_sexpr("export")) {
    p_ += 2;
    auto name = parse_name();
    if (!name) return name.take_error();
    m_.exports.push_back({std::move(*name), k, index});
    if (auto s = expect(Tok::RParen); !s) return s;
  }
  return ok_status();
}

Result<BuiltImport> WatParser::parse_inline_import() {
  p_ += 2;
  BuiltImport imp;
  auto mod = parse_name();
  if (!mod) return mod.take_error();
  auto name = parse_name();
  if (!name) return name.take_error();
  imp.module = std::move(*mod);
  imp.name = std::move(*name);
  if (auto s = expect(Tok::RParen); !s) return s.take_error();
  return imp;
}

Status WatParser::parse_func_field(const Field& f) {
  p_ += 2;
  take_id();
  if (auto s = parse_inline_exports(ExternKind::Func, f.index); !s) return s;
  if (f.imported) {
    auto imp = parse_inline_import();
    if (!imp) return imp.take_error();
    imp->kind = ExternKind::Func;
    std::vector<std::string_view> names;
    auto t = parse_type_use(&names);
    if (!t) return t.take_error();
    imp->type = *t;
    m_.imports.push_back(std::move(*imp));
    return expect(Tok::RParen);
  }
  std::vector<std::string_view> names;
  auto t = parse_type_use(&names);
  if (!t) return t.take_error();
  m_.funcs.push_back(*t);

  locals_.clear();
  clear_labels();
  for (uint32_t i = 0; i < names.size(); ++i)
    if (!names[i].empty()) locals_.emplace(names[i], i);
  num_locals_ = uint32_t(names.size());
  std::vector<ValType> locals;
  while (at_sexpr("local")) {
    p_ += 2;
    if (at(Tok::Id)) {
      const Token& id_tok = peek();
      std::string_view id = take_id();
      if (!locals_.emplace(id, num_locals_).second)
        return err(id_tok, "duplicate local " + std::string(id));
      auto v = parse_valtype();
      if (!v) return v.take_error();
      locals.push_back(*v);
      ++num_locals_;
    } else {
      while (!at(Tok::RParen)) {
        auto v = parse_valtype();
        if (!v) return v.take_error();
        locals.push_back(*v);
        ++num_locals_;
      }
    }
    if (auto s = expect(Tok::RParen); !s) return s;
  }
  Bytes code;
  // Runs of equal types share one entry, as wabt writes them.
  uint32_t runs = 0;
  for (size_t i = 0; i < locals.size(); ++i)
    if (i == 0 || locals[i] != locals[i - 1]) ++runs;
  put_u32(code, runs);
  for (size_t i = 0; i < locals.size();) {
    size_t j = i;
    while (j < locals.size() && locals[j] == locals[i]) ++j;
    put_u32(code, j - i);
    code.push_back(uint8_t(locals[i]));
    i = j;
  }
  if (auto s = parse_expr(code); !s) return s;
  m_.code.push_back(std::move(code));
  locals_.clear();
  return expect(Tok::RParen);
}

Status WatParser::parse_table_field(const Field& f) {
  p_ += 2;
  take_id();
  if (auto s = parse_inline_exports(ExternKind::Table, f.index); !s) return s;
  if (f.imported) {
    auto imp = parse_inline_import();
    if (!imp) return imp.take_error();
    imp->kind = ExternKind::Table;
    auto t = parse_table_type();
    if (!t) return t.take_error();
    imp->table = *t;
    m_.imports.push_back(std::move(*imp));
    return expect(Tok::RParen);
  }
  if (peek().kind == Tok::Keyword) {  // reftype (elem ...)
    auto r = parse_reftype();
    if (!r) return r.take_error();
    if (!at_sexpr("elem")) return at(Tok::LParen) ? unexpected_token(ts_, peek(1)) : unexpected();
    p_ += 2;
    BuiltElem e;
    e.mode = SegmentMode::Active;
    e.table = f.index;
    e.type = *r;
    e.offset = {0x41, 0x00, 0x0B};
    if (at(Tok::LParen)) {
      while (!at(Tok::RParen)) {
        auto item = parse_elem_item();
        if (!item) return item.take_error();
        e.items.push_back(std::move(*item));
      }
    } else {
      while (!at(Tok::RParen)) {
        auto x = resolve(kFuncs);
        if (!x) return x.take_error();
        Bytes item = {0xD2};
        put_u32(item, *x);
        item.push_back(0x0B);
        e.items.push_back(std::move(item));
      }
    }
    ++p_;
    TableType t;
    t.elem = *r;
    t.limits.min = t.limits.max = e.items.size();
    t.limits.has_max = true;
    m_.tables.push_back(t);
    m_.elems.push_back(std::move(e));
    return expect(Tok::RParen);
  }
  auto t = parse_table_type();
  if (!t) return t.take_error();
  m_.tables.push_back(*t);
  return expect(Tok::RParen);
}

Status WatParser::parse_memory_field(const Field& f) {
  p_ += 2;
  take_id();
  if (auto s = parse_inline_exports(ExternKind::Memory, f.index); !s) return s;
  if (f.imported) {
    auto imp = parse_inline_import();
    if (!imp) return imp.take_error();
    imp->kind = ExternKind::Memory;
    auto l = parse_limits();
    if (!l) return l.take_error();
    imp->memory.limits = *l;
    m_.imports.push_back(std::move(*imp));
    return expect(Tok::RParen);
  }
  if (at_sexpr("data")) {
    p_ += 2;
    BuiltData d;
    d.mode = SegmentMode::Active;
    d.memory = f.index;
    d.offset = {0x41, 0x00, 0x0B};
    while (at(Tok::String)) append_string(text(ts_.toks[p_++]), d.bytes);
    if (auto s = expect(Tok::RParen); !s) return s;
    MemoryType mt;
    mt.limits.min = mt.limits.max = (d.bytes.size() + kPageSize - 1) / kPageSize;
    mt.limits.has_max = true;
    m_.memories.push_back(mt);
    m_.datas.push_back(std::move(d));
    return expect(Tok::RParen);
  }
  auto l = parse_limits();
  if (!l) return l.take_error();
  MemoryType mt;
  mt.limits = *l;
  m_.memories.push_back(mt);
  return expect(Tok::RParen);
}

Status WatParser::parse_global_field(const Field& f) {
  p_ += 2;
  take_id();
  if (auto s = parse_inline_exports(ExternKind::Global, f.index); !s) return s;
  if (f.imported) {
    auto imp = parse_inline_import();
    if (!imp) return imp.take_error();
    imp->kind = ExternKind::Global;
    auto g = parse_global_type();
    if (!g) return g.take_error();
    imp->global = *g;
    m_.imports.push_back(std::move(*imp));
    return expect(Tok::RParen);
  }
  BuiltGlobal g;
  auto gt = parse_global_type();
  if (!gt) return gt.take_error();
  g.type = *gt;
  clear_labels();
  if (auto s = parse_expr(g.init); !s) return s;
  m_.globals.push_back(std::move(g));
  return expect(Tok::RParen);
}

Status WatParser::parse_export_field() {
  p_ += 2;
  auto name = parse_name();
  if (!name) return name.take_error();
  if (!at(Tok::LParen)) return unexpected();
  const Token& kind_tok = peek(1);
  std::string_view kind = text(kind_tok);
  ExternKind k;
  Space s;
  if (kind_tok.kind != Tok::Keyword) return unexpected_token(ts_, kind_tok);
  if (kind == "func") k = ExternKind::Func, s = kFuncs;
  else if (kind == "table") k = ExternKind::Table, s = kTables;
  else if (kind == "memory") k = ExternKind::Memory, s = kMemories;
  else if (kind == "global") k = ExternKind::Global, s = kGlobals;
  else return unexpected_token(ts_, kind_tok);
  p_ += 2;
  auto x = resolve(s);
  if (!x) return x.take_error();
  m_.exports.push_back({std::move(*name), k, *x});
  if (auto st = expect(Tok::RParen); !st) return st;
  return expect(Tok::RParen);
}

Status WatParser::parse_start_field() {
  const Token& start = peek();
  p_ += 2;
  auto x = resolve(kFuncs);
  if (!x) return x.take_error();
  if (seen_start_) return err(start, "multiple start sections");
  seen_start_ = true;
  m_.has_start = true;
  m_.start = *x;
  return expect(Tok::RParen);
}

// ---- entry points ----------------------------------------------------------

Result<BuiltModule> parse_module_fields(const TokenStream& ts, size_t& pos) {
  WatParser p(ts, pos);
  auto r = p.run();
  pos = p.pos();
  return r;
}

Result<Bytes> parse_module_sexpr(const TokenStream& ts, size_t& pos, bool with_names) {
  pos += 2;  // `(module`
  std::string_view id;
  if (pos < ts.toks.size() && ts.toks[pos].kind == Tok::Id) id = ts.text(ts.toks[pos++]);
  auto m = parse_module_fields(ts, pos);
  if (!m) return m.take_error();
  if (ts.toks[pos].kind != Tok::RParen) return unexpected_token(ts, ts.toks[pos]);
  ++pos;
  if (!id.empty()) m->module_name = std::string(id.substr(1));
  return write_binary(*m, with_names);
}

Result<std::vector<uint8_t>> parse_v128_literal(std::string_view text) {
  auto ts = lex(text);
  if (!ts) return ts.take_error();
  WatParser p(*ts, 0);
  Bytes out;
  if (auto st = p.v128_literal(out); !st) return st.take_error();
  return out;
}

Result<std::vector<uint8_t>> parse_wat(std::string_view text, const WatOptions& opts) {
  auto ts = lex(text);
  if (!ts) return ts.take_error();
  size_t pos = 0;
  const auto& toks = ts->toks;
  Result<Bytes> bytes = Bytes{};
  if (toks.size() > 1 && toks[0].kind == Tok::LParen && toks[1].kind == Tok::Keyword &&
      ts->text(toks[1]) == "module") {
    bytes = parse_module_sexpr(*ts, pos, opts.names);
  } else {
    auto m = parse_module_fields(*ts, pos);
    if (!m) return m.take_error();
    bytes = write_binary(*m, opts.names);
  }
  if (!bytes) return bytes.take_error();
  if (toks[pos].kind != Tok::Eof) return unexpected_token(*ts, toks[pos]);
  return std::move(*bytes);
}

}  // namespace wisp::text
