// Byte-level helpers shared by the text front end's encoders.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

namespace wisp::text {

using Bytes = std::vector<uint8_t>;

inline void put_u32(Bytes& out, uint64_t v) {  // unsigned LEB128, minimal
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    if (v) b |= 0x80;
    out.push_back(b);
  } while (v);
}

inline void put_s64(Bytes& out, int64_t v) {  // signed LEB128, minimal
  while (true) {
    uint8_t b = v & 0x7F;
    v >>= 7;  // arithmetic shift
    bool done = (v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40));
    if (!done) b |= 0x80;
    out.push_back(b);
    if (done) return;
  }
}

inline void put_fixed(Bytes& out, uint64_t bits, unsigned bytes) {  // little endian
  for (unsigned i = 0; i < bytes; ++i) out.push_back(uint8_t(bits >> (8 * i)));
}

inline void put_name(Bytes& out, std::string_view s) {
  put_u32(out, s.size());
  out.insert(out.end(), s.begin(), s.end());
}

inline void put_bytes(Bytes& out, const Bytes& b) { out.insert(out.end(), b.begin(), b.end()); }

}  // namespace wisp::text
