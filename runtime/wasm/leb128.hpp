// LEB128 decoding with the spec's exact limits: an N-bit integer takes at
// most ceil(N/7) bytes, and the unused bits of the last byte must be zero
// (unsigned) or copies of the sign bit (signed).
#pragma once
#include <cstdint>
#include <type_traits>

namespace wisp {

enum class LebStatus : uint8_t {
  Ok,
  End,       // ran out of input
  TooLong,   // "integer representation too long"
  TooLarge,  // "integer too large"
};

inline const char* leb_message(LebStatus s) {
  switch (s) {
    case LebStatus::End: return "unexpected end";
    case LebStatus::TooLong: return "integer representation too long";
    case LebStatus::TooLarge: return "integer too large";
    default: return "ok";
  }
}

// Reads an unsigned LEB128 of at most Bits bits. On success advances p.
template <unsigned Bits, class T>
inline LebStatus read_uleb(const uint8_t*& p, const uint8_t* end, T& out) {
  static_assert(std::is_unsigned_v<T> && Bits <= sizeof(T) * 8);
  constexpr unsigned kMaxBytes = (Bits + 6) / 7;
  const uint8_t* q = p;
  if (q < end && *q < 0x80) [[likely]] {
    // The one-byte case dominates real code; its only limit is Bits < 7.
    if constexpr (Bits < 7) {
      if (*q >> Bits) return LebStatus::TooLarge;
    }
    out = *q;
    p = q + 1;
    return LebStatus::Ok;
  }
  T result = 0;
  for (unsigned i = 0; i < kMaxBytes; ++i) {
    if (q >= end) return LebStatus::End;
    uint8_t b = *q++;
    if (i == kMaxBytes - 1) {
      if (b & 0x80) return LebStatus::TooLong;
      constexpr unsigned kUsed = Bits - 7 * (kMaxBytes - 1);
      if (b >> kUsed) return LebStatus::TooLarge;
    }
    result |= T(b & 0x7F) << (7 * i);
    if (!(b & 0x80)) {
      out = result;
      p = q;
      return LebStatus::Ok;
    }
  }
  return LebStatus::TooLong;  // unreachable: the last byte returns above
}

// Reads a signed LEB128 of at most Bits bits into a signed T.
template <unsigned Bits, class T>
inline LebStatus read_sleb(const uint8_t*& p, const uint8_t* end, T& out) {
  static_assert(std::is_signed_v<T> && Bits <= sizeof(T) * 8);
  using U = std::make_unsigned_t<T>;
  constexpr unsigned kMaxBytes = (Bits + 6) / 7;
  const uint8_t* q = p;
  if (q < end && *q < 0x80) [[likely]] {
    uint8_t b = *q;
    if constexpr (Bits < 7) {
      // Sign-extend from 7 bits, then check it fits Bits.
      int v = (b & 0x40) ? int(b) - 0x80 : int(b);
      if (v < -(1 << (Bits - 1)) || v >= (1 << (Bits - 1))) return LebStatus::TooLarge;
    }
    out = T((b & 0x40) ? int(b) - 0x80 : int(b));
    p = q + 1;
    return LebStatus::Ok;
  }
  U result = 0;
  unsigned shift = 0;
  for (unsigned i = 0; i < kMaxBytes; ++i) {
    if (q >= end) return LebStatus::End;
    uint8_t b = *q++;
    if (i == kMaxBytes - 1) {
      if (b & 0x80) return LebStatus::TooLong;
      // Bits of the last byte beyond the value's width must all equal the
      // sign bit (bit kUsed-1).
      constexpr unsigned kUsed = Bits - 7 * (kMaxBytes - 1);
      if constexpr (kUsed < 7) {
        int rest = int(b) >> (kUsed - 1);  // sign bit and everything above
        if (rest != 0 && rest != (0x7F >> (kUsed - 1))) return LebStatus::TooLarge;
      }
    }
    result |= U(b & 0x7F) << shift;
    shift += 7;
    if (!(b & 0x80)) {
      if (shift < sizeof(T) * 8 && (b & 0x40)) result |= ~U(0) << shift;
      out = T(result);
      p = q;
      return LebStatus::Ok;
    }
  }
  return LebStatus::TooLong;
}

// Encoders, used by the text front end and tests.
template <class Out>
inline void write_uleb(Out& out, uint64_t v) {
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    if (v) b |= 0x80;
    out.push_back(b);
  } while (v);
}

template <class Out>
inline void write_sleb(Out& out, int64_t v) {
  bool more = true;
  while (more) {
    uint8_t b = v & 0x7F;
    v >>= 7;  // arithmetic shift
    if ((v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40))) more = false;
    else b |= 0x80;
    out.push_back(b);
  }
}

}  // namespace wisp
