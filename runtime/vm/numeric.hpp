// Wasm numeric semantics that C++ operators do not give directly: float
// min/max/nearest, trapping and saturating truncation. Shared by the
// interpreter and (later) the JIT's out-of-line helpers.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "runtime/vm/trap.hpp"

namespace wisp::num {

template <class F>
inline F fmin(F a, F b) {
  if (std::isnan(a) || std::isnan(b)) return a + b;  // a quiet NaN
  if (a == b) return std::signbit(a) ? a : b;         // min(-0, +0) = -0
  return a < b ? a : b;
}

template <class F>
inline F fmax(F a, F b) {
  if (std::isnan(a) || std::isnan(b)) return a + b;
  if (a == b) return std::signbit(a) ? b : a;         // max(-0, +0) = +0
  return a > b ? a : b;
}

// libm's rounding functions hand a signalling NaN back unchanged; Wasm
// requires an arithmetic (quiet) NaN, which x + x produces.
template <class F>
inline F quiet(F x) { return x + x; }
template <class F>
inline F ceil(F x) { return std::isnan(x) ? quiet(x) : std::ceil(x); }
template <class F>
inline F floor(F x) { return std::isnan(x) ? quiet(x) : std::floor(x); }
template <class F>
inline F trunc(F x) { return std::isnan(x) ? quiet(x) : std::trunc(x); }
inline float nearest(float x) { return std::isnan(x) ? quiet(x) : std::nearbyintf(x); }
inline double nearest(double x) { return std::isnan(x) ? quiet(x) : std::nearbyint(x); }

// Range checks for trapping truncation, without computing trunc(x) (a
// libm call on baseline x86-64): x is in range when trunc(x) is. The
// bounds are integers and exactly representable, so comparing x in its own
// type is exact: trunc(x) < hi iff x < hi, and trunc(x) > -1 iff x > -1.
// The signed lower bound is trunc(x) >= lo, i.e. x > lo - 1; where lo - 1
// is not representable (f32 to any, f64 to i64) no value lies between it
// and lo, and x >= lo says the same.
template <class I, class F>
inline TrapKind trunc_check(F x) {
  if (std::isnan(x)) return TrapKind::InvalidConversion;
  if constexpr (std::is_signed_v<I>) {
    constexpr F lo = F(std::numeric_limits<I>::min());  // -2^(n-1)
    constexpr F hi = -lo;                               // 2^(n-1)
    bool ok;
    if constexpr (std::is_same_v<F, double> && sizeof(I) == 4)
      ok = x > lo - 1.0 && x < hi;  // -2^31 - 1 is a double
    else
      ok = x >= lo && x < hi;
    if (!ok) return TrapKind::IntegerOverflow;
  } else {
    constexpr F hi = F(std::numeric_limits<I>::max() / 2 + 1) * F(2);  // 2^n
    if (!(x > F(-1) && x < hi)) return TrapKind::IntegerOverflow;
  }
  return TrapKind::None;
}

template <class I, class F>
inline I trunc_sat(F x) {
  if (std::isnan(x)) return 0;
  if constexpr (std::is_signed_v<I>) {
    constexpr F lo = F(std::numeric_limits<I>::min());
    constexpr F hi = -lo;
    if (x < lo) return std::numeric_limits<I>::min();
    if (x >= hi) return std::numeric_limits<I>::max();
  } else {
    constexpr F hi = F(std::numeric_limits<I>::max() / 2 + 1) * F(2);
    if (x <= F(-1)) return 0;
    if (x >= hi) return std::numeric_limits<I>::max();
  }
  return I(x);
}

template <class T>
inline T rotl(T x, T n) {
  constexpr T bits = sizeof(T) * 8;
  n &= bits - 1;
  return n ? T((x << n) | (x >> (bits - n))) : x;
}
template <class T>
inline T rotr(T x, T n) {
  constexpr T bits = sizeof(T) * 8;
  n &= bits - 1;
  return n ? T((x >> n) | (x << (bits - n))) : x;
}

}  // namespace wisp::num
