// .wast scripts. The whole script is lexed once; text modules are parsed in
// place from the same token stream, so their errors carry script lines.
#include <string>

#include "runtime/text/lexer.hpp"
#include "runtime/text/numbers.hpp"
#include "runtime/text/wast.hpp"
#include "runtime/text/wat.hpp"
#include "runtime/text/wat_parser.hpp"

namespace wisp::text {
namespace {

bool is_module_field(std::string_view kw) {
  for (const char* f : {"type", "import", "func", "table", "memory", "global", "export", "start", "elem", "data"})
    if (kw == f) return true;
  return false;
}

class WastParser {
 public:
  explicit WastParser(const TokenStream& ts) : ts_(ts) {}

  Result<Script> run() {
    Script script;
    if (at(Tok::LParen) && peek(1).kind == Tok::Keyword && is_module_field(text(peek(1)))) {
      // A script may be just the fields of one module.
      Command c;
      c.kind = Command::Module;
      c.line = c.module.line = line();
      c.has_module = true;
      size_t pos = p_;
      auto built = parse_module_fields(ts_, pos);
      if (!built) return built.take_error();
      if (ts_.toks[pos].kind != Tok::Eof) return unexpected_token(ts_, ts_.toks[pos]);
      c.module.bytes = write_binary(*built);
      c.module.source_end = ts_.src.size();
      script.commands.push_back(std::move(c));
      return script;
    }
    while (!at(Tok::Eof)) {
      auto c = parse_command();
      if (!c) return c.take_error();
      script.commands.push_back(std::move(*c));
    }
    return script;
  }

 private:
  const Token& peek(size_t k = 0) const {
    size_t i = p_ + k;
    return i < ts_.toks.size() ? ts_.toks[i] : ts_.toks.back();
  }
  std::string_view text(const Token& t) const { return ts_.text(t); }
  bool at(Tok k) const { return peek().kind == k; }
  bool at_sexpr(std::string_view kw) const {
    return peek().kind == Tok::LParen && peek(1).kind == Tok::Keyword && text(peek(1)) == kw;
  }
  Error err(const Token& t, std::string msg) const { return text_error(ts_.src, t.begin, std::move(msg)); }
  Error unexpected() const { return unexpected_token(ts_, peek()); }
  // Commands only move forward, so lines are counted incrementally.
  size_t line() {
    size_t target = peek().begin;
    if (target < line_pos_) line_pos_ = 0, line_no_ = 1;
    for (; line_pos_ < target; ++line_pos_)
      if (ts_.src[line_pos_] == '\n') ++line_no_;
    return line_no_;
  }

  Status expect(Tok k) {
    if (!at(k)) return unexpected();
    ++p_;
    return ok_status();
  }

  // Index of the token just past the s-expression starting at p_.
  Result<size_t> sexpr_end() const {
    size_t i = p_;
    size_t depth = 0;
    do {
      const Token& t = ts_.toks[i];
      if (t.kind == Tok::LParen) ++depth;
      else if (t.kind == Tok::RParen) --depth;
      else if (t.kind == Tok::Eof) return unexpected_token(ts_, t);
      ++i;
    } while (depth > 0);
    return i;
  }

  Result<std::string> parse_string() {
    if (!at(Tok::String)) return unexpected();
    return decode_string(text(ts_.toks[p_++]));
  }

  Result<std::string> parse_name() {
    const Token& t = peek();
    auto s = parse_string();
    if (s && !is_valid_utf8(*s)) return err(t, "malformed UTF-8 encoding");
    return s;
  }

  std::string take_id() {
    if (!at(Tok::Id)) return {};
    return std::string(text(ts_.toks[p_++]));
  }

  // `(module ...)` in any of its forms. Text modules that fail to encode are
  // recorded, not fatal: the script goes on after the module's `)`.
  Result<ScriptModule> parse_module() {
    ScriptModule m;
    m.line = line();
    if (!at_sexpr("module")) return unexpected();
    auto end = sexpr_end();
    if (!end) return end.take_error();
    size_t start = p_;
    m.source_begin = ts_.toks[start].begin;
    m.source_end = ts_.toks[*end - 1].begin + 1;
    p_ += 2;
    // 3.0's `module definition` / `module instance`: read the module, ignore the keyword.
    if (peek().kind == Tok::Keyword && (text(peek()) == "definition" || text(peek()) == "instance")) ++p_;
    m.name = take_id();
    if (peek().kind == Tok::Keyword && (text(peek()) == "binary" || text(peek()) == "quote")) {
      bool binary = text(peek()) == "binary";
      ++p_;
      m.form = binary ? ScriptModule::Binary : ScriptModule::Quote;
      std::string s;
      while (at(Tok::String)) append_string(text(ts_.toks[p_++]), s);
      if (auto st = expect(Tok::RParen); !st) return st.take_error();
      if (binary) m.bytes.assign(s.begin(), s.end());
      else m.quote = std::move(s);
      return m;
    }
    // parse_module_sexpr wants `(module $id?`; the id was consumed above.
    size_t pos = start;
    if (ts_.toks[start + 2].kind == Tok::Keyword) {
      // `(module definition $id? ...)`: parse fields directly.
      pos = p_;
      auto built = parse_module_fields(ts_, pos);
      if (built && ts_.toks[pos].kind == Tok::RParen) m.bytes = write_binary(*built);
      else if (!built) m.failed = true, m.error = built.take_error();
      else m.failed = true, m.error = unexpected_token(ts_, ts_.toks[pos]);
    } else {
      auto bytes = parse_module_sexpr(ts_, pos);
      if (bytes) {
        m.bytes = std::move(*bytes);
      } else {
        m.failed = true;
        m.error = bytes.take_error();
      }
    }
    p_ = *end;
    return m;
  }

