// Runs small WAT modules that call WASI imports, for testing the host side
// through the real calling path (interpreter -> thunk -> implementation).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "runtime/text/wat.hpp"
#include "runtime/api/wisp.hpp"
#include "wasi/wasi.hpp"

namespace wisp::wasi::testing {

// One WASI import re-exported through a wasm wrapper, so the call comes from
// the module (whose memory the host function then uses).
struct ImportSpec {
  std::string module = "wasi_snapshot_preview1";
  std::string name;
  std::string params;  // e.g. "i32 i32 i64"
  bool result = true;  // (result i32)
};

// Wrapper exports are "p1.<name>" for preview1 and "u.<name>" for wasi_unstable.
inline std::string prefix(const std::string& module) {
  return module == "wasi_unstable" ? "u" : "p1";
}

inline std::string wasm_module(const std::vector<ImportSpec>& imports, bool memory = true) {
  std::string m = "(module\n";
  for (size_t i = 0; i < imports.size(); ++i) {
    const ImportSpec& s = imports[i];
    m += "  (import \"" + s.module + "\" \"" + s.name + "\" (func $f" + std::to_string(i) +
         " (param " + s.params + ")" + (s.result ? " (result i32)" : "") + "))\n";
  }
  if (memory) m += "  (memory (export \"memory\") 1)\n";
  m += "  (func (export \"grow\") (param i32) (result i32) local.get 0 memory.grow)\n";
  for (size_t i = 0; i < imports.size(); ++i) {
    const ImportSpec& s = imports[i];
    size_t nparams = 0;
    for (size_t k = 0; k < s.params.size(); k += 4) ++nparams;
    m += "  (func (export \"" + prefix(s.module) + "." + s.name + "\") (param " + s.params +
         ")" + (s.result ? " (result i32)" : "");
    for (size_t k = 0; k < nparams; ++k) m += " local.get " + std::to_string(k);
    m += " call $f" + std::to_string(i) + ")\n";
  }
  m += ")\n";
  return m;
}

class Guest {
 public:
  // Empty string on success, else what went wrong.
  std::string load(const std::vector<ImportSpec>& imports, const WasiConfig& cfg = {},
                   bool memory = true) {
    std::string wat = wasm_module(imports, memory);
    if (!memory) {
      // No memory: drop the grow helper too.
      size_t p = wat.find("  (func (export \"grow\")");
      wat.erase(p, wat.find('\n', p) - p + 1);
    }
    auto bin = text::parse_wat(wat);
    if (!bin.ok()) return "wat: " + bin.error().message;
    auto mod = load_module(std::move(bin.value()));
    if (!mod.ok()) return "load: " + mod.error().message;
    auto ctx = WasiCtx::create(cfg);
    if (!ctx.ok()) return "ctx: " + ctx.error().message;
    ctx_ = std::move(ctx.value());
    add_to_linker(linker_, store_, *ctx_);
    auto inst = linker_.instantiate(store_, mod.value());
    if (!inst.ok()) return "instantiate: " + inst.error().message;
    inst_ = inst.value();
    return {};
  }

  // Calls the wrapper "<prefix>.<name>"; returns the errno, or -1 on a trap
  // (last_trap() tells which).
  int call(const std::string& name, std::vector<Value> args, const std::string& module = "p1") {
    FuncInst* f = inst_->func_export(module + "." + name);
    if (!f) return -2;
    CallResult r = store_.call(f, args);
    if (auto* t = std::get_if<Trap>(&r)) {
      trap_ = *t;
      return -1;
    }
    auto& v = std::get<std::vector<Value>>(r);
    return v.empty() ? 0 : int(v[0].bits.u32);
  }
  int grow(uint32_t pages) {
    CallResult r = store_.call(inst_->func_export("grow"), std::vector<Value>{Value::i32(pages)});
    return int(std::get<std::vector<Value>>(r)[0].bits.i32);
  }

  uint8_t* mem() { return inst_->memories[0]->mem.base(); }
  uint64_t mem_size() { return inst_->memories[0]->mem.size(); }
  void put32(uint32_t addr, uint32_t v) { std::memcpy(mem() + addr, &v, 4); }
  void put64(uint32_t addr, uint64_t v) { std::memcpy(mem() + addr, &v, 8); }
  uint32_t get32(uint32_t addr) { uint32_t v; std::memcpy(&v, mem() + addr, 4); return v; }
  uint64_t get64(uint32_t addr) { uint64_t v; std::memcpy(&v, mem() + addr, 8); return v; }
  const Trap& last_trap() const { return trap_; }
  WasiCtx& ctx() { return *ctx_; }

 private:
  std::unique_ptr<WasiCtx> ctx_;
  Store store_;
  Linker linker_;
  Instance* inst_ = nullptr;
  Trap trap_;
};

inline Value I32(uint32_t v) { return Value::i32(v); }
inline Value I64(uint64_t v) { return Value::i64(v); }

}  // namespace wisp::wasi::testing
