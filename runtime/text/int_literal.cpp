#include "runtime/text/numbers.hpp"

namespace wisp::text {
namespace {

int digit_value(char c, bool hex) {
  if (c >= '0' && c <= '9') return c - '0';
  if (!hex) return -1;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

NumResult parse_nat(std::string_view s, uint64_t& out) {
  bool hex = s.size() > 2 && s[0] == '0' && s[1] == 'x';
  if (hex) s.remove_prefix(2);
  if (s.empty()) return NumResult::Syntax;
  unsigned base = hex ? 16 : 10;
  uint64_t v = 0;
  bool overflow = false, prev_digit = false;
  for (char c : s) {
    if (c == '_') {
      if (!prev_digit) return NumResult::Syntax;
      prev_digit = false;
      continue;
    }
    int d = digit_value(c, hex);
    if (d < 0) return NumResult::Syntax;
    // Keep scanning after an overflow: a later bad character is a syntax
    // error, which takes precedence.
    if (v > (UINT64_MAX - uint64_t(d)) / base) overflow = true;
    else v = v * base + uint64_t(d);
    prev_digit = true;
  }
  if (!prev_digit) return NumResult::Syntax;
  if (overflow) return NumResult::Range;
  out = v;
  return NumResult::Ok;
}

NumResult parse_int(std::string_view s, unsigned bits, uint64_t& out) {
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  uint64_t mag;
  NumResult r = parse_nat(s, mag);
  if (r != NumResult::Ok) return r;
  uint64_t mask = bits == 64 ? UINT64_MAX : (uint64_t(1) << bits) - 1;
  if (neg) {
    uint64_t limit = uint64_t(1) << (bits - 1);  // |INT_MIN|
    if (mag > limit) return NumResult::Range;
    out = (0 - mag) & mask;
  } else {
    if (mag > mask) return NumResult::Range;
    out = mag;
  }
  return NumResult::Ok;
}

}  // namespace wisp::text
