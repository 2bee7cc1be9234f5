// Baseline JIT compile speed: every function of every valid spec-suite
// module (and of the largest module at hand) compiled eagerly, in bytes of
// function bodies per second. Liftoff's reference point is its own compile
// of the same bytes (bench/README.md).
#include <benchmark/benchmark.h>

#include <memory>

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
    auto m = decode_borrowed(b.data(), b.size());
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
  // Bytes of every body, compiled or refused (refused ones are v128: they
  // stop at their first SIMD instruction, so this flatters a little).
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

}  // namespace
}  // namespace wisp::bench
