// Numeric literals of the text format. Syntax errors and range errors are
// told apart because the spec tests expect different messages for them.
#pragma once
#include <cstdint>
#include <string_view>

namespace wisp::text {

enum class NumResult : uint8_t { Ok, Syntax, Range };

// nat: decimal or 0x-hex digits, `_` only between two digits. Range past 2^64-1.
NumResult parse_nat(std::string_view s, uint64_t& out);
// iN for N = 8, 16, 32 or 64: an optional sign, then a nat; any value in
// [-2^(N-1), 2^N - 1] is accepted and returned as N-bit two's complement.
NumResult parse_int(std::string_view s, unsigned bits, uint64_t& out);
// fN: decimal and hex forms, inf, nan, nan:0x...; rounds to nearest even
// directly to the target width. Range when the value rounds to infinity or a
// NaN payload is zero or too wide.
NumResult parse_f32(std::string_view s, uint32_t& bits);
NumResult parse_f64(std::string_view s, uint64_t& bits);

}  // namespace wisp::text
