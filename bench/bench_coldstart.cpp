// Cold start: bytes -> decoded, validated, instantiated module -> first
// call returns (issue goal: < 5 us median for the tiny module).
#include <benchmark/benchmark.h>

#include "runtime/api/wisp.hpp"

namespace wisp::bench {
namespace {

// (module (func (export "f") (result i32) i32.const 42))
const std::vector<uint8_t> kTiny = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01,
    0x7f, 0x03, 0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0a, 0x06,
    0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b};

// (module (memory 1) (data (i32.const 0) "hi") (func (export "f") (result i32)
//   i32.const 0 i32.load8_u))
const std::vector<uint8_t> kTinyMemory = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,
    0x03, 0x02, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00,
    0x00, 0x0a, 0x09, 0x01, 0x07, 0x00, 0x41, 0x00, 0x2d, 0x00, 0x00, 0x0b, 0x0b, 0x08, 0x01,
    0x00, 0x41, 0x00, 0x0b, 0x02, 0x68, 0x69};

void cold_start(benchmark::State& state, const std::vector<uint8_t>& bytes, uint32_t want) {
  for (auto _ : state) {
    auto mod = load_module(std::vector<uint8_t>(bytes));
    Store store;
    auto inst = store.instantiate(mod.value(), {});
    CallResult r = store.call(inst.value()->func_export("f"), {});
    auto& vals = std::get<std::vector<Value>>(r);
    if (vals[0].bits.u32 != want) state.SkipWithError("wrong result");
    benchmark::DoNotOptimize(vals);
  }
}

void BM_ColdStart_Tiny(benchmark::State& state) { cold_start(state, kTiny, 42); }
BENCHMARK(BM_ColdStart_Tiny)->Unit(benchmark::kMicrosecond)->Repetitions(5)->ReportAggregatesOnly();

void BM_ColdStart_TinyWithMemory(benchmark::State& state) { cold_start(state, kTinyMemory, 'h'); }
BENCHMARK(BM_ColdStart_TinyWithMemory)->Unit(benchmark::kMicrosecond)->Repetitions(5)->ReportAggregatesOnly();

}  // namespace
}  // namespace wisp::bench
