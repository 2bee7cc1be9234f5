// Float literals. Hex floats are converted here, exactly; decimal ones go to
// std::from_chars (correctly rounded, locale independent) once the text-format
// syntax (underscores, signs) has been checked and stripped.
#include <charconv>
#include <cstring>
#include <string>

#include "runtime/text/numbers.hpp"

namespace wisp::text {
namespace {

struct Format {
  unsigned mant_bits;  // stored fraction bits: 23 or 52
  unsigned exp_bits;   // 8 or 11
};
constexpr Format kF32{23, 8};
constexpr Format kF64{52, 11};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Scans digits with single underscores between them. Calls f(digit) for each.
// Returns the number of characters consumed, or 0 (with ok=false) on a bad
// underscore; an empty run is allowed and returns 0 with ok=true.
template <class F>
size_t scan_digits(std::string_view s, bool hex, bool& ok, F&& f) {
  size_t i = 0;
  bool prev_digit = false;
  ok = true;
  while (i < s.size()) {
    char c = s[i];
    if (c == '_') {
      if (!prev_digit) { ok = false; return 0; }
      prev_digit = false;
      ++i;
      continue;
    }
    int d = hex ? hex_digit(c) : (c >= '0' && c <= '9' ? c - '0' : -1);
    if (d < 0) break;
    f(d);
    prev_digit = true;
    ++i;
  }
  if (i > 0 && !prev_digit) ok = false;  // trailing underscore
  return i;
}

// Parses the decimal exponent digits (after e/p and sign), saturating.
bool parse_exponent(std::string_view s, int64_t& out) {
  bool ok;
  int64_t v = 0;
  size_t n = scan_digits(s, false, ok, [&](int d) {
    if (v < 1'000'000'000'000) v = v * 10 + d;
  });
  if (!ok || n == 0 || n != s.size()) return false;
  out = v;
  return true;
}

// Rounds m * 2^e (plus a sticky bit for discarded nonzero digits) to the
// format, ties to even. Returns the bits without sign, or Range on overflow.
NumResult round_binary(uint64_t m, int64_t e, bool sticky, Format f, uint64_t& out) {
  if (m == 0) {
    out = 0;
    return NumResult::Ok;
  }
  const int p = int(f.mant_bits) + 1;
  const int64_t bias = (int64_t(1) << (f.exp_bits - 1)) - 1;
  const int64_t emin = 1 - bias;
  int b = 64 - __builtin_clzll(m);
  int64_t E = e + b - 1;  // exponent of the leading bit
  if (E > bias + 1) return NumResult::Range;
  int64_t lsb = (E > emin ? E : emin) - (p - 1);
  int64_t shift = lsb - e;
  uint64_t q;
  if (shift <= 0) {
    q = m << -shift;  // exact, fits: the value has at most p bits above lsb
  } else {
    bool round = false, rest = sticky;
    if (shift > 64) {
      q = 0;
      rest = true;  // m != 0
    } else if (shift == 64) {
      q = 0;
      round = (m >> 63) & 1;
      rest = rest || (m << 1) != 0;
    } else {
      q = m >> shift;
      round = (m >> (shift - 1)) & 1;
      uint64_t below = shift >= 2 ? m & ((uint64_t(1) << (shift - 1)) - 1) : 0;
      rest = rest || below != 0;
    }
    if (round && (rest || (q & 1))) ++q;
  }
  if (q >> p) {  // rounding carried into a new bit
    q >>= 1;
    ++lsb;
  }
  if (q >> (p - 1)) {
    int64_t biased = lsb + (p - 1) + bias;
    if (biased >= 2 * bias + 1) return NumResult::Range;
    out = (uint64_t(biased) << f.mant_bits) | (q & ((uint64_t(1) << f.mant_bits) - 1));
  } else {
    out = q;  // subnormal (or zero after rounding)
  }
  return NumResult::Ok;
}

NumResult parse_hex(std::string_view s, Format f, uint64_t& out) {
  uint64_t m = 0;
  int64_t e = 0;
  bool sticky = false;
  bool ok;
  auto take = [&](int d, bool frac) {
    if (m >> 56) {  // keep 60 significant bits, fold the rest into sticky
      if (d) sticky = true;
      if (!frac) e += 4;
    } else {
      m = m * 16 + uint64_t(d);
      if (frac) e -= 4;
    }
  };
  size_t n = scan_digits(s, true, ok, [&](int d) { take(d, false); });
  if (!ok || n == 0) return NumResult::Syntax;
  s.remove_prefix(n);
  if (!s.empty() && s[0] == '.') {
    s.remove_prefix(1);
    n = scan_digits(s, true, ok, [&](int d) { take(d, true); });
    if (!ok) return NumResult::Syntax;
    s.remove_prefix(n);
  }
  if (!s.empty() && (s[0] == 'p' || s[0] == 'P')) {
    s.remove_prefix(1);
    bool neg = false;
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
      neg = s[0] == '-';
      s.remove_prefix(1);
    }
    int64_t x;
    if (!parse_exponent(s, x)) return NumResult::Syntax;
    e += neg ? -x : x;
    s = {};
  }
  if (!s.empty()) return NumResult::Syntax;
  return round_binary(m, e, sticky, f, out);
}

template <class T>
NumResult from_chars_checked(const std::string& clean, int64_t magnitude, uint64_t& out) {
  T v{};
  auto r = std::from_chars(clean.data(), clean.data() + clean.size(), v, std::chars_format::general);
  if (r.ec == std::errc::result_out_of_range) {
    // from_chars does not say which way; the decimal magnitude does.
    if (magnitude > 0) return NumResult::Range;
    out = 0;
    return NumResult::Ok;
  }
  if (r.ec != std::errc() || r.ptr != clean.data() + clean.size()) return NumResult::Syntax;
  if constexpr (sizeof(T) == 4) {
    uint32_t b;
    std::memcpy(&b, &v, 4);
    out = b;
  } else {
    std::memcpy(&out, &v, 8);
  }
  return NumResult::Ok;
}

NumResult parse_decimal(std::string_view s, Format f, uint64_t& out) {
  std::string clean;
  clean.reserve(s.size());
  bool ok;
  bool nonzero = false;
  int64_t int_digits = 0;      // digits before the point, leading zeros excluded
  int64_t lead_frac_zeros = 0; // zeros right after the point before any nonzero
  size_t n = scan_digits(s, false, ok, [&](int d) {
    clean += char('0' + d);
    if (d || nonzero) ++int_digits;
    if (d) nonzero = true;
  });
  if (!ok || n == 0) return NumResult::Syntax;
  s.remove_prefix(n);
  if (!s.empty() && s[0] == '.') {
    clean += '.';
    s.remove_prefix(1);
    n = scan_digits(s, false, ok, [&](int d) {
      clean += char('0' + d);
      if (!nonzero && d == 0) ++lead_frac_zeros;
      if (d) nonzero = true;
    });
    if (!ok) return NumResult::Syntax;
    s.remove_prefix(n);
  }
  int64_t x = 0;
  if (!s.empty() && (s[0] == 'e' || s[0] == 'E')) {
    s.remove_prefix(1);
    bool neg = false;
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
      neg = s[0] == '-';
      s.remove_prefix(1);
    }
    if (!parse_exponent(s, x)) return NumResult::Syntax;
    if (neg) x = -x;
    s = {};
  }
  if (!s.empty()) return NumResult::Syntax;
  if (!nonzero) {
    out = 0;
    return NumResult::Ok;
  }
  // value is in [10^(mag-1), 10^mag)
  int64_t magnitude = (int_digits > 0 ? int_digits : -lead_frac_zeros) + x;
  if (magnitude > 400) return NumResult::Range;
  if (magnitude < -400) {
    out = 0;
    return NumResult::Ok;
  }
  clean += 'e';
  clean += std::to_string(x);
  return f.mant_bits == 23 ? from_chars_checked<float>(clean, magnitude, out)
                           : from_chars_checked<double>(clean, magnitude, out);
}

