#include "runtime/wasm/unsupported.hpp"

namespace wisp {

namespace {

constexpr const char* kExceptions = "exception handling";
constexpr const char* kLegacyExceptions = "legacy exception handling";
constexpr const char* kTailCalls = "tail calls";
constexpr const char* kFuncRefs = "typed function references";
constexpr const char* kGc = "garbage collection";
constexpr const char* kThreads = "threads, atomic instructions";
constexpr const char* kRelaxedSimd = "relaxed SIMD";

struct Entry {
  uint8_t byte;
  const char* name;
  const char* feature;
};

// Single-byte opcodes of the Wasm 3.0 proposals wisp does not decode yet.
constexpr Entry kOpcodes[] = {
    {0x06, "try", kLegacyExceptions},      {0x07, "catch", kLegacyExceptions},
    {0x08, "throw", kExceptions},          {0x09, "rethrow", kLegacyExceptions},
    {0x0A, "throw_ref", kExceptions},      {0x12, "return_call", kTailCalls},
    {0x13, "return_call_indirect", kTailCalls}, {0x14, "call_ref", kFuncRefs},
    {0x15, "return_call_ref", kTailCalls}, {0x18, "delegate", kLegacyExceptions},
    {0x19, "catch_all", kLegacyExceptions}, {0x1F, "try_table", kExceptions},
    {0xD3, "ref.eq", kGc},                 {0xD4, "ref.as_non_null", kFuncRefs},
    {0xD5, "br_on_null", kFuncRefs},       {0xD6, "br_on_non_null", kFuncRefs},
};

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

}  // namespace

std::optional<Unsupported> unsupported_instruction(std::string_view name) {
  for (const Entry& e : kOpcodes)
    if (name == e.name) return Unsupported{e.name, e.feature};
  for (std::string_view gc : {"struct.", "array.", "i31.", "ref.i31", "ref.test", "ref.cast", "br_on_cast",
                              "any.convert_extern", "extern.convert_any"})
    if (starts_with(name, gc)) return Unsupported{"", kGc};
  if (name.find("atomic.") != std::string_view::npos) return Unsupported{"", kThreads};
  if (name.find(".relaxed_") != std::string_view::npos) return Unsupported{"", kRelaxedSimd};
  return std::nullopt;
}

std::optional<Unsupported> unsupported_opcode(uint8_t byte, uint32_t code) {
  for (const Entry& e : kOpcodes)
    if (byte == e.byte) return Unsupported{e.name, e.feature};
  if (byte == 0xFB) return Unsupported{"", kGc};
  if (byte == 0xFE) return Unsupported{"", kThreads};
  if (byte == 0xFD && code >= 0x100 && code <= 0x113) return Unsupported{"", kRelaxedSimd};
  return std::nullopt;
}

}  // namespace wisp
