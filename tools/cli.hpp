// Shared pieces of the `wisp` command-line tool.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/vm/tiers.hpp"
#include "runtime/wasm/result.hpp"

namespace wisp::cli {

// Reads FILE; text (.wat or anything not starting with "\0asm") is parsed
// to binary. Errors come back ready to print (with line or byte offset).
// Files over kMaxInputBytes are refused (V8 refuses modules over 1 GiB too).
inline constexpr uint64_t kMaxInputBytes = uint64_t(1) << 30;
Result<std::vector<uint8_t>> load_binary(const std::string& path);

int cmd_validate(int argc, char** argv);
int cmd_parse(int argc, char** argv);
int cmd_run(int argc, char** argv);
int cmd_wast(int argc, char** argv);

// `--tier NAME`: interp or jit. False for anything else.
inline bool parse_tier(const std::string& name, Tier& out) {
  if (name == "interp") out = Tier::Interp;
  else if (name == "jit") out = Tier::Jit;
  else return false;
  return true;
}
inline constexpr const char* kTierNames = "interp, jit";

// "wisp: error: ..." on stderr.
void error(const std::string& msg);

}  // namespace wisp::cli
