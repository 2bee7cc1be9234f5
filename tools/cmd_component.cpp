// Components on the command line: `wisp inspect`, and what `run` and
// `validate` do when the file is a component rather than a core module.
#include <cstdio>
#include <string>

#include "runtime/api/wisp.hpp"
#include "runtime/component/decoder.hpp"
#include "runtime/component/describe.hpp"
#include "tools/cli.hpp"

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

int component_command(const std::string& path, const std::vector<uint8_t>& bytes, const char* command) {
  auto c = component::decode(bytes.data(), bytes.size());
  if (!c.ok()) {
    error(path + ": component" + where(c.error()) + ": " + c.error().message);
    return 1;
  }
  if (std::string(command) == "validate") return 0;
  error(path + ": a component (" + std::to_string(c.value()->imports().size()) + " imports, " +
        std::to_string(c.value()->exports().size()) +
        " exports; `wisp inspect` lists them): running components is not supported yet");
  return 1;
}

int cmd_inspect(int argc, char** argv) {
  if (argc != 1) {
    error("usage: wisp inspect FILE");
    return 1;
  }
  const std::string path = argv[0];
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
