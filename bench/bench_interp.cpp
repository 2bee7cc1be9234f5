// Interpreter speed on the C workloads' freestanding kernels
// (bench/workloads/*.kernel.wasm, `run_default() -> i64`). Reports time per
// run and, from a fuel-counted run, wasm instructions executed (`instrs`)
// and ns per instruction (`ns/instr` from thread CPU time, `wall_ns/instr`
// from wall-clock time). Cross-runtime ratios come from bench/run (compare.py), which
// runs node in the same session.
#include <benchmark/benchmark.h>

#include <dirent.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>

#include "bench/bench_corpus.hpp"
#include "runtime/api/wisp.hpp"

namespace wisp::bench {
namespace {

struct Kernel {
  std::string name;
  std::shared_ptr<Module> module;
};

std::vector<Kernel> load_kernels() {
  std::vector<Kernel> out;
  std::string dir = WISP_BENCH_WORKLOAD_DIR;
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      const std::string suffix = ".kernel.wasm";
      if (n.size() > suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0)
        names.push_back(n);
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  for (const std::string& n : names) {
    auto m = load_module(read_file(dir + "/" + n));
    if (m.ok()) out.push_back({n.substr(0, n.find('.')), m.value()});
  }
  return out;
}

// Instructions executed by one run, counted with fuel.
uint64_t count_instructions(const Kernel& k) {
  StoreConfig cfg;
  cfg.fuel = UINT64_MAX;
  Store store(cfg);
  auto inst = store.instantiate(k.module, {});
  if (!inst.ok()) return 0;
  CallResult r = store.call(inst.value()->func_export("run_default"), {});
  if (std::holds_alternative<Trap>(r)) return 0;
  return UINT64_MAX - store.fuel_left();
}

double thread_cpu_ns() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) * 1e9 + double(ts.tv_nsec);
}

void run_kernel(benchmark::State& state, const Kernel& k) {
  static std::map<std::string, uint64_t> counts;
  uint64_t& instrs = counts[k.name];
  if (!instrs) instrs = count_instructions(k);
  // The call alone, timed here as well as by the framework: the counters
  // below are plain numbers in ns (a kIsRate|kInvert counter has the right
  // value but Google Benchmark prints it with an "s" unit, which read as
  // seconds per instruction).
  double cpu_ns = 0, wall_ns = 0;
  for (auto _ : state) {
    state.PauseTiming();
    Store store;
    auto inst = store.instantiate(k.module, {});
    if (!inst.ok()) {
      state.SkipWithError(inst.error().message.c_str());
      return;
    }
    FuncInst* f = inst.value()->func_export("run_default");
    state.ResumeTiming();
    auto w0 = std::chrono::steady_clock::now();
    double c0 = thread_cpu_ns();
    CallResult r = store.call(f, {});
    cpu_ns += thread_cpu_ns() - c0;
    wall_ns += std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - w0).count();
    if (auto* t = std::get_if<Trap>(&r)) {
      state.SkipWithError(t->message.c_str());
      return;
    }
    benchmark::DoNotOptimize(r);
  }
  double n = double(instrs) * double(state.iterations());
  state.counters["instrs"] = double(instrs);
  // ns per executed wasm instruction: thread CPU time (robust on a loaded
  // machine) and wall-clock time of the call.
  state.counters["ns/instr"] = n ? cpu_ns / n : 0;
  state.counters["wall_ns/instr"] = n ? wall_ns / n : 0;
}

int register_kernels() {
  static std::vector<Kernel> kernels = load_kernels();
  for (const Kernel& k : kernels) {
    benchmark::RegisterBenchmark(("BM_Interp/" + k.name).c_str(),
                                 [&k](benchmark::State& s) { run_kernel(s, k); })
        ->Unit(benchmark::kMillisecond)
        ->Iterations(1)
        ->Repetitions(3)
        ->ReportAggregatesOnly();
  }
  return 0;
}
const int registered = register_kernels();

}  // namespace
}  // namespace wisp::bench
