// WAVE text to and from component values (value.hpp), driven by the type:
// the syntax alone cannot tell a bool from an enum case or a flat `some`.
// The grammar is wasm-wave's (bytecodealliance/wasm-tools, wave_ebnf.md).
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "runtime/component/value.hpp"
#include "runtime/wasm/reader.hpp"

namespace wisp::component {

namespace {

bool is_keyword(std::string_view s) {
  for (const char* k : {"true", "false", "inf", "nan", "some", "none", "ok", "err"})
    if (s == k) return true;
  return false;
}

using abi::Resolved;
using abi::resolve;

class Parser {
 public:
  Parser(std::string_view s, const abi::Types& ts) : s_(s), ts_(&ts) {}
  bool value(const ValType& t, Value& out, int depth = 0);
  bool list_of(const std::vector<ValType>& types, std::vector<Value>& out);
  bool at_end() {
    ws();
    return pos_ >= s_.size();
  }
  Error error() const { return make_error(ErrorKind::Other, err_, at_); }
  bool fail(std::string msg) {
    if (err_.empty()) {
      err_ = std::move(msg);
      at_ = pos_;
    }
    return false;
  }

 private:
  std::string_view s_;
  const abi::Types* ts_;  // the scope of the type being parsed
  size_t pos_ = 0, at_ = 0;
  std::string err_;

