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
// tier, fuel, limits of `wisp run`'s flags).
int component_command(const std::string& path, const std::vector<uint8_t>& bytes, const char* command,
                      const std::string& invoke = {}, const wasi::WasiConfig& wasi = {},
                      const StoreConfig& store = {});

// The value of option `name` at argv[i], written "--name VALUE" (i moves
// onto the value) or "--name=VALUE"; false if argv[i] is not that option.
inline bool option_value(const char* name, int argc, char** argv, int& i, std::string& out) {
  const std::string a = argv[i];
  const size_t n = std::char_traits<char>::length(name);
  if (a == name && i + 1 < argc) {
    out = argv[++i];
    return true;
  }
  if (a.size() > n && a.compare(0, n, name) == 0 && a[n] == '=') {
    out = a.substr(n + 1);
    return true;
  }
  return false;
}

// One of the options `run` and `serve` share at argv[i] (--dir, --env,
// --allow-http, --tier, --tier-sample, --fuel, --max-memory,
// --max-table-elements, -W, --max-stack), taken into wasi and store: 1 if it was one (i moved past
// its value), 0 if not, -1 after printing an error.
int parse_shared_option(const char* cmd, int argc, char** argv, int& i, wasi::WasiConfig& wasi, StoreConfig& store);

// A limit: decimal or 0x hex digits only. strtoull alone would take "-1"
// (and " -1") as 2^64-1, turning a limit into no limit.
inline bool parse_u64(const char* s, uint64_t& out) {
  if (!isdigit(static_cast<unsigned char>(s[0]))) return false;
  char* end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 0);
  if (errno || *end) return false;
  out = v;
  return true;
}

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
