// wisp run: instantiate a module and call its _start or an export.
//
// WASI is always linked, with nothing granted unless asked for: --dir,
// --env and --tcplisten mean what they mean for wasmtime.
#include <csignal>
#include <cerrno>
#include <cctype>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "runtime/api/wisp.hpp"
#include "runtime/text/wat.hpp"
#include "tools/cli.hpp"
#include "tools/deadline.hpp"
#include "tools/options.hpp"
#include "wasi/wasi.hpp"

namespace wisp::cli {
namespace {

struct RunOptions {
  bool stats = false;
  uint64_t timeout_ms = 0;  // --timeout: 0 none
  std::string invoke;
  std::string file;
  std::vector<std::string> args;
  // `wisp run` starts in the interpreter and compiles what runs hot: as
  // quick to start as the interpreter, about as fast as the JIT on compute
  // (jit/README.md, "Which tier wisp run uses").
  StoreConfig store = [] {
    StoreConfig c;
    c.tier = Tier::Auto;
    return c;
  }();
  wasi::WasiConfig wasi;
};

const char* const kRunUsage =
    "usage: wisp run [options] FILE [ARGS...]\n"
    "  --invoke NAME          call export NAME with ARGS as its parameters\n"
    "  --fuel N               trap after N instructions (0: before the first)\n"
    "  --max-memory BYTES     cap every linear memory (suffixes K, M, G: 64M)\n"
    "  --max-table-elements N cap every table (default 10000000)\n"
    "  --max-stack FRAMES     cap the call depth\n"
    "  --tier interp|jit|auto run wasm in the interpreter; compile each function\n"
    "                         with the baseline JIT on its first call; or (the\n"
    "                         default) interpret first and compile what runs hot\n"
    "  --tier-sample N        auto: compile the function running every N\n"
    "                         interpreted instructions (default 5000)\n"
    "  --stats                print what the tiers did on stderr at exit\n"
    "  --timeout DURATION     trap \"interrupted\" once the run has taken this long\n"
    "                         (1.5, 1500ms, 2m; the code then counts fuel)\n"
    "  -W fuel=N, -W max-memory-size=BYTES, -W max-table-elements=N,\n"
    "  -W max-instances=N, -W max-tables=N, -W max-memories=N\n"
    "                         the same limits, spelled as wasmtime spells them\n"
    "  --dir HOST[::GUEST]    grant directory HOST, seen by the guest as GUEST\n"
    "                         (default: HOST as written)\n"
    "  --env NAME=VALUE       set a variable in the guest's environment\n"
    "  --env NAME             copy one variable from wisp's environment\n"
    "  --tcplisten HOST:PORT  preopen a listening socket (for sock_accept)\n"
    "  --allow-http HOST[:PORT],...\n"
    "                         let a component send HTTP requests to these hosts\n"
    "                         (wasi:http/outgoing-handler)\n"
    "The guest gets nothing else: no host environment, no other files, no network.\n";

// "--dir HOST::GUEST" as in wasmtime; without "::" the guest sees HOST as written.
wasi::PreopenDir parse_dir(const std::string& v) {
  size_t sep = v.find("::");
  if (sep == std::string::npos) return {v, v};
  return {v.substr(0, sep), v.substr(sep + 2)};
}

// Later settings of a name replace earlier ones, keeping the first position.
void set_env(std::vector<std::string>& env, const std::string& name, const std::string& value) {
  for (std::string& e : env)
    if (e.compare(0, name.size() + 1, name + "=") == 0) {
      e = name + "=" + value;
      return;
    }
  env.push_back(name + "=" + value);
}

// proc_exit takes a u32; a process exit status is 8 bits. Truncating would
// make exit(256) look like success, so anything out of range becomes 255.
int exit_status(int code) { return code >= 0 && code <= 255 ? code : 255; }

std::string base_name(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// One limit by name, as wasmtime's -W KEY=VALUE names it.
bool set_limit(const std::string& key, uint64_t v, StoreConfig& cfg) {
  auto u32 = [](uint64_t x) { return uint32_t(std::min<uint64_t>(x, UINT32_MAX)); };
  if (key == "fuel") cfg.fuel = v;
  else if (key == "max-memory-size") cfg.limits.max_memory_bytes = v;
  else if (key == "max-table-elements") cfg.limits.max_table_elements = v;
  else if (key == "max-instances") cfg.limits.max_instances = u32(v);
  else if (key == "max-tables") cfg.limits.max_tables = u32(v);
  else if (key == "max-memories") cfg.limits.max_memories = u32(v);
  else return false;
  return true;
}

// A v128 argument: as the text format writes a v128.const ("i32x4 1 2 3
// -1", in one argument; text::parse_v128_literal), or the 32 hex digits
// --invoke prints results in ("0x", the most significant byte first).
bool parse_v128(const std::string& s, Value& out) {
  uint8_t bytes[16] = {};
  if (s.size() == 34 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    for (int i = 0; i < 16; ++i) {
      const std::string byte = s.substr(2 + 2 * i, 2);
      char* end;
      const unsigned long b = strtoul(byte.c_str(), &end, 16);
      if (*end || !isxdigit(static_cast<unsigned char>(byte[0]))) return false;
      bytes[15 - i] = uint8_t(b);
    }
    out = Value::v128(bytes);
    return true;
  }
  auto v = text::parse_v128_literal(s);
  if (!v.ok() || v.value().size() != 16) return false;
  out = Value::v128(v.value().data());
  return true;
}

// Parses a command-line argument for a parameter of type t, as wasmtime's
// --invoke does: integers in decimal (or 0x hex), floats as C literals
// (inf, nan accepted), v128 as parse_v128 reads it.
bool parse_arg(const std::string& s, ValType t, Value& out) {
  const char* p = s.c_str();
  char* end;
  errno = 0;
  switch (t) {
    case ValType::I32: {
      long long v = strtoll(p, &end, 0);
      if (*end || errno || v < INT32_MIN || v > UINT32_MAX) return false;
      out = Value::i32(uint32_t(v));
      return true;
    }
    case ValType::I64: {
      if (s[0] != '-') {
        unsigned long long u = strtoull(p, &end, 0);
        if (*end || errno) return false;
        out = Value::i64(u);
        return true;
      }
      long long v = strtoll(p, &end, 0);
      if (*end || errno) return false;
      out = Value::i64(uint64_t(v));
      return true;
    }
    case ValType::F32: {
      float v = strtof(p, &end);
      if (*end || !*p) return false;
      out = Value::f32(v);
      return true;
    }
    case ValType::F64: {
      double v = strtod(p, &end);
      if (*end || !*p) return false;
      out = Value::f64(v);
      return true;
    }
    case ValType::V128:
      return parse_v128(s, out);
    default:
      return false;
  }
}

std::string format_value(const Value& v) {
  char buf[64];
  switch (v.type) {
    case ValType::I32: snprintf(buf, sizeof buf, "%" PRId32, v.bits.i32); break;
    case ValType::I64: snprintf(buf, sizeof buf, "%" PRId64, v.bits.i64); break;
    case ValType::F32: snprintf(buf, sizeof buf, "%.9g", double(v.bits.f32)); break;
    case ValType::F64: snprintf(buf, sizeof buf, "%.17g", v.bits.f64); break;
    case ValType::V128: {
      std::string s = "0x";
      for (int i = 15; i >= 0; --i) {
        snprintf(buf, sizeof buf, "%02x", v.bits.v128[i]);
        s += buf;
      }
      return s;
    }
    default:
      return v.bits.ref ? "ref" : "null";
  }
  return buf;
}

}  // namespace

// The options `run` and `serve` share (cli.hpp).
bool parse_shared_option(Args& a, wasi::WasiConfig& wasi, StoreConfig& store) {
  std::string sval;
  uint64_t v = 0;
  if (a.value("--dir", sval)) {
    wasi.dirs.push_back(parse_dir(sval));
  } else if (a.value("--env", sval)) {
    size_t eq = sval.find('=');
    if (eq == 0 || sval.empty()) {
      a.fail("--env needs NAME=VALUE or NAME");
    } else if (eq != std::string::npos) {
      set_env(wasi.env, sval.substr(0, eq), sval.substr(eq + 1));
    } else if (const char* host = getenv(sval.c_str())) {
      set_env(wasi.env, sval, host);
    }
  } else if (a.value("--tier", sval)) {
    if (!a.bad && !parse_tier(sval, store.tier))
      a.fail("unknown tier '" + sval + "' (available: " + kTierNames + ")");
  } else if (a.number("--tier-sample", v)) {
    if (!a.bad && v == 0) a.fail("--tier-sample needs a positive number");
    store.tier_sample = v;
  } else if (a.number("--fuel", v)) {
    store.fuel = v;
  } else if (a.bytes("--max-memory", store.limits.max_memory_bytes)) {
  } else if (a.number("--max-table-elements", store.limits.max_table_elements)) {
  } else if (std::strncmp(a.arg(), "-W", 2) == 0) {
    // -W KEY=VALUE or -WKEY=VALUE, as wasmtime's -W.
    std::string kv = a.arg() + 2;
    if (kv.empty()) {
      if (a.i + 1 >= a.argc) return a.fail("-W needs KEY=VALUE"), true;
      kv = a.argv[++a.i];
    }
    const size_t eq = kv.find('=');
    const std::string key = kv.substr(0, eq);
    const bool is_bytes = key == "max-memory-size";
    if (eq == std::string::npos ||
        !(is_bytes ? parse_bytes(kv.substr(eq + 1), v) : parse_u64(kv.c_str() + eq + 1, v)))
      a.fail("-W needs KEY=NUMBER, got '" + kv + "'");
    else if (!set_limit(key, v, store))
      a.fail("unknown -W option '" + key + "'");
  } else if (a.value("--allow-http", sval)) {
    for (size_t start = 0; start <= sval.size();) {
      const size_t comma = std::min(sval.find(',', start), sval.size());
      if (comma > start) wasi.allow_http.push_back(sval.substr(start, comma - start));
      start = comma + 1;
    }
  } else if (a.number("--max-stack", v)) {
    store.max_call_depth = uint32_t(std::min<uint64_t>(v, 1u << 24));
  } else {
    return false;
  }
  return true;
}

int cmd_run(int argc, char** argv) {
  RunOptions o;
  Args a("run", argc, argv);
  for (; a.option(); a.next()) {
    if (a.flag("--help", "-h")) {
      fputs(kRunUsage, stdout);
      return 0;
    }
    if (parse_shared_option(a, o.wasi, o.store)) {
    } else if (a.value("--invoke", o.invoke)) {
    } else if (a.flag("--stats")) {
      o.stats = true;
    } else if (a.duration("--timeout", o.timeout_ms)) {
    } else if (std::string v; a.value("--tcplisten", v)) {
      o.wasi.tcp_listen.push_back(v);
    } else {
      return a.unknown();
    }
    if (a.bad) return 1;
  }
  int i = a.i;
  if (i >= argc) return usage_error("run", kRunUsage);
  o.file = argv[i++];
  for (; i < argc; ++i) o.args.push_back(argv[i]);
  // argv[0] is the module's file name; with --invoke, ARGS are the
  // function's parameters, not the program's.
  o.wasi.args.push_back(base_name(o.file));
  if (o.invoke.empty()) o.wasi.args.insert(o.wasi.args.end(), o.args.begin(), o.args.end());

  auto bytes = load_binary(o.file);
  if (!bytes.ok()) {
    error(bytes.error().message);
    return 1;
  }
  // A deadline needs code that counts fuel (Store::interrupt): as good as
  // unlimited unless --fuel set a budget.
  if (o.timeout_ms && !o.store.fuel) o.store.fuel = UINT64_MAX / 4;
  if (is_component_file(bytes.value()))
    return component_command(o.file, bytes.value(), "run", o.invoke, o.wasi, o.store, o.timeout_ms);
  auto mod = load_module(std::move(bytes.value()));
  if (!mod.ok()) {
    const Error& e = mod.error();
    error(o.file + ": " + format_error(e));
    return 1;
  }
  auto wasi_ctx = wasi::WasiCtx::create(o.wasi);
  if (!wasi_ctx.ok()) {
    error(wasi_ctx.error().message);
    return 1;
  }
  // A guest writing to a closed pipe gets EPIPE from fd_write, as a native
  // program that ignores SIGPIPE would, instead of killing wisp.
  signal(SIGPIPE, SIG_IGN);
  // ^C or a kill must not leave the user's terminal non-blocking.
  wasi::restore_stdio_on_signals(*wasi_ctx.value());
  // One module, one run: a memory reservation is never reused, so do not
  // keep (and scrub) it for reuse when the store goes away at exit.
  LinearMemory::configure_reservation_cache(0, 0);
  Store store(o.store);
  Deadline deadline(store, o.timeout_ms);
  // --stats: what the tiers did, on stderr, however the run ends.
  struct PrintStats {
    const Store& store;
    bool on;
    ~PrintStats() {
      if (!on) return;
      Store::TierStats s = store.tier_stats();
      fprintf(stderr,
              "wisp: stats: %llu functions compiled, %llu interpreted; %llu tier-ups, %llu "
              "on-stack replacements\n",
              (unsigned long long)s.compiled, (unsigned long long)s.interpreted,
              (unsigned long long)s.tier_ups, (unsigned long long)s.osr_entries);
    }
  } print_stats{store, o.stats};
  Linker linker;
  wasi::add_to_linker(linker, store, *wasi_ctx.value());
  auto inst = linker.instantiate(store, mod.value());
  if (!inst.ok()) {
    const Error& e = inst.error();
    // proc_exit inside the start function: the code travels in the context.
    if (e.kind == ErrorKind::Trap && wasi_ctx.value()->exit_code >= 0)
      return exit_status(wasi_ctx.value()->exit_code);
    if (e.kind == ErrorKind::Trap) {
      fprintf(stderr, "wisp: trap: %s\n", e.message.c_str());
      return 134;
    }
    error(o.file + ": " + e.message);
    return 1;
  }

  std::string name = o.invoke.empty() ? "_start" : o.invoke;
  FuncInst* f = inst.value()->func_export(name);
  if (!f) {
    if (o.invoke.empty()) return 0;  // no _start: the start function was the program
    error(o.file + ": no exported function '" + name + "'");
    return 1;
  }
  // A reactor (no _start) is initialised before any of its exports is used.
  if (!o.invoke.empty() && !inst.value()->func_export("_start")) {
    if (FuncInst* init = inst.value()->func_export("_initialize")) {
      CallResult r = store.call(init, {});
      if (auto* t = std::get_if<Trap>(&r)) {
        if (t->kind == TrapKind::Exit) return exit_status(t->exit_code);
        fflush(stdout);
        fprintf(stderr, "wisp: trap: %s\n", format_trap(*t).c_str());
        return 134;
      }
    }
  }
  const FuncType& ft = f->type();
  std::vector<Value> args;
  if (!o.invoke.empty()) {
    if (o.args.size() != ft.params.size()) {
      error("'" + name + "' takes " + std::to_string(ft.params.size()) + " arguments, got " +
            std::to_string(o.args.size()));
      return 1;
    }
    for (size_t k = 0; k < o.args.size(); ++k) {
      Value v;
      if (!parse_arg(o.args[k], ft.params[k], v)) {
        error("argument " + std::to_string(k + 1) + " '" + o.args[k] + "' is not a valid " +
              std::string(to_string(ft.params[k])));
        return 1;
      }
      args.push_back(v);
    }
  }
  CallResult r = store.call(f, args);
  if (auto* t = std::get_if<Trap>(&r)) {
    if (t->kind == TrapKind::Exit) return exit_status(t->exit_code);
    fflush(stdout);
    fprintf(stderr, "wisp: trap: %s\n", format_trap(*t).c_str());
    return 134;
  }
  if (!o.invoke.empty())
    for (const Value& v : std::get<std::vector<Value>>(r)) printf("%s\n", format_value(v).c_str());
  return 0;
}

}  // namespace wisp::cli

