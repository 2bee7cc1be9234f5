// Small shared helpers: UTF-8 checking, type names, error formatting.
#include <string>

#include "runtime/reader.hpp"
#include "runtime/result.hpp"
#include "runtime/types.hpp"

namespace wisp {

bool valid_utf8(const uint8_t* p, size_t n) {
  const uint8_t* end = p + n;
  while (p < end) {
    uint8_t c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return false;
    if (size_t(end - p) < len) return false;
    for (size_t i = 1; i < len; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    // Reject overlong forms, surrogates and code points past U+10FFFF.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000))
      return false;
    if (cp >= 0xD800 && cp <= 0xDFFF) return false;
    if (cp > 0x10FFFF) return false;
    p += len;
  }
  return true;
}

std::string_view to_string(ValType t) {
  switch (t) {
    case ValType::I32: return "i32";
    case ValType::I64: return "i64";
    case ValType::F32: return "f32";
    case ValType::F64: return "f64";
    case ValType::V128: return "v128";
    case ValType::FuncRef: return "funcref";
    case ValType::ExternRef: return "externref";
    case ValType::Unknown: return "<unknown>";
  }
  return "<bad type>";
}

std::string_view to_string(ExternKind k) {
  switch (k) {
    case ExternKind::Func: return "func";
    case ExternKind::Table: return "table";
    case ExternKind::Memory: return "memory";
    case ExternKind::Global: return "global";
  }
  return "<bad kind>";
}

std::string format_error(const Error& e) {
  std::string s;
  if (e.line) s += "line " + std::to_string(e.line) + ": ";
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