NumResult parse_float(std::string_view s, Format f, uint64_t& out) {
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  const uint64_t sign = uint64_t(neg) << (f.mant_bits + f.exp_bits);
  const uint64_t exp_all = ((uint64_t(1) << f.exp_bits) - 1) << f.mant_bits;
  const uint64_t mant_mask = (uint64_t(1) << f.mant_bits) - 1;
  uint64_t bits;
  NumResult r;
  if (s == "inf") {
    bits = exp_all;
    r = NumResult::Ok;
  } else if (s == "nan") {
    bits = exp_all | (uint64_t(1) << (f.mant_bits - 1));
    r = NumResult::Ok;
  } else if (s.substr(0, 6) == "nan:0x") {
    uint64_t payload;
    r = parse_nat(s.substr(4), payload);
    if (r == NumResult::Ok && (payload == 0 || payload > mant_mask)) r = NumResult::Range;
    bits = exp_all | (payload & mant_mask);
  } else if (s.size() > 2 && s[0] == '0' && s[1] == 'x') {
    r = parse_hex(s.substr(2), f, bits);
  } else {
    r = parse_decimal(s, f, bits);
  }
  if (r == NumResult::Ok) out = sign | bits;
  return r;
}

}  // namespace

NumResult parse_f32(std::string_view s, uint32_t& bits) {
  uint64_t b = 0;
  NumResult r = parse_float(s, kF32, b);
  bits = uint32_t(b);
  return r;
}

NumResult parse_f64(std::string_view s, uint64_t& bits) { return parse_float(s, kF64, bits); }

}  // namespace wisp::text