  Result<Value> parse_const(Expected* expected) {
    Value v;
    if (!at(Tok::LParen) || peek(1).kind != Tok::Keyword) return unexpected();
    const Token& op_tok = peek(1);
    std::string_view op = text(op_tok);
    p_ += 2;
    auto number = [&](auto parse, uint64_t& out) -> Status {
      const Token& t = peek();
      if (t.kind != Tok::Number && t.kind != Tok::Keyword) return unexpected();
      NumResult r = parse(text(t), out);
      if (r == NumResult::Syntax) return unexpected();
      if (r == NumResult::Range) return err(t, "constant out of range");
      ++p_;
      return ok_status();
    };
    auto nan_pattern = [&]() -> NanPattern {
      if (!expected || peek().kind != Tok::Keyword) return NanPattern::None;
      std::string_view s = text(peek());
      if (s == "nan:canonical") return ++p_, NanPattern::Canonical;
      if (s == "nan:arithmetic") return ++p_, NanPattern::Arithmetic;
      return NanPattern::None;
    };
    auto p32 = [](std::string_view s, uint64_t& out) {
      uint32_t b;
      NumResult r = parse_f32(s, b);
      out = b;
      return r;
    };
    auto p64 = [](std::string_view s, uint64_t& out) { return parse_f64(s, out); };
    auto pint = [](unsigned bits) {
      return [bits](std::string_view s, uint64_t& out) { return parse_int(s, bits, out); };
    };
    Status st = ok_status();
    if (op == "i32.const") {
      v.type = Value::I32;
      st = number(pint(32), v.bits);
    } else if (op == "i64.const") {
      v.type = Value::I64;
      st = number(pint(64), v.bits);
    } else if (op == "f32.const" || op == "f64.const") {
      v.type = op[1] == '3' ? Value::F32 : Value::F64;
      NanPattern n = nan_pattern();
      if (n != NanPattern::None) expected->nan = n;
      else st = v.type == Value::F32 ? number(p32, v.bits) : number(p64, v.bits);
    } else if (op == "v128.const") {
      v.type = Value::V128;
      st = parse_v128(v, expected, pint, p32, p64, number, nan_pattern);
    } else if (op == "ref.null") {
      v.type = text(peek()) == "func" ? Value::FuncRef : Value::ExternRef;
      if (!at(Tok::Keyword) || (text(peek()) != "func" && text(peek()) != "extern")) return unexpected();
      ++p_;
      v.is_null = true;
    } else if (op == "ref.extern" || op == "ref.func") {
      v.type = op == "ref.func" ? Value::FuncRef : Value::ExternRef;
      if (at(Tok::RParen) && expected) {
        expected->any_ref = true;
      } else if (v.type == Value::FuncRef && at(Tok::Id) && expected) {
        ++p_;  // a named function: only its non-nullness is checkable
        expected->any_ref = true;
      } else {
        uint64_t n;
        if (!at(Tok::Number) || parse_nat(text(peek()), n) != NumResult::Ok || n > UINT32_MAX)
          return unexpected();
        v.ref = uint32_t(n);
        ++p_;
        if (v.type == Value::FuncRef && expected) expected->any_ref = true;
      }
    } else {
      return unexpected_token(ts_, op_tok);
    }
    if (!st) return st.take_error();
    if (auto s = expect(Tok::RParen); !s) return s.take_error();
    return v;
  }

  template <class PInt, class P32, class P64, class Num, class Nan>
  Status parse_v128(Value& v, Expected* expected, PInt pint, P32 p32, P64 p64, Num number, Nan nan_pattern) {
    const Token& t = peek();
    std::string_view s = t.kind == Tok::Keyword ? text(t) : std::string_view{};
    unsigned lanes, bits;
    if (s == "i8x16") v.shape = LaneShape::I8x16, lanes = 16, bits = 8;
    else if (s == "i16x8") v.shape = LaneShape::I16x8, lanes = 8, bits = 16;
    else if (s == "i32x4") v.shape = LaneShape::I32x4, lanes = 4, bits = 32;
    else if (s == "i64x2") v.shape = LaneShape::I64x2, lanes = 2, bits = 64;
    else if (s == "f32x4") v.shape = LaneShape::F32x4, lanes = 4, bits = 32;
    else if (s == "f64x2") v.shape = LaneShape::F64x2, lanes = 2, bits = 64;
    else return unexpected();
    ++p_;
    bool is_float = s[0] == 'f';
    for (unsigned i = 0; i < lanes; ++i) {
      if (!at(Tok::Number) && !at(Tok::Keyword)) return err(peek(), "wrong number of lane literals");
      uint64_t lane = 0;
      if (is_float) {
        NanPattern n = nan_pattern();
        if (n != NanPattern::None) {
          expected->lane_nan[i] = n;
        } else if (auto st = bits == 32 ? number(p32, lane) : number(p64, lane); !st) {
          return st;
        }
      } else if (auto st = number(pint(bits), lane); !st) {
        return st;
      }
      for (unsigned b = 0; b < bits / 8; ++b) v.v128[i * (bits / 8) + b] = uint8_t(lane >> (8 * b));
    }
    return ok_status();
  }

