// Small shared helpers: UTF-8 checking, type names, error formatting.
#include <string>

#include "runtime/wasm/reader.hpp"
#include "runtime/wasm/result.hpp"
#include "runtime/wasm/types.hpp"

namespace wisp {

namespace {

// Length of the well-formed UTF-8 sequence at p (1-4) with its code point,
// or 0 if the bytes there are not one.
size_t utf8_sequence(const uint8_t* p, const uint8_t* end, uint32_t& cp) {
  uint8_t c = *p;
  if (c < 0x80) {
    cp = c;
    return 1;
  }
  size_t len;
  if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
  else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
  else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
  else return 0;
  if (size_t(end - p) < len) return 0;
  for (size_t i = 1; i < len; ++i) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  // Reject overlong forms, surrogates and code points past U+10FFFF.
  if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000))
    return 0;
  if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
  if (cp > 0x10FFFF) return 0;
  return len;
}

// Code points a terminal acts on instead of showing: C0 and C1 controls,
// DEL, and the bidirectional overrides and isolates (which reorder what
// follows them on the line).
bool terminal_control(uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

void append_utf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xF0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3F));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}

bool valid_utf8(const uint8_t* p, size_t n) {
  const uint8_t* end = p + n;
  uint32_t cp;
  while (p < end) {
    if (*p < 0x80) {  // names are mostly ASCII
      ++p;
      continue;
    }
    size_t len = utf8_sequence(p, end, cp);
    if (!len) return false;
    p += len;
  }
  return true;
}

std::string printable(std::string_view text) {
  auto p = reinterpret_cast<const uint8_t*>(text.data());
  const uint8_t* end = p + text.size();
  std::string out;
  out.reserve(text.size());
  char buf[16];
  while (p < end) {
    uint32_t cp;
    size_t len = utf8_sequence(p, end, cp);
    if (len && !terminal_control(cp)) {
      out.append(reinterpret_cast<const char*>(p), len);
      p += len;
    } else if (len > 1) {  // a control code point beyond ASCII
      snprintf(buf, sizeof buf, "\\u{%x}", unsigned(cp));
      out += buf;
      p += len;
    } else {  // an ASCII control, or a byte that is not UTF-8
      snprintf(buf, sizeof buf, "\\x%02x", unsigned(*p));
      out += buf;
      ++p;
    }
  }
  return out;
}

std::string_view to_string(HeapKind h) {
  switch (h) {
    case HeapKind::Index: return "<index>";
    case HeapKind::Func: return "func";
    case HeapKind::Extern: return "extern";
    case HeapKind::Any: return "any";
    case HeapKind::Eq: return "eq";
    case HeapKind::I31: return "i31";
    case HeapKind::Struct: return "struct";
    case HeapKind::Array: return "array";
    case HeapKind::Exn: return "exn";
    case HeapKind::NoFunc: return "nofunc";
    case HeapKind::NoExtern: return "noextern";
    case HeapKind::None: return "none";
    case HeapKind::NoExn: return "noexn";
  }
  return "<bad heap type>";
}

std::string to_string(ValType t) {
  switch (t) {
    case ValType::I32: return "i32";
    case ValType::I64: return "i64";
    case ValType::F32: return "f32";
    case ValType::F64: return "f64";
    case ValType::V128: return "v128";
    case ValType::FuncRef: return "funcref";
    case ValType::ExternRef: return "externref";
    case ValType::Unknown: return "<unknown>";
    case ValType::Ref:
    case ValType::RefNull: {
      std::string s = t.nullable() ? "(ref null " : "(ref ";
      s += t.heap() == HeapKind::Index ? std::to_string(t.index()) : std::string(to_string(t.heap()));
      return s + ")";
    }
  }
  return "<bad type>";
}

std::string to_string(const FuncType& t) {
  std::string s = "(func";
  if (!t.params.empty()) {
    s += " (param";
    for (ValType v : t.params) s += " " + to_string(v);
    s += ")";
  }
  if (!t.results.empty()) {
    s += " (result";
    for (ValType v : t.results) s += " " + to_string(v);
    s += ")";
  }
  return s + ")";
}

std::string_view to_string(ExternKind k) {
  switch (k) {
    case ExternKind::Func: return "func";
    case ExternKind::Table: return "table";
    case ExternKind::Memory: return "memory";
    case ExternKind::Global: return "global";
    case ExternKind::Tag: return "tag";
  }
  return "<bad kind>";
}

std::string format_error(const Error& e) {
  std::string s;
  if (e.line) {
    s += "line " + std::to_string(e.line);
    if (e.column) s += ", column " + std::to_string(e.column);
    s += ": ";
  }
  else if (e.offset != SIZE_MAX) {
    char buf[32];
    snprintf(buf, sizeof buf, "0x%zx", e.offset);
    s += "at offset ";
    s += buf;
    s += ": ";
  }
  if (e.func >= 0) s += "in function " + std::to_string(e.func) + ": ";
  s += e.message;
  return s;
}

}  // namespace wisp
