// Element and data segments, and the constant expressions they carry.
#include "runtime/text/wat_parser.hpp"

namespace wisp::text {

Result<Bytes> WatParser::parse_offset_expr() {
  Bytes out;
  clear_labels();
  locals_.clear();
  if (at_sexpr("offset")) {
    p_ += 2;
    if (auto s = parse_expr(out); !s) return s.take_error();
    if (auto s = expect(Tok::RParen); !s) return s.take_error();
    return out;
  }
  if (!at(Tok::LParen)) return unexpected();
  if (auto s = parse_folded(out); !s) return s.take_error();
  out.push_back(0x0B);
  return out;
}

Result<Bytes> WatParser::parse_elem_item() {
  Bytes out;
  clear_labels();
  locals_.clear();
  if (at_sexpr("item")) {
    p_ += 2;
    if (auto s = parse_expr(out); !s) return s.take_error();
    if (auto s = expect(Tok::RParen); !s) return s.take_error();
    return out;
  }
  if (!at(Tok::LParen)) return unexpected();
  if (auto s = parse_folded(out); !s) return s.take_error();
  out.push_back(0x0B);
  return out;
}

Status WatParser::parse_elem_list(BuiltElem& e, bool allow_bare_funcs) {
  bool funcs = false;
  if (at_keyword("func")) {
    ++p_;
    funcs = true;
  } else if (at_keyword("funcref") || at_keyword("externref")) {
    auto r = parse_reftype();
    if (!r) return r.take_error();
    e.type = *r;
  } else if (allow_bare_funcs) {
    funcs = true;
  } else {
    return unexpected();
  }
  while (!at(Tok::RParen)) {
    if (funcs) {
      auto x = resolve(kFuncs);
      if (!x) return x.take_error();
      Bytes item = {0xD2};
      put_u32(item, *x);
      item.push_back(0x0B);
      e.items.push_back(std::move(item));
    } else {
      auto item = parse_elem_item();
      if (!item) return item.take_error();
      e.items.push_back(std::move(*item));
    }
  }
  return ok_status();
}

Status WatParser::parse_elem_field() {
  p_ += 2;
  take_id();
  BuiltElem e;
  bool active = false;
  if (at_keyword("declare")) {
    ++p_;
    e.mode = SegmentMode::Declarative;
  } else if (at_sexpr("table")) {
    p_ += 2;
    auto x = resolve(kTables);
    if (!x) return x.take_error();
    e.table = *x;
    if (auto s = expect(Tok::RParen); !s) return s;
    active = true;
  } else if (at(Tok::Id) || at(Tok::Number)) {  // MVP-style table index
    auto x = resolve(kTables);
    if (!x) return x.take_error();
    e.table = *x;
    active = true;
  } else if (at(Tok::LParen)) {
    active = true;
  } else {
    e.mode = SegmentMode::Passive;
  }
  if (active) {
    e.mode = SegmentMode::Active;
    auto off = parse_offset_expr();
    if (!off) return off.take_error();
    e.offset = std::move(*off);
  }
  if (auto s = parse_elem_list(e, active); !s) return s;
  m_.elems.push_back(std::move(e));
  return expect(Tok::RParen);
}

Status WatParser::parse_data_field() {
  p_ += 2;
  take_id();
  BuiltData d;
  bool active = false;
  if (at_sexpr("memory")) {
    p_ += 2;
    auto x = resolve(kMemories);
    if (!x) return x.take_error();
    d.memory = *x;
    if (auto s = expect(Tok::RParen); !s) return s;
    active = true;
  } else if (at(Tok::Id) || at(Tok::Number)) {
    auto x = resolve(kMemories);
    if (!x) return x.take_error();
    d.memory = *x;
    active = true;
  } else if (at(Tok::LParen)) {
    active = true;
  }
  if (active) {
    d.mode = SegmentMode::Active;
    auto off = parse_offset_expr();
    if (!off) return off.take_error();
    d.offset = std::move(*off);
  }
  while (at(Tok::String)) append_string(text(ts_.toks[p_++]), d.bytes);
  m_.datas.push_back(std::move(d));
  return expect(Tok::RParen);
}

}  // namespace wisp::text
