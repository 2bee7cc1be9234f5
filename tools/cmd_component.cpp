// Components on the command line: `wisp inspect`, and what `run` and
// `validate` do when the file is a component rather than a core module.
#include <csignal>
#include <cstdio>
#include <string>

#include "runtime/api/wisp.hpp"
#include "runtime/component/decoder.hpp"
#include "runtime/component/describe.hpp"
#include "runtime/component/instance.hpp"
#include "wasi/preview2/host.hpp"
#include "tools/cli.hpp"
#include "tools/deadline.hpp"
#include "tools/options.hpp"

namespace wisp::cli {

namespace {

std::string where(const Error& e) {
  return e.offset == SIZE_MAX ? "" : " at offset 0x" + [&] {
    char buf[32];
    snprintf(buf, sizeof buf, "%zx", e.offset);
    return std::string(buf);
  }();
}

}  // namespace

bool is_component_file(const std::vector<uint8_t>& bytes) {
  return component::is_component(bytes.data(), bytes.size());
}

int component_command(const std::string& path, const std::vector<uint8_t>& bytes, const char* command,
                      const std::string& invoke, const wasi::WasiConfig& wasi_config,
                      const StoreConfig& store_config, uint64_t timeout_ms) {
  auto c = component::decode(bytes.data(), bytes.size());
  if (!c.ok()) {
    error(path + ": component" + where(c.error()) + ": " + c.error().message);
    return 1;
  }
  if (std::string(command) == "validate") return 0;
  // Without --invoke: a command's wasi:cli/run.run.
  std::string call = invoke;
  bool as_command = false;
  if (call.empty()) {
    as_command = true;
    call = "wasi:cli/run@0.2#run()";  // resolved below
  }
  // --invoke 'name(arg, ...)': the arguments in WAVE, as wasmtime takes them.
  const std::string& invoke_text = call;
  const size_t open = invoke_text.find('(');
  std::string name = invoke_text.substr(0, open);
  while (!name.empty() && name.back() == ' ') name.pop_back();
  std::string args;
  if (open != std::string::npos) {
    const size_t close = invoke_text.rfind(')');
    if (close == std::string::npos || close < open) {
      error("--invoke: expected `" + name + "(arguments)`");
      return 1;
    }
    args = invoke_text.substr(open + 1, close - open - 1);
  }
  // WASI 0.2 (wasi/preview2/host.hpp) over what the flags grant: a
  // component that imports more fails here, naming the first function
  // missing.
  auto ctx = wasi::p2::Context::create(wasi_config);
  if (!ctx.ok()) {
    error(ctx.error().message);
    return 1;
  }
  wasi::p2::Context& wasi = *ctx.value();
  signal(SIGPIPE, SIG_IGN);  // a closed pipe is a stream error, as under preview 1
  wasi::restore_stdio_on_signals(*wasi.caps);
  LinearMemory::configure_reservation_cache(0, 0);  // one run: nothing to reuse
  Store store(store_config);
  Deadline deadline(store, timeout_ms);
  component::ComponentLinker linker;
  wasi::p2::define(linker, wasi);
  auto inst = component::ComponentInstance::create(store, c.value(), &linker);
  if (!inst.ok()) {
    error(path + ": " + inst.error().message +
          (inst.error().kind == ErrorKind::Link ? " (not in wisp's WASI 0.2: wasi/preview2/host.hpp)" : ""));
    return 1;
  }
  if (as_command) {
    const std::string run = inst.value()->exported_instance("wasi:cli/run@0.2");
    if (run.empty()) {
      error(path + ": a component without wasi:cli/run; --invoke 'f(args)' calls one of its functions");
      return 1;
    }
    name = run + "#run";
  }
  const component::LiftedFunc* f = inst.value()->func(name);
  if (!f) {
    error(path + ": no exported function `" + name + "`");
    return 1;
  }
  std::vector<component::ValType> params;
  for (const component::Field& p : f->type->fields) params.push_back(p.type);
  auto vals = component::parse_wave_list(args, params, *f->types);
  if (!vals.ok()) {
    error("--invoke: argument at character " + std::to_string(vals.error().offset) + ": " +
          vals.error().message);
    return 1;
  }
  auto r = inst.value()->call(*f, vals.value());
  if (!r.ok() && wasi.exited) return wasi.exit_code;  // wasi:cli/exit
  if (!r.ok()) {
    if (r.error().kind == ErrorKind::Trap) {
      fprintf(stderr, "wisp: trap: %s\n", r.error().message.c_str());
      return 134;
    }
    error(r.error().message);
    return 1;
  }
  if (as_command) return r.value().empty() || r.value()[0].index == 0 ? 0 : 1;  // result<_, _>: err is 1
  for (const component::Value& v : r.value())
    printf("%s\n", component::to_wave(v, *f->type->result, *f->types).c_str());
  return 0;
}

int cmd_inspect(int argc, char** argv) {
  int first = 0;
  if (int r = operands("inspect", "usage: wisp inspect FILE\n"
                       "Lists a module's or a component's imports and exports with their types.\n",
                       argc, argv, 1, first))
    return r < 0 ? 0 : r;
  const std::string path = argv[first];
  auto bytes = load_binary(path);
  if (!bytes.ok()) {
    error(bytes.error().message);
    return 1;
  }
  if (is_component_file(bytes.value())) {
    auto c = component::decode(bytes.value().data(), bytes.value().size());
    if (!c.ok()) {
      error(path + ": component" + where(c.error()) + ": " + c.error().message);
      return 1;
    }
    fputs("component\n", stdout);
    fputs(component::describe(*c.value()).c_str(), stdout);
    return 0;
  }
  auto m = load_module(std::move(bytes.value()));
  if (!m.ok()) {
    error(path + ": " + format_error(m.error()));
    return 1;
  }
  const Module& mod = *m.value();
  // A function's signature, else the kind.
  auto what = [&](ExternKind kind, uint32_t index) {
    std::string s(to_string(kind));
    if (kind != ExternKind::Func) return s;
    const FuncType& ft = mod.func_type(index);
    s += "(";
    for (size_t i = 0; i < ft.params.size(); ++i) s += (i ? ", " : "") + std::string(to_string(ft.params[i]));
    s += ")";
    for (size_t i = 0; i < ft.results.size(); ++i)
      s += (i ? ", " : " -> ") + std::string(to_string(ft.results[i]));
    return s;
  };
  fputs("module\n", stdout);
  for (const Import& im : mod.imports)
    printf("import %s %s: %s\n", std::string(im.module).c_str(), std::string(im.name).c_str(),
           what(im.kind, im.index).c_str());
  for (const Export& ex : mod.exports)
    printf("export %s: %s\n", std::string(ex.name).c_str(), what(ex.kind, ex.index).c_str());
  return 0;
}

}  // namespace wisp::cli
