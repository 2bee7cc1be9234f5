// Byte-level helpers shared by the text front end's encoders.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "runtime/wasm/leb128.hpp"

namespace wisp::text {

using Bytes = std::vector<uint8_t>;

inline void put_u32(Bytes& out, uint64_t v) { write_uleb(out, v); }  // minimal LEB128
inline void put_s64(Bytes& out, int64_t v) { write_sleb(out, v); }   // minimal LEB128

inline void put_fixed(Bytes& out, uint64_t bits, unsigned bytes) {  // little endian
  for (unsigned i = 0; i < bytes; ++i) out.push_back(uint8_t(bits >> (8 * i)));
}

inline void put_name(Bytes& out, std::string_view s) {
  put_u32(out, s.size());
  out.insert(out.end(), s.begin(), s.end());
}

inline void put_bytes(Bytes& out, const Bytes& b) { out.insert(out.end(), b.begin(), b.end()); }

}  // namespace wisp::text
