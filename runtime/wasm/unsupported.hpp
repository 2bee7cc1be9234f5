// What wisp does not support yet, by name: the proposal an instruction
// belongs to, so that a module using it is rejected with "... is not
// supported" rather than "unknown operator" or "illegal opcode" (issues 16
// and 18). The messages keep the spec's words first ("illegal opcode",
// "unknown operator"): the spec suites match on them.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace wisp {

struct Unsupported {
  const char* name;     // the instruction, as the text format spells it ("return_call")
  const char* feature;  // "tail calls"
};

// By the instruction's text name; nothing for anything else.
std::optional<Unsupported> unsupported_instruction(std::string_view name);
// By its binary opcode (byte, and the sub-opcode after a 0xFB/0xFD/0xFE
// prefix); nothing for anything else.
std::optional<Unsupported> unsupported_opcode(uint8_t byte, uint32_t code);

}  // namespace wisp
