// Shared pieces of the `wisp` command-line tool.
#pragma once
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "runtime/vm/store.hpp"
#include "runtime/vm/tiers.hpp"
#include "runtime/wasm/result.hpp"
#include "wasi/wasi.hpp"

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
int cmd_inspect(int argc, char** argv);
int cmd_serve(int argc, char** argv);
// Components (cmd_component.cpp): whether the bytes are one, and what
// `run` or `validate` (command) does with one: decode and validate it,
// then report it valid, or call the export `invoke` names
// (`f("text", 42)`, WAVE arguments) and print its result.
bool is_component_file(const std::vector<uint8_t>& bytes);
// A command's WASI 0.2 gets what wasi grants: args (argv[0] included), env,
// directories; its core code runs in a store configured as store says (the
// tier, fuel, limits of `wisp run`'s flags), interrupted after timeout_ms
// (0: never).
int component_command(const std::string& path, const std::vector<uint8_t>& bytes, const char* command,
                      const std::string& invoke = {}, const wasi::WasiConfig& wasi = {},
                      const StoreConfig& store = {}, uint64_t timeout_ms = 0);

struct Args;  // options.hpp
// One of the options `run` and `serve` share at a.arg() (--dir, --env,
// --allow-http, --tier, --tier-sample, --fuel, --max-memory,
// --max-table-elements, -W, --max-stack), taken into wasi and store: false
// if it is none of them (a.bad after an error, printed).
bool parse_shared_option(Args& a, wasi::WasiConfig& wasi, StoreConfig& store);

// `--tier NAME`: interp, jit or auto. False for anything else.
inline bool parse_tier(const std::string& name, Tier& out) {
  if (name == "interp") out = Tier::Interp;
  else if (name == "jit") out = Tier::Jit;
  else if (name == "auto") out = Tier::Auto;
  else return false;
  return true;
}
inline constexpr const char* kTierNames = "interp, jit, auto";

// "wisp: error: ..." on stderr.
void error(const std::string& msg);

}  // namespace wisp::cli