  void ws() {
    for (;;) {
      while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
      if (s_.substr(pos_, 2) == "//") {
        while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
        continue;
      }
      return;
    }
  }
  bool peek(char c) {
    ws();
    return pos_ < s_.size() && s_[pos_] == c;
  }
  bool eat(char c) {
    if (!peek(c)) return false;
    ++pos_;
    return true;
  }
  bool expect(char c) {
    if (eat(c)) return true;
    return fail(std::string("expected `") + c + "`");
  }
  // A label: kebab-case words, `%` before a keyword.
  bool label(std::string& out, bool& escaped) {
    ws();
    escaped = pos_ < s_.size() && s_[pos_] == '%';
    if (escaped) ++pos_;
    size_t start = pos_;
    while (pos_ < s_.size() && (isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '-')) ++pos_;
    if (pos_ == start) return fail("expected a label");
    out.assign(s_.substr(start, pos_ - start));
    return true;
  }
  // A label that is not an escaped keyword equal to kw.
  bool keyword_ahead(const char* kw) {
    ws();
    size_t n = strlen(kw);
    if (s_.substr(pos_, n) != kw) return false;
    size_t after = pos_ + n;
    return after >= s_.size() || !(isalnum(static_cast<unsigned char>(s_[after])) || s_[after] == '-');
  }
  bool number(std::string& out) {
    ws();
    size_t start = pos_;
    if (pos_ < s_.size() && s_[pos_] == '-') ++pos_;
    if (s_.substr(pos_, 3) == "inf" || s_.substr(pos_, 3) == "nan") {
      pos_ += 3;
    } else {
      size_t digits = pos_;
      while (pos_ < s_.size() && isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
      if (pos_ == digits) return fail("expected a number");
      if (pos_ < s_.size() && s_[pos_] == '.') {
        ++pos_;
        while (pos_ < s_.size() && isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
      }
      if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
        ++pos_;
        if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
        while (pos_ < s_.size() && isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
      }
    }
    out.assign(s_.substr(start, pos_ - start));
    return true;
  }
  // One character of a char or string literal (after the quote), as a code point.
  bool literal_char(uint32_t& cp) {
    if (pos_ >= s_.size()) return fail("unterminated literal");
    unsigned char c = static_cast<unsigned char>(s_[pos_]);
    if (c == '\n') return fail("a line break in a literal");
    if (c == '\\') {
      if (++pos_ >= s_.size()) return fail("unterminated escape");
      char e = s_[pos_++];
      switch (e) {
        case '\'': cp = '\''; return true;
        case '"': cp = '"'; return true;
        case '\\': cp = '\\'; return true;
        case 't': cp = '\t'; return true;
        case 'n': cp = '\n'; return true;
        case 'r': cp = '\r'; return true;
        case 'u': {
          if (pos_ >= s_.size() || s_[pos_] != '{') return fail("expected `{` after \\u");
          size_t start = ++pos_;
          while (pos_ < s_.size() && isxdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
          if (pos_ == start || pos_ - start > 6 || pos_ >= s_.size() || s_[pos_] != '}')
            return fail("malformed \\u{...} escape");
          cp = uint32_t(strtoul(std::string(s_.substr(start, pos_ - start)).c_str(), nullptr, 16));
          ++pos_;
          if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return fail("not a Unicode scalar value");
          return true;
        }
        default: return fail(std::string("unknown escape \\") + e);
      }
    }
    // UTF-8 decoding of one scalar value.
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (!n || pos_ + size_t(n) > s_.size()) return fail("malformed UTF-8");
    cp = n == 1 ? c : c & (0x7F >> n);
    for (int i = 1; i < n; ++i) {
      unsigned char k = static_cast<unsigned char>(s_[pos_ + size_t(i)]);
      if ((k & 0xC0) != 0x80) return fail("malformed UTF-8");
      cp = (cp << 6) | (k & 0x3F);
    }
    pos_ += size_t(n);
    return true;
  }
  bool prim(Prim p, Value& out);
  bool payload_of(const ValType* t, Value& out, int depth) {
    if (!t) {
      if (peek('(')) return fail("this case has no payload");
      return true;
    }
    out.items.emplace_back();
    return expect('(') && value(*t, out.items.back(), depth + 1) && expect(')');
  }
  bool sequence(char close, const std::vector<const ValType*>& types, const ValType* each, Value& out, int depth);
};

bool Parser::prim(Prim p, Value& out) {
  out.kind = Value::Kind(unsigned(p));  // Bool..String are in Prim's order
  switch (p) {
    case Prim::Bool: {
      std::string l;
      bool esc = false;
      if (!label(l, esc)) return false;
      if (esc || (l != "true" && l != "false")) return fail("expected `true` or `false`");
      out.bits = l == "true";
      return true;
    }
    case Prim::S8: case Prim::U8: case Prim::S16: case Prim::U16: case Prim::S32: case Prim::U32:
    case Prim::S64: case Prim::U64: {
      std::string n;
      if (!number(n)) return false;
      if (n.find_first_of(".eEin") != std::string::npos) return fail("expected an integer");
      static const int kBits[] = {0, 8, 8, 16, 16, 32, 32, 64, 64};
      const int bits = kBits[unsigned(p)];
      const bool sign = p == Prim::S8 || p == Prim::S16 || p == Prim::S32 || p == Prim::S64;
      errno = 0;
      if (sign) {
        long long v = strtoll(n.c_str(), nullptr, 10);
        const long long lo = bits == 64 ? INT64_MIN : -(1LL << (bits - 1));
        const long long hi = bits == 64 ? INT64_MAX : (1LL << (bits - 1)) - 1;
        if (errno || v < lo || v > hi) return fail(n + " is out of range for " + prim_name(p));
        out.bits = uint64_t(v);
      } else {
        unsigned long long v = strtoull(n.c_str(), nullptr, 10);
        const unsigned long long hi = bits == 64 ? UINT64_MAX : (1ULL << bits) - 1;
        if (errno || n[0] == '-' || v > hi) return fail(n + " is out of range for " + prim_name(p));
        out.bits = v;
      }
      return true;
    }
    case Prim::F32:
    case Prim::F64: {
      std::string n;
      if (!number(n)) return false;
      if (n == "nan" || n == "-nan") out.real = NAN;
      else if (n == "inf") out.real = INFINITY;
      else if (n == "-inf") out.real = -INFINITY;
      else out.real = strtod(n.c_str(), nullptr);
      if (p == Prim::F32) out.real = double(float(out.real));
      if (std::isinf(out.real) && n.find("inf") == std::string::npos) return fail(n + " is out of range");
      return true;
    }
    case Prim::Char: {
      uint32_t cp = 0;
      if (!expect('\'') || !literal_char(cp)) return false;
      if (pos_ >= s_.size() || s_[pos_] != '\'') return fail("expected `'`");
      ++pos_;
      out.bits = cp;
      return true;
    }
    case Prim::String: {
      if (!expect('"')) return false;
      while (pos_ < s_.size() && s_[pos_] != '"') {
        uint32_t cp = 0;
        if (!literal_char(cp)) return false;
        append_utf8(cp, out.text);
      }
      if (pos_ >= s_.size()) return fail("unterminated string");
      ++pos_;
      return true;
    }
    case Prim::ErrorContext: return fail("an error-context cannot be written as a value");
  }
  return false;
}

// Comma-separated values up to `close`: of types[i] each, or all of *each.
bool Parser::sequence(char close, const std::vector<const ValType*>& types, const ValType* each, Value& out,
                      int depth) {
  while (!eat(close)) {
    if (!out.items.empty() && !expect(',')) return false;
    if (eat(close)) break;  // a trailing comma
    const ValType* t = each ? each : out.items.size() < types.size() ? types[out.items.size()] : nullptr;
    if (!t) return fail("too many elements");
    out.items.emplace_back();
    if (!value(*t, out.items.back(), depth + 1)) return false;
  }
  if (!each && out.items.size() != types.size())
    return fail("expected " + std::to_string(types.size()) + " elements");
  return true;
}

bool Parser::value(const ValType& t, Value& out, int depth) {
  if (depth > 100) return fail("nested too deeply");
  const Resolved r = resolve(t, *ts_);
  if (r.is_prim) return prim(r.prim, out);
  const Type* d = r.def;
  if (!d) return fail("type " + std::to_string(t.idx) + " is not a value type here");
  // d's own type indices are in its scope, for the rest of this value.
  struct Rescope {
    const abi::Types*& ts;
    const abi::Types* saved;
    ~Rescope() { ts = saved; }
  } rescope{ts_, ts_};
  ts_ = r.scope;
  std::string l;
  bool esc = false;
  switch (d->kind) {
    case Type::List:
    case Type::FixedList:
      out.kind = Value::List;
      if (!expect('[') || !sequence(']', {}, &*d->a, out, depth)) return false;
      if (d->kind == Type::FixedList && out.items.size() != d->length)
        return fail("expected " + std::to_string(d->length) + " elements");
      if (abi::is_byte_list(*d, *ts_)) {  // list<u8>: its bytes in text
        for (const Value& b : out.items) out.text += char(b.bits);
        out.items.clear();
      }
      return true;
    case Type::Tuple: {
      out.kind = Value::Tuple;
      std::vector<const ValType*> types;
      for (const ValType& v : d->types) types.push_back(&v);
      return expect('(') && sequence(')', types, nullptr, out, depth);
    }
    case Type::Record: {
      out.kind = Value::Record;
      out.items.resize(d->fields.size());
      std::vector<bool> seen(d->fields.size());
      if (!expect('{')) return false;
      while (!eat('}')) {
        if (std::count(seen.begin(), seen.end(), true) && !expect(',')) return false;
        if (eat('}')) break;
        if (!label(l, esc) || !expect(':')) return false;
        size_t i = 0;
        while (i < d->fields.size() && d->fields[i].name != l) ++i;
        if (i == d->fields.size()) return fail("no field `" + l + "`");
        if (seen[i]) return fail("field `" + l + "` given twice");
        seen[i] = true;
        if (!value(d->fields[i].type, out.items[i], depth + 1)) return false;
      }
      for (size_t i = 0; i < seen.size(); ++i) {
        if (seen[i]) continue;
        // An option field may be left out: none.
        const Resolved f = resolve(d->fields[i].type, *ts_);
        if (f.def && f.def->kind == Type::Option) {
          out.items[i].kind = Value::Option;
          continue;
        }
        return fail("missing field `" + d->fields[i].name + "`");
      }
      return true;
    }
    case Type::Variant:
    case Type::Enum: {
      out.kind = d->kind == Type::Variant ? Value::Variant : Value::Enum;
      if (!label(l, esc)) return false;
      if (is_keyword(l) && !esc) return fail("`" + l + "` is a keyword: write `%" + l + "`");
      const size_t n = d->kind == Type::Variant ? d->cases.size() : d->labels.size();
      for (uint32_t i = 0; i < n; ++i) {
        const std::string& name = d->kind == Type::Variant ? d->cases[i].name : d->labels[i];
        if (name != l) continue;
        out.index = i;
        if (d->kind == Type::Enum) return true;
        return payload_of(d->cases[i].type ? &*d->cases[i].type : nullptr, out, depth);
      }
      return fail("no case `" + l + "`");
    }
    case Type::Option: {
      out.kind = Value::Option;
      if (keyword_ahead("none")) {
        label(l, esc);
        out.index = 0;
        return true;
      }
      out.index = 1;
      const Resolved inner = resolve(*d->a, *ts_);
      if (keyword_ahead("some")) {
        size_t save = pos_;
        label(l, esc);
        if (peek('(')) return payload_of(&*d->a, out, depth);
        pos_ = save;  // `some` as a value of the inner type (an enum case, say)
      }
      if (inner.def && (inner.def->kind == Type::Option || inner.def->kind == Type::Result))
        return fail("write `some(...)`: the inner type is an option or result too");
      out.items.emplace_back();
      return value(*d->a, out.items.back(), depth + 1);
    }
    case Type::Result: {
      out.kind = Value::Result;
      for (uint32_t i = 0; i < 2; ++i) {
        if (!keyword_ahead(i ? "err" : "ok")) continue;
        const std::optional<ValType>& p = i ? d->b : d->a;
        label(l, esc);
        out.index = i;
        if (!p) return payload_of(nullptr, out, depth);
        if (!peek('(')) return fail("`" + l + "` needs a payload");
        return payload_of(&*p, out, depth);
      }
      if (!d->a) return fail("expected `ok` or `err`");
      out.index = 0;  // a flat ok
      out.items.emplace_back();
      return value(*d->a, out.items.back(), depth + 1);
    }
    case Type::Flags: {
      out.kind = Value::Flags;
      if (!expect('{')) return false;
      bool first = true;
      while (!eat('}')) {
        if (!first && !expect(',')) return false;
        first = false;
        if (eat('}')) break;
        if (!label(l, esc)) return false;
        size_t i = 0;
        while (i < d->labels.size() && d->labels[i] != l) ++i;
        if (i == d->labels.size()) return fail("no flag `" + l + "`");
        out.bits |= uint64_t(1) << i;
      }
      return true;
    }
    default:
      return fail("this type (a handle, stream, future, map or function) cannot be written as a value");
  }
}

bool Parser::list_of(const std::vector<ValType>& types, std::vector<Value>& out) {
  for (size_t i = 0; i < types.size(); ++i) {
    if (i && !expect(',')) return false;
    out.emplace_back();
    if (!value(types[i], out.back())) return false;
  }
  eat(',');
  return true;
}

// ---- printing ------------------------------------------------------------------

std::string label_text(const std::string& l) { return is_keyword(l) ? "%" + l : l; }

void escaped(uint32_t cp, char quote, std::string& out) {
  switch (cp) {
    case '\\': out += "\\\\"; return;
    case '\n': out += "\\n"; return;
    case '\t': out += "\\t"; return;
    case '\r': out += "\\r"; return;
    default: break;
  }
  if (cp == uint32_t(quote)) {
    out += '\\';
    out += quote;
    return;
  }
  if (cp < 0x20 || cp == 0x7F) {
    char buf[16];
    snprintf(buf, sizeof buf, "\\u{%x}", cp);
    out += buf;
    return;
  }
  append_utf8(cp, out);
}

std::string real_text(double v, bool f32) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  char buf[40];
  for (int prec = 1; prec <= 17; ++prec) {  // the shortest text that reads back the same
    snprintf(buf, sizeof buf, "%.*g", prec, v);
    const double back = strtod(buf, nullptr);
    if (f32 ? float(back) == float(v) : back == v) break;
  }
  return buf;
}

void print(const Value& v, const ValType& t, const abi::Types& ts, std::string& out) {
  const Resolved r = resolve(t, ts);
  if (r.is_prim) {
    switch (r.prim) {
      case Prim::Bool: out += v.bits ? "true" : "false"; return;
      case Prim::S8: case Prim::S16: case Prim::S32: case Prim::S64:
        out += std::to_string(int64_t(v.bits));
        return;
      case Prim::U8: case Prim::U16: case Prim::U32: case Prim::U64: out += std::to_string(v.bits); return;
      case Prim::F32: out += real_text(v.real, true); return;
      case Prim::F64: out += real_text(v.real, false); return;
      case Prim::Char:
        out += '\'';
        escaped(uint32_t(v.bits), '\'', out);
        out += '\'';
        return;
      case Prim::String: {
        out += '"';
        // Decoded back to code points (the text is valid UTF-8).
        for (size_t i = 0; i < v.text.size();) {
          unsigned char c = static_cast<unsigned char>(v.text[i]);
          int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
          uint32_t cp = n == 1 ? c : c & (0x7F >> n);
          for (int k = 1; k < n && i + size_t(k) < v.text.size(); ++k) cp = (cp << 6) | (v.text[i + size_t(k)] & 0x3F);
          escaped(cp, '"', out);
          i += size_t(n);
        }
        out += '"';
        return;
      }
      case Prim::ErrorContext: out += "error-context"; return;
    }
  }
  const Type* d = r.def;
  if (!d) {
    out += "?";
    return;
  }
  const abi::Types& in = *r.scope;  // d's own type indices
  auto items = [&](const char* open, const char* close, auto type_of) {
    out += open;
    for (size_t i = 0; i < v.items.size(); ++i) {
      if (i) out += ", ";
      print(v.items[i], type_of(i), in, out);
    }
    out += close;
  };
  auto payload = [&](const ValType* pt) {
    if (!pt || v.items.empty()) return;
    out += "(";
    print(v.items[0], *pt, in, out);
    out += ")";
  };
  switch (d->kind) {
    case Type::List:
      if (abi::is_byte_list(*d, in)) {
        out += "[";
        for (size_t i = 0; i < v.text.size(); ++i) out += (i ? ", " : "") + std::to_string(uint8_t(v.text[i]));
        out += "]";
        return;
      }
      [[fallthrough]];
    case Type::FixedList: items("[", "]", [&](size_t) { return *d->a; }); return;
    case Type::Tuple: items("(", ")", [&](size_t i) { return d->types[i]; }); return;
    case Type::Record:
      out += "{";
      for (size_t i = 0; i < v.items.size() && i < d->fields.size(); ++i) {
        if (i) out += ", ";
        out += label_text(d->fields[i].name) + ": ";
        print(v.items[i], d->fields[i].type, in, out);
      }
      out += "}";
      return;
    case Type::Variant:
      if (v.index >= d->cases.size()) break;
      out += label_text(d->cases[v.index].name);
      payload(d->cases[v.index].type ? &*d->cases[v.index].type : nullptr);
      return;
    case Type::Enum:
      if (v.index >= d->labels.size()) break;
      out += label_text(d->labels[v.index]);
      return;
    case Type::Option:
      out += v.index ? "some" : "none";
      if (v.index) payload(&*d->a);
      return;
    case Type::Result: {
      out += v.index ? "err" : "ok";
      const std::optional<ValType>& p = v.index ? d->b : d->a;
      payload(p ? &*p : nullptr);
      return;
    }
    case Type::Flags: {
      out += "{";
      bool first = true;
      for (size_t i = 0; i < d->labels.size(); ++i) {
        if (!((v.bits >> i) & 1)) continue;
        if (!first) out += ", ";
        first = false;
        out += label_text(d->labels[i]);
      }
      out += "}";
      return;
    }
    default: break;
  }
  out += "?";
}

}  // namespace

Result<Value> parse_wave(std::string_view text, const ValType& t, const abi::Types& types) {
  Parser p(text, types);
  Value v;
  if (!p.value(t, v)) return p.error();
  if (!p.at_end()) {
    p.fail("unexpected text after the value");
    return p.error();
  }
  return v;
}

Result<std::vector<Value>> parse_wave_list(std::string_view text, const std::vector<ValType>& ts,
                                           const abi::Types& types) {
  Parser p(text, types);
  std::vector<Value> out;
  if (!p.list_of(ts, out)) return p.error();
  if (!p.at_end()) {
    p.fail(ts.empty() ? "this function takes no arguments" : "too many arguments");
    return p.error();
  }
  return out;
}

std::string to_wave(const Value& v, const ValType& t, const abi::Types& types) {
  std::string out;
  print(v, t, types, out);
  return out;
}

}  // namespace wisp::component
