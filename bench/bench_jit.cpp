// Baseline JIT compile speed: every function of every valid spec-suite
// module (and of the largest module at hand, and of each module named in
// $WISP_BENCH_JIT_MODULES, colon-separated: bench/run passes ruby.wasm)
// compiled eagerly, in bytes of function bodies per second. Liftoff's
// reference point is its own compile of the same bytes (bench/README.md).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <iterator>
#include <memory>
#include <sstream>

#include "bench/bench_corpus.hpp"
#include "jit/code_cache.hpp"
#include "runtime/valid/decoder.hpp"
#include "runtime/valid/validator.hpp"

namespace wisp::bench {
namespace {

struct Prepared {
  std::vector<std::shared_ptr<Module>> modules;
  size_t body_bytes = 0;
  size_t functions = 0, compiled = 0;
};

Prepared prepare(const std::vector<std::vector<uint8_t>>& mods) {
  Prepared p;
  for (const auto& b : mods) {
    auto m = decode(b);  // a copy the module owns: callers pass temporaries
    if (!m.ok() || !validate(m.value()).ok()) continue;
    auto sm = std::make_shared<Module>(std::move(m.value()));
    for (uint32_t i = sm->num_imported_funcs; i < sm->funcs.size(); ++i) {
      p.body_bytes += sm->funcs[i].body_size;
      ++p.functions;
    }
    p.modules.push_back(std::move(sm));
  }
  return p;
}

void compile_all(benchmark::State& state, Prepared& p) {
  if (p.modules.empty()) {
    state.SkipWithError("no modules (spec suite not found?)");
    return;
  }
  for (auto _ : state) {
    p.compiled = 0;
    for (auto& m : p.modules) {
      m->tier_cache.reset();  // compile again, not from the cache
      jit::CodeCache& cache = jit::CodeCache::of(*m);
      for (uint32_t i = m->num_imported_funcs; i < m->funcs.size(); ++i)
        p.compiled += cache.get(*m, i, false) != nullptr;
    }
  }
  state.counters["functions"] = double(p.functions);
  state.counters["compiled"] = double(p.compiled);
  // Bytes of every body, compiled or refused (none is refused in a 2.0
  // module).
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(p.body_bytes));
}

void BM_JitCompile_SpecSuite(benchmark::State& state) {
  static Prepared p = prepare(spec_corpus().modules);
  compile_all(state, p);
}
BENCHMARK(BM_JitCompile_SpecSuite)->Unit(benchmark::kMillisecond);

void BM_JitCompile_Largest(benchmark::State& state) {
  std::string name;
  static Prepared p = prepare({largest_module(&name)});
  state.SetLabel(name);
  compile_all(state, p);
}
BENCHMARK(BM_JitCompile_Largest)->Unit(benchmark::kMillisecond);

// BM_JitCompile_Module/<file name> for each path in $WISP_BENCH_JIT_MODULES.
const bool kModulesRegistered = [] {
  const char* env = std::getenv("WISP_BENCH_JIT_MODULES");
  if (!env) return false;
  std::stringstream list(env);
  std::string path;
  while (std::getline(list, path, ':')) {
    if (path.empty()) continue;
    const std::string name = path.substr(path.find_last_of('/') + 1);
    benchmark::RegisterBenchmark(("BM_JitCompile_Module/" + name).c_str(), [path, name](benchmark::State& state) {
      static std::map<std::string, Prepared> prepared;
      auto it = prepared.find(path);
      if (it == prepared.end()) {
        std::ifstream f(path, std::ios::binary);
        std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
        it = prepared.emplace(path, prepare({bytes})).first;
      }
      state.SetLabel(name);
      compile_all(state, it->second);
    })->Unit(benchmark::kMillisecond);
  }
  return true;
}();

}  // namespace
}  // namespace wisp::bench
