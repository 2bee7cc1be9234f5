// Helpers for the text front end's tests: hex rendering and picking parts of
// an encoded module, so each case states only the bytes it is about.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/text/wat.hpp"

namespace wisp::text::testing {

inline std::string hex(const std::vector<uint8_t>& b, size_t from = 0, size_t to = SIZE_MAX) {
  std::string s;
  char buf[4];
  for (size_t i = from; i < b.size() && i < to; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", b[i]);
    if (!s.empty()) s += ' ';
    s += buf;
  }
  return s;
}

// The whole module as hex, or "error: <message>".
inline std::string wat(std::string_view src) {
  auto r = parse_wat(src);
  if (!r) return "error: " + r.error().message;
  return hex(*r);
}

// The error message, or "ok" if the text encodes.
inline std::string wat_error(std::string_view src) {
  auto r = parse_wat(src);
  return r ? "ok" : r.error().message;
}

inline uint64_t read_u32(const std::vector<uint8_t>& b, size_t& i) {
  uint64_t v = 0;
  for (unsigned shift = 0; i < b.size(); shift += 7) {
    uint8_t byte = b[i++];
    v |= uint64_t(byte & 0x7F) << shift;
    if (!(byte & 0x80)) break;
  }
  return v;
}

// Payload of the first section with this id, as hex ("" if absent; "error: ..."
// if the text does not encode).
inline std::string section(std::string_view src, uint8_t id) {
  auto r = parse_wat(src);
  if (!r) return "error: " + r.error().message;
  const auto& b = *r;
  size_t i = 8;
  while (i < b.size()) {
    uint8_t sid = b[i++];
    size_t size = read_u32(b, i);
    if (sid == id) return hex(b, i, i + size);
    i += size;
  }
  return "";
}

// Instructions of function `index`'s body (locals vector skipped, final end
// kept), as hex.
inline std::string code(std::string_view src, size_t index = 0) {
  auto r = parse_wat(src);
  if (!r) return "error: " + r.error().message;
  const auto& b = *r;
  size_t i = 8;
  while (i < b.size()) {
    uint8_t sid = b[i++];
    size_t size = read_u32(b, i);
    if (sid != 10) {
      i += size;
      continue;
    }
    size_t count = read_u32(b, i);
    for (size_t f = 0; f < count; ++f) {
      size_t body = read_u32(b, i);
      size_t end = i + body;
      if (f == index) {
        size_t groups = read_u32(b, i);
        for (size_t g = 0; g < groups; ++g) {
          read_u32(b, i);
          ++i;
        }
        return hex(b, i, end);
      }
      i = end;
    }
  }
  return "no such function";
}

}  // namespace wisp::text::testing