  Result<struct Action> parse_action() {
    struct Action a;
    a.line = line();
    if (at_sexpr("invoke")) {
      a.kind = Action::Invoke;
    } else if (at_sexpr("get")) {
      a.kind = Action::Get;
    } else {
      return at(Tok::LParen) ? unexpected_token(ts_, peek(1)) : unexpected();
    }
    p_ += 2;
    a.module = take_id();
    auto field = parse_name();
    if (!field) return field.take_error();
    a.field = std::move(*field);
    if (a.kind == Action::Invoke) {
      while (at(Tok::LParen)) {
        auto v = parse_const(nullptr);
        if (!v) return v.take_error();
        a.args.push_back(std::move(*v));
      }
    }
    if (auto s = expect(Tok::RParen); !s) return s.take_error();
    return a;
  }

  Result<Command> parse_command() {
    Command c;
    c.line = line();
    if (!at(Tok::LParen) || peek(1).kind != Tok::Keyword) return unexpected();
    const Token& kw_tok = peek(1);
    std::string_view kw = text(kw_tok);
    if (kw == "module") {
      c.kind = Command::Module;
      auto m = parse_module();
      if (!m) return m.take_error();
      c.module = std::move(*m);
      c.has_module = true;
      return c;
    }
    if (kw == "invoke" || kw == "get") {
      c.kind = Command::Action;
      auto a = parse_action();
      if (!a) return a.take_error();
      c.action = std::move(*a);
      return c;
    }
    p_ += 2;
    if (kw == "register") {
      c.kind = Command::Register;
      auto name = parse_name();
      if (!name) return name.take_error();
      c.register_as = std::move(*name);
      c.register_module = take_id();
      if (auto s = expect(Tok::RParen); !s) return s.take_error();
      return c;
    }
    bool wants_module = false, wants_action = false, module_or_action = false;
    if (kw == "assert_return") c.kind = Command::AssertReturn, wants_action = true;
    else if (kw == "assert_trap") c.kind = Command::AssertTrap, module_or_action = true;
    else if (kw == "assert_exhaustion") c.kind = Command::AssertExhaustion, wants_action = true;
    else if (kw == "assert_invalid") c.kind = Command::AssertInvalid, wants_module = true;
    else if (kw == "assert_malformed") c.kind = Command::AssertMalformed, wants_module = true;
    else if (kw == "assert_unlinkable") c.kind = Command::AssertUnlinkable, wants_module = true;
    else if (kw == "assert_uninstantiable") c.kind = Command::AssertUninstantiable, wants_module = true;
    else return unexpected_token(ts_, kw_tok);
    if (module_or_action && at_sexpr("module")) wants_module = true;
    else if (module_or_action) wants_action = true;
    if (wants_module) {
      auto m = parse_module();
      if (!m) return m.take_error();
      c.module = std::move(*m);
      c.has_module = true;
    }
    if (wants_action) {
      auto a = parse_action();
      if (!a) return a.take_error();
      c.action = std::move(*a);
    }
    if (c.kind == Command::AssertReturn) {
      while (at(Tok::LParen)) {
        Expected e;
        auto v = parse_const(&e);
        if (!v) return v.take_error();
        e.value = std::move(*v);
        c.expected.push_back(std::move(e));
      }
    } else {
      auto msg = parse_string();
      if (!msg) return msg.take_error();
      c.message = std::move(*msg);
    }
    if (auto s = expect(Tok::RParen); !s) return s.take_error();
    return c;
  }

  const TokenStream& ts_;
  size_t p_ = 0;
  size_t line_pos_ = 0, line_no_ = 1;
};

}  // namespace

Result<Script> parse_wast(std::string_view text) {
  auto ts = lex(text);
  if (!ts) return ts.take_error();
  return WastParser(*ts).run();
}

Result<std::vector<uint8_t>> module_binary(const ScriptModule& m) {
  switch (m.form) {
    case ScriptModule::Quote:
      return parse_wat(m.quote);
    case ScriptModule::Text:
      if (m.failed) return m.error;
      return m.bytes;
    case ScriptModule::Binary:
      return m.bytes;
  }
  return m.bytes;
}

}  // namespace wisp::text
