// Decode + validate throughput (issue: >= 300 MB/s on one core).
#include <benchmark/benchmark.h>

#include "bench/bench_corpus.hpp"
#include "runtime/valid/decoder.hpp"
#include "runtime/valid/validator.hpp"

namespace wisp::bench {
namespace {

void decode_validate(benchmark::State& state, const std::vector<std::vector<uint8_t>>& mods,
                     size_t bytes) {
  if (mods.empty()) {
    state.SkipWithError("no modules (spec suite not found?)");
    return;
  }
  for (auto _ : state) {
    for (const auto& b : mods) {
      auto m = decode_borrowed(b.data(), b.size());
      Status s = validate(m.value());
      benchmark::DoNotOptimize(s);
    }
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(bytes));
}

void BM_DecodeValidate_SpecSuite(benchmark::State& state) {
  const Corpus& c = spec_corpus();
  state.counters["modules"] = double(c.modules.size());
  decode_validate(state, c.modules, c.total_bytes);
}
BENCHMARK(BM_DecodeValidate_SpecSuite)->Unit(benchmark::kMillisecond);

void BM_DecodeValidate_Largest(benchmark::State& state) {
  std::string name;
  const auto& b = largest_module(&name);
  state.SetLabel(name + ", " + std::to_string(b.size()) + " bytes");
  decode_validate(state, {b}, b.size());
}
BENCHMARK(BM_DecodeValidate_Largest)->Unit(benchmark::kMicrosecond);

void BM_DecodeOnly_Largest(benchmark::State& state) {
  const auto& b = largest_module();
  for (auto _ : state) {
    auto m = decode_borrowed(b.data(), b.size());
    benchmark::DoNotOptimize(m);
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(b.size()));
}
BENCHMARK(BM_DecodeOnly_Largest)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace wisp::bench

namespace wisp::bench {
namespace {
void BM_DecodeOnly_SpecSuite(benchmark::State& state) {
  const Corpus& c = spec_corpus();
  for (auto _ : state) {
    for (const auto& b : c.modules) {
      auto m = decode_borrowed(b.data(), b.size());
      benchmark::DoNotOptimize(m);
    }
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(c.total_bytes));
}
BENCHMARK(BM_DecodeOnly_SpecSuite)->Unit(benchmark::kMillisecond);
}  // namespace
}  // namespace wisp::bench
