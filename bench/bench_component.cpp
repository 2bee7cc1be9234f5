// Components (issue 14): what the component model costs over a core module.
//   BM_Component_ColdStart   bytes -> decoded component -> instance -> add(2, 40)
//   BM_Component_CoreColdStart  the same core module alone: bytes -> module
//                            -> instance -> add(2, 40)
//   BM_Component_CallAdd     one call of add through the canonical ABI
//   BM_Component_CoreCallAdd the core function called directly
//   BM_Component_CallDescribe  one call of describe(person) -> string: a
//                            record with two strings, an option and a list
//                            of strings lowered (realloc), a string lifted,
//                            post-return
// The component is bench/component/abi.wat (abi.component.wasm).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "runtime/api/wisp.hpp"
#include "runtime/component/decoder.hpp"
#include "runtime/component/instance.hpp"
#include "wasi/preview2/host.hpp"
#include "wasi/preview2/http.hpp"

namespace wisp::bench {
namespace {

const std::vector<uint8_t>& component_bytes() {
  static const std::vector<uint8_t> bytes = [] {
    std::ifstream f(WISP_BENCH_SOURCE_DIR "/component/abi.component.wasm", std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), {});
  }();
  return bytes;
}

// The component's one core module, as bytes.
std::vector<uint8_t> core_bytes() {
  auto c = component::decode(component_bytes().data(), component_bytes().size());
  if (!c.ok()) return {};
  for (const component::Definition& d : c.value()->defs)
    if (d.kind == component::Definition::CoreModule) return {d.module_bytes, d.module_bytes + d.module_size};
  return {};
}

component::Value s32(int32_t x) {
  component::Value v;
  v.kind = component::Value::S32;
  v.bits = uint64_t(int64_t(x));
  return v;
}

void BM_Component_ColdStart(benchmark::State& state) {
  const std::vector<uint8_t>& bytes = component_bytes();
  for (auto _ : state) {
    auto c = component::decode(bytes.data(), bytes.size());
    if (!c.ok()) return state.SkipWithError(c.error().message.c_str());
    Store store;
    auto inst = component::ComponentInstance::create(store, c.value());
    if (!inst.ok()) return state.SkipWithError(inst.error().message.c_str());
    auto r = inst.value()->call(*inst.value()->func("add"), {s32(2), s32(40)});
    if (!r.ok() || r.value()[0].bits != 42) return state.SkipWithError("wrong result");
  }
}
BENCHMARK(BM_Component_ColdStart)->Unit(benchmark::kMicrosecond)->Repetitions(5)->ReportAggregatesOnly();

void BM_Component_CoreColdStart(benchmark::State& state) {
  const std::vector<uint8_t> bytes = core_bytes();
  for (auto _ : state) {
    auto mod = load_module(std::vector<uint8_t>(bytes));
    if (!mod.ok()) return state.SkipWithError(mod.error().message.c_str());
    Store store;
    auto inst = store.instantiate(mod.value(), {});
    CallResult r = store.call(inst.value()->func_export("add"), {wisp::Value::i32(2), wisp::Value::i32(40)});
    auto* vals = std::get_if<std::vector<wisp::Value>>(&r);
    if (!vals || (*vals)[0].bits.u32 != 42) return state.SkipWithError("wrong result");
  }
}
BENCHMARK(BM_Component_CoreColdStart)->Unit(benchmark::kMicrosecond)->Repetitions(5)->ReportAggregatesOnly();

// One instance for the per-call benchmarks.
struct Instance {
  std::shared_ptr<const component::Component> c;
  Store store;
  std::unique_ptr<component::ComponentInstance> inst;
  Instance() {
    auto d = component::decode(component_bytes().data(), component_bytes().size());
    if (!d.ok()) return;
    c = d.value();
    auto i = component::ComponentInstance::create(store, c);
    if (i.ok()) inst = std::move(i.value());
  }
};

void BM_Component_CallAdd(benchmark::State& state) {
  Instance in;
  if (!in.inst) return state.SkipWithError("no instance");
  const component::LiftedFunc& f = *in.inst->func("add");
  const std::vector<component::Value> args = {s32(2), s32(40)};
  for (auto _ : state) {
    auto r = in.inst->call(f, args);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_Component_CallAdd)->Unit(benchmark::kNanosecond)->Repetitions(5)->ReportAggregatesOnly();

void BM_Component_CoreCallAdd(benchmark::State& state) {
  Instance in;
  if (!in.inst) return state.SkipWithError("no instance");
  const component::LiftedFunc& f = *in.inst->func("add");
  const std::vector<wisp::Value> args = {wisp::Value::i32(2), wisp::Value::i32(40)};
  for (auto _ : state) {
    CallResult r = in.store.call(f.core, args);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_Component_CoreCallAdd)->Unit(benchmark::kNanosecond)->Repetitions(5)->ReportAggregatesOnly();

void BM_Component_CallDescribe(benchmark::State& state) {
  Instance in;
  if (!in.inst) return state.SkipWithError("no instance");
  const component::LiftedFunc& f = *in.inst->func("describe");
  std::vector<component::ValType> params;
  for (const component::Field& p : f.type->fields) params.push_back(p.type);
  auto args = component::parse_wave_list(
      R"({name: "Ada Lovelace", age: 36, email: some("ada@example.org"), tags: ["math", "engines", "notes"]})",
      params, *f.types);
  if (!args.ok()) return state.SkipWithError(args.error().message.c_str());
  for (auto _ : state) {
    auto r = in.inst->call(f, args.value());
    if (!r.ok() || r.value()[0].text != "ada@example.org") return state.SkipWithError("wrong result");
  }
}
BENCHMARK(BM_Component_CallDescribe)->Unit(benchmark::kNanosecond)->Repetitions(5)->ReportAggregatesOnly();

// BM_Component_Instantiate/<file>: a new Store and instance of each
// component in $WISP_BENCH_COMPONENTS (colon-separated paths), decoded once,
// linked against WASI 0.2 (wasi:http included): what `wisp serve --no-reuse`
// does per request before the handler runs.
// BM_Component_Reset/<file>: what `wisp serve` does instead when the last
// request's handler returned: ComponentInstance::reset of the instance it
// ran in. Each iteration runs the handler (GET /, not timed) and times the
// reset after it (manual time).
struct Served {  // a component file decoded, and WASI 0.2 to link it with
  std::vector<uint8_t> bytes;
  std::shared_ptr<const component::Component> component;
  std::unique_ptr<wasi::p2::Context> ctx;
  component::ComponentLinker linker;
};
std::unique_ptr<Served> load_served(const std::string& path, benchmark::State& state) {
  auto s = std::make_unique<Served>();
  std::ifstream f(path, std::ios::binary);
  s->bytes.assign(std::istreambuf_iterator<char>(f), {});
  auto c = component::decode(s->bytes.data(), s->bytes.size());
  if (!c.ok()) return state.SkipWithError(c.error().message.c_str()), nullptr;
  s->component = c.value();
  s->ctx = std::move(wasi::p2::Context::create({}).value());
  wasi::p2::define(s->linker, *s->ctx);
  return s;
}

const bool kInstantiateRegistered = [] {
  const char* env = getenv("WISP_BENCH_COMPONENTS");
  if (!env) return false;
  std::string list = env;
  for (size_t start = 0; start <= list.size();) {
    size_t end = list.find(':', start);
    if (end == std::string::npos) end = list.size();
    const std::string path = list.substr(start, end - start);
    start = end + 1;
    if (path.empty()) continue;
    const std::string name = path.substr(path.find_last_of('/') + 1);
    benchmark::RegisterBenchmark(("BM_Component_Instantiate/" + name).c_str(), [path](benchmark::State& state) {
      auto s = load_served(path, state);
      if (!s) return;
      component::InstanceCache cache;  // as wisp serve keeps one per event loop
      for (auto _ : state) {
        Store store;
        auto inst = component::ComponentInstance::create(store, s->component, &s->linker, &cache);
        if (!inst.ok()) return state.SkipWithError(inst.error().message.c_str());
      }
    })->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("BM_Component_Reset/" + name).c_str(), [path](benchmark::State& state) {
      auto s = load_served(path, state);
      if (!s) return;
      StoreConfig cfg;
      cfg.tier = Tier::Jit;  // as wisp serve
      Store store(cfg);
      auto inst = component::ComponentInstance::create(store, s->component, &s->linker);
      if (!inst.ok()) return state.SkipWithError(inst.error().message.c_str());
      const std::string handler = inst.value()->exported_instance("wasi:http/incoming-handler@0.2") + "#handle";
      for (auto _ : state) {
        s->ctx->table = wasi::p2::Table{};
        wasi::p2::HttpRequest req;
        req.method = "GET";
        req.path_with_query = "/";
        req.authority = "localhost";
        req.headers = {{"host", "localhost"}};
        wasi::p2::HttpCall call = wasi::p2::start_http_call(*s->ctx, std::move(req));
        auto r = inst.value()->call(handler, {call.request, call.outparam});
        if (!r.ok()) return state.SkipWithError(r.error().message.c_str());
        const auto t0 = std::chrono::steady_clock::now();
        Status st = inst.value()->reset();
        state.SetIterationTime(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        if (!st.ok()) return state.SkipWithError(st.error().message.c_str());
      }
    })->Unit(benchmark::kMicrosecond)->UseManualTime();
  }
  return true;
}();

}  // namespace
}  // namespace wisp::bench
