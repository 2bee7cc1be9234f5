// Token-level pieces of the WAT parser: error wording, literals, value
// types, limits, and the name tables of the index spaces.
#include <string>

#include "runtime/text/numbers.hpp"
#include "runtime/text/wat_parser.hpp"
#include "runtime/wasm/unsupported.hpp"

namespace wisp::text {
namespace {

const char* const kSpaceNames[kSpaceCount] = {"type",   "function",     "table",       "memory",
                                              "global", "elem segment", "data segment"};
const char* const kDuplicateNames[kSpaceCount] = {"type", "func", "table", "memory",
                                                  "global", "elem", "data"};

bool is_number_like(std::string_view s) {
  uint64_t i;
  uint64_t f;
  return parse_int(s, 64, i) != NumResult::Syntax || parse_f64(s, f) != NumResult::Syntax;
}

}  // namespace

bool is_known_keyword(std::string_view kw) {
  static const char* const kKeywords[] = {
      "module", "type", "func", "param", "result", "local", "import", "export", "table", "memory",
      "global", "elem", "data", "start", "mut", "funcref", "externref", "i32", "i64", "f32", "f64",
      "v128", "then", "offset", "item", "declare", "extern", "i8x16", "i16x8", "i32x4", "i64x2",
      "f32x4", "f64x2", "inf", "nan", "nan:canonical", "nan:arithmetic", "quote", "binary",
      "register", "invoke", "get", "assert_return", "assert_trap", "assert_exhaustion",
      "assert_invalid", "assert_malformed", "assert_unlinkable", "assert_uninstantiable",
      "ref.extern", "ref.host"};
  for (const char* k : kKeywords)
    if (kw == k) return true;
  if (op_from_text(kw)) return true;
  auto has_nat_suffix = [&](std::string_view prefix) {
    uint64_t v;
    return kw.substr(0, prefix.size()) == prefix && parse_nat(kw.substr(prefix.size()), v) != NumResult::Syntax;
  };
  if (has_nat_suffix("offset=") || has_nat_suffix("align=")) return true;
  if (kw.substr(0, 4) == "nan:" || kw == "inf" || kw == "nan") return is_number_like(kw);
  return false;
}

std::string unknown_operator(std::string_view name) {
  std::string msg = "unknown operator " + std::string(name);
  if (auto u = unsupported_instruction(name)) msg += std::string(": not supported yet (") + u->feature + ")";
  return msg;
}

Error unexpected_token(const TokenStream& ts, const Token& t) {
  std::string_view s = ts.text(t);
  switch (t.kind) {
    case Tok::Eof:
      return text_error(ts.src, t.begin, "unexpected end");
    case Tok::Reserved:
      return text_error(ts.src, t.begin, unknown_operator(s));
    case Tok::Number:
      if (!is_number_like(s)) return text_error(ts.src, t.begin, unknown_operator(s));
      break;
    case Tok::Keyword:
      if (!is_known_keyword(s)) return text_error(ts.src, t.begin, unknown_operator(s));
      break;
    default:
      break;
  }
  return text_error(ts.src, t.begin, "unexpected token");
}

// ---- token helpers ---------------------------------------------------------

Status WatParser::expect(Tok k) {
  if (!at(k)) return unexpected();
  ++p_;
  return ok_status();
}

Status WatParser::expect_keyword(std::string_view kw) {
  if (!at_keyword(kw)) return unexpected();
  ++p_;
  return ok_status();
}

Status WatParser::skip_sexpr() {
  size_t depth = 0;
  do {
    switch (peek().kind) {
      case Tok::LParen: ++depth; break;
      case Tok::RParen: --depth; break;
      case Tok::Eof: return unexpected();
      default: break;
    }
    ++p_;
  } while (depth > 0);
  return ok_status();
}

// ---- literals and names ----------------------------------------------------

Result<uint32_t> WatParser::parse_u32(const char* range_msg) {
  const Token& t = peek();
  if (t.kind != Tok::Number) return unexpected();
  uint64_t v;
  switch (parse_nat(text(t), v)) {
    case NumResult::Syntax: return unexpected();
    case NumResult::Range: return err(t, range_msg);
    case NumResult::Ok: break;
  }
  if (v > UINT32_MAX) return err(t, range_msg);
  ++p_;
  return uint32_t(v);
}

Result<uint64_t> WatParser::parse_int_lit(unsigned bits) {
  const Token& t = peek();
  if (t.kind != Tok::Number) return unexpected();
  uint64_t v;
  switch (parse_int(text(t), bits, v)) {
    case NumResult::Syntax: return unexpected();
    case NumResult::Range: return err(t, "constant out of range");
    case NumResult::Ok: break;
  }
  ++p_;
  return v;
}

Result<std::string> WatParser::parse_name() {
  const Token& t = peek();
  if (t.kind != Tok::String) return unexpected();
  std::string s = decode_string(text(t));
  if (!is_valid_utf8(s)) return err(t, "malformed UTF-8 encoding");
  ++p_;
  return s;
}

Result<ValType> WatParser::parse_valtype() {
  const Token& t = peek();
  if (t.kind == Tok::Keyword) {
    std::string_view s = text(t);
    ValType v = ValType::Unknown;
    if (s == "i32") v = ValType::I32;
    else if (s == "i64") v = ValType::I64;
    else if (s == "f32") v = ValType::F32;
    else if (s == "f64") v = ValType::F64;
    else if (s == "v128") v = ValType::V128;
    else if (s == "funcref") v = ValType::FuncRef;
    else if (s == "externref") v = ValType::ExternRef;
    if (v != ValType::Unknown) {
      ++p_;
      return v;
    }
  }
  return unexpected();
}

Result<ValType> WatParser::parse_reftype() {
  if (at_keyword("funcref")) {
    ++p_;
    return ValType(ValType::FuncRef);
  }
  if (at_keyword("externref")) {
    ++p_;
    return ValType(ValType::ExternRef);
  }
  return unexpected();
}

Result<Limits> WatParser::parse_limits() {
  Limits l;
  if (at_keyword("i64")) return err(peek(), "i64: not supported yet (64-bit memories and tables, memory64)");
  if (at_keyword("i32")) ++p_;  // the default index type, written out
  auto min = parse_u32();
  if (!min) return min.take_error();
  l.min = *min;
  if (at(Tok::Number)) {
    auto max = parse_u32();
    if (!max) return max.take_error();
    l.max = *max;
    l.has_max = true;
  }
  if (at_keyword("shared")) return err(peek(), "shared: not supported (shared memories, threads)");
  return l;
}

std::string_view WatParser::take_id() {
  if (!at(Tok::Id)) return {};
  return text(ts_.toks[p_++]);
}

Status WatParser::bind(Space s, std::string_view id, uint32_t index, const Token& at) {
  if (id.empty()) return ok_status();
  if (!names_[s].emplace(id, index).second)
    return err(at, std::string("duplicate ") + kDuplicateNames[s] + " " + std::string(id));
  return ok_status();
}

Result<uint32_t> WatParser::resolve(Space s) {
  const Token& t = peek();
  if (t.kind == Tok::Id) {
    auto it = names_[s].find(text(t));
    if (it == names_[s].end())
      return err(t, std::string("unknown ") + kSpaceNames[s] + " " + std::string(text(t)));
    ++p_;
    return it->second;
  }
  return parse_u32("constant out of range");
}

}  // namespace wisp::text
