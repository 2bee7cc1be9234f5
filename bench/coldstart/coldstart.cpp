// wisp_coldstart: in-process cold start, phase by phase, over every module
// of the spec suite (wasm-2.0) that needs no imports other than `spectest`,
// plus WASI modules given on the command line (a hello world) and the
// largest module at hand (bench_corpus.hpp).
//
// Phases of one sample (each timed with steady_clock, in microseconds):
//   decode       bytes -> Module (decode() of a private copy, make_shared)
//   validate     type checking plus the interpreter's side table
//   instantiate  a fresh Store (value stack reservation), the imports the
//                module names (spectest items, or WASI context + host
//                functions), and Linker::instantiate: memory reservation,
//                segments, globals, tables, start function
//   call         the first exported function whose parameters are all
//                numbers, called with zeros (WASI commands: _start), with
//                fuel so that it cannot hang; traps are fine and counted
//   total        the sum of the four, per sample
// Samples are taken round-robin over the modules (one untimed warm-up
// sweep first), so load spikes on the shared machine spread over all
// modules; per module the median of --reps samples is kept, and the summary
// gives median/p90/p99/max of those medians across modules.
//
// Memory: one extra pass with the counting allocator (count_alloc.cpp)
// reports the heap bytes the runtime keeps per module: the decoded and
// validated Module (vectors, side table, shared_ptr block) and the Instance
// with its functions, tables and globals; the module's own bytes are not
// counted, nor are mmap'ed linear memory and value stack.
//
//   wisp_coldstart [--reps N] [--fuel N] [--wasi-fuel N] [--csv FILE] [--md FILE]
//                  [--wasi NAME=FILE[,ARG...]]... [--no-largest] [--no-spec]
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "bench/bench_corpus.hpp"
#include "bench/coldstart/count_alloc.hpp"
#include "runtime/valid/decoder.hpp"
#include "runtime/valid/validator.hpp"
#include "runtime/api/wisp.hpp"
#include "wasi/wasi.hpp"

namespace wisp::bench {
namespace {

using Clock = std::chrono::steady_clock;

double us(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::micro>(b - a).count();
}

enum Phase { kDecode, kValidate, kInstantiate, kCall, kTotal, kStore, kTeardown, kNumPhases };
const char* const kPhaseNames[kNumPhases] = {"decode", "validate", "instantiate", "call",
                                             "total",  "store",    "teardown"};

struct Entry {
  std::string set;   // "spec", "wasi", "largest"
  std::string name;  // file.wast:line, or a label
  const std::vector<uint8_t>* bytes = nullptr;
  std::vector<uint8_t> own;        // for modules read here
  bool wasi = false;
  std::vector<std::string> args;   // WASI argv (argv[0] included)
  // Filled by the warm-up sweep.
  bool usable = false;
  std::string skip_reason;
  std::string export_name;         // the function called, empty if none
  std::string result;              // "ok", "trap: ...", "exit N", "no callable export"
  size_t code_bytes = 0;
  size_t side_table_bytes = 0;
  std::vector<double> samples[kNumPhases];
  double median[kNumPhases] = {};
  // Memory pass.
  int64_t module_heap = 0, instance_heap = 0, store_heap = 0;
};

struct Options {
  int reps = 41;
  uint64_t fuel = 1000000;          // per call of a spec module's export
  uint64_t wasi_fuel = 1000000000;  // WASI commands run to completion
  std::string csv, md;
  bool spec = true, largest = true;
  std::vector<std::string> wasi_specs;
};

int g_devnull = -1;

// spectest items (spec-tests/wast_runner.cpp's define_spectest), one by one:
// only what the module imports is created, as an embedder would.
TrapKind spectest_print(HostContext&, Slot*) { return TrapKind::None; }

bool define_spectest_item(Linker& linker, Store& store, std::string_view name) {
  static const std::map<std::string, std::vector<ValType>, std::less<>> funcs = {
      {"print", {}},
      {"print_i32", {ValType::I32}},
      {"print_i64", {ValType::I64}},
      {"print_f32", {ValType::F32}},
      {"print_f64", {ValType::F64}},
      {"print_i32_f32", {ValType::I32, ValType::F32}},
      {"print_f64_f64", {ValType::F64, ValType::F64}},
  };
  std::string n(name);
  if (auto it = funcs.find(name); it != funcs.end()) {
    FuncType t{it->second, {}};
    linker.define("spectest", n,
                  Extern{ExternKind::Func, store.host_func(t, spectest_print, nullptr, "spectest." + n)});
    return true;
  }
  auto global = [&](Value v) {
    linker.define("spectest", n, Extern{ExternKind::Global, store.global(GlobalType{v.type, false}, v)});
    return true;
  };
  if (name == "global_i32") return global(Value::i32(666));
  if (name == "global_i64") return global(Value::i64(666));
  if (name == "global_f32") return global(Value::f32(666.6f));
  if (name == "global_f64") return global(Value::f64(666.6));
  if (name == "table") {
    TableType tt;
    tt.elem = ValType::FuncRef;
    tt.limits.min = 10;
    tt.limits.max = 20;
    tt.limits.has_max = true;
    linker.define("spectest", n, Extern{ExternKind::Table, store.table(tt).value()});
    return true;
  }
  if (name == "memory") {
    MemoryType mt;
    mt.limits.min = 1;
    mt.limits.max = 2;
    mt.limits.has_max = true;
    auto mem = store.memory(mt);
    if (!mem.ok()) return false;
    linker.define("spectest", n, Extern{ExternKind::Memory, mem.value()});
    return true;
  }
  return false;
}

bool is_wasi_module(std::string_view m) {
  return m == "wasi_snapshot_preview1" || m == "wasi_unstable";
}

// The function to call: _start for WASI commands, else the first exported
// function whose parameters are all numbers.
std::string pick_export(const Module& m, bool wasi) {
  if (wasi)
    for (const Export& e : m.exports)
      if (e.kind == ExternKind::Func && e.name == "_start") return "_start";
  for (const Export& e : m.exports) {
    if (e.kind != ExternKind::Func) continue;
    const FuncType& t = m.func_type(e.index);
    bool numeric = std::all_of(t.params.begin(), t.params.end(), [](ValType v) {
      return v == ValType::I32 || v == ValType::I64 || v == ValType::F32 || v == ValType::F64;
    });
    if (numeric) return std::string(e.name);
  }
  return {};
}

std::vector<Value> zero_args(const FuncType& t) {
  std::vector<Value> args;
  for (ValType v : t.params) {
    Value x;
    x.type = v;
    x.bits.u64 = 0;
    args.push_back(x);
  }
  return args;
}

std::string describe(const CallResult& r) {
  if (auto* t = std::get_if<Trap>(&r)) {
    if (t->kind == TrapKind::Exit) return "exit " + std::to_string(t->exit_code);
    return std::string("trap: ") + trap_message(t->kind);
  }
  return "ok";
}

// One sample. Returns false (with why) if the module cannot be measured.
// With `memory`, fills the heap figures instead of timing anything useful.
bool sample(Entry& e, const Options& o, double out[kNumPhases], std::string* why, bool memory) {
  std::vector<uint8_t> copy(*e.bytes);
  int64_t heap_bytes = alloc::live_bytes;

  auto t0 = Clock::now();
  auto dec = decode(std::move(copy));
  if (!dec.ok()) {
    if (why) *why = "decode: " + dec.error().message;
    return false;
  }
  auto mod = std::make_shared<Module>(std::move(dec.value()));
  auto t1 = Clock::now();
  Status st = validate(*mod);
  auto t2 = Clock::now();
  if (!st.ok()) {
    if (why) *why = "validate: " + st.error().message;
    return false;
  }
  int64_t heap_module = alloc::live_bytes;
  Clock::time_point t3, t4, t5, t6, t7;
  {
    StoreConfig cfg;
    cfg.fuel = e.wasi ? o.wasi_fuel : o.fuel;
    Store store(cfg);
    Linker linker;
    std::unique_ptr<wasi::WasiCtx> wctx;
    if (e.wasi) {
      wasi::WasiConfig wc;
      wc.args = e.args;
      wc.stdin_fd = g_devnull;
      wc.stdout_fd = g_devnull;
      wc.stderr_fd = g_devnull;
      auto c = wasi::WasiCtx::create(wc);
      if (!c.ok()) {
        if (why) *why = "wasi: " + c.error().message;
        return false;
      }
      wctx = std::move(c.value());
      wasi::add_to_linker(linker, store, *wctx);
    }
    for (const Import& im : mod->imports) {
      if (im.module == "spectest") {
        if (!linker.find(im.module, im.name) && !define_spectest_item(linker, store, im.name)) {
          if (why) *why = "unknown spectest import " + std::string(im.name);
          return false;
        }
      } else if (!(e.wasi && is_wasi_module(im.module))) {
        if (why) *why = "imports from " + std::string(im.module);
        return false;
      }
    }
    int64_t heap_store = alloc::live_bytes;
    t3 = Clock::now();
    auto inst = linker.instantiate(store, mod);
    t4 = Clock::now();
    if (!inst.ok()) {
      if (why) *why = "instantiate: " + inst.error().message;
      return false;
    }
    int64_t heap_inst = alloc::live_bytes;
    // The export lookup and the zero arguments are not part of any phase.
    std::string name = pick_export(*mod, e.wasi);
    FuncInst* f = name.empty() ? nullptr : inst.value()->func_export(name);
    std::vector<Value> args;
    if (f) args = zero_args(f->type());
    std::string result = "no callable export";
    t5 = t6 = Clock::now();
    if (f) {
      CallResult r = store.call(f, args);
      t6 = Clock::now();
      result = describe(r);
    }
    if (why) {  // warm-up: record what happened
      e.export_name = name;
      e.result = result;
      e.code_bytes = 0;
      for (const Function& fn : mod->funcs)
        if (!fn.imported) e.code_bytes += fn.body_size;
      e.side_table_bytes = mod->side_table.size() * sizeof(SideEntry);
    }
    if (memory) {
      e.module_heap = heap_module - heap_bytes;
      e.store_heap = heap_store - heap_module;
      e.instance_heap = heap_inst - heap_store;
    }
    t7 = Clock::now();  // the store, then the module, die here
  }
  mod.reset();
  auto t8 = Clock::now();
  out[kDecode] = us(t0, t1);
  out[kValidate] = us(t1, t2);
  out[kStore] = us(t2, t3);
  out[kInstantiate] = us(t2, t4);
  out[kCall] = us(t5, t6);
  out[kTeardown] = us(t7, t8);
  out[kTotal] = out[kDecode] + out[kValidate] + out[kInstantiate] + out[kCall];
  return true;
}

double median_of(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Nearest-rank percentile of sorted values.
double pct(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t k = size_t(std::ceil(p / 100.0 * double(sorted.size())));
  if (k < 1) k = 1;
  if (k > sorted.size()) k = sorted.size();
  return sorted[k - 1];
}

std::string fmt(double v, int prec = 2) {
  char buf[64];
  if (v >= 1000)
    snprintf(buf, sizeof buf, "%.0f", v);
  else if (v >= 100)
    snprintf(buf, sizeof buf, "%.1f", v);
  else
    snprintf(buf, sizeof buf, "%.*f", prec, v);
  return buf;
}

std::string csv_quote(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

int usage() {
  std::cerr << "usage: wisp_coldstart [--reps N] [--fuel N] [--wasi-fuel N] [--csv FILE] [--md FILE]\n"
               "                      [--wasi NAME=FILE[,ARG...]]... [--no-largest] [--no-spec]\n";
  return 2;
}

int main_impl(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : std::string(); };
    if (a == "--reps") o.reps = std::max(1, atoi(next().c_str()));
    else if (a == "--fuel") o.fuel = strtoull(next().c_str(), nullptr, 0);
    else if (a == "--wasi-fuel") o.wasi_fuel = strtoull(next().c_str(), nullptr, 0);
    else if (a == "--csv") o.csv = next();
    else if (a == "--md") o.md = next();
    else if (a == "--wasi") o.wasi_specs.push_back(next());
    else if (a == "--no-largest") o.largest = false;
    else if (a == "--no-spec") o.spec = false;
    else return usage();
  }
  g_devnull = open("/dev/null", O_RDWR);

  std::vector<Entry> entries;
  if (o.spec) {
    const Corpus& c = spec_corpus();
    for (size_t i = 0; i < c.modules.size(); ++i) {
      Entry e;
      e.set = "spec";
      e.name = c.names[i];
      e.bytes = &c.modules[i];
      entries.push_back(std::move(e));
    }
  }
  for (const std::string& spec : o.wasi_specs) {
    Entry e;
    e.set = "wasi";
    size_t eq = spec.find('=');
    std::string rest = eq == std::string::npos ? spec : spec.substr(eq + 1);
    std::vector<std::string> parts;
    std::stringstream ss(rest);
    for (std::string p; std::getline(ss, p, ',');) parts.push_back(p);
    if (parts.empty()) return usage();
    e.name = eq == std::string::npos ? parts[0] : spec.substr(0, eq);
    e.own = read_file(parts[0]);
    if (e.own.empty()) {
      std::cerr << "wisp_coldstart: cannot read " << parts[0] << "\n";
      return 1;
    }
    e.wasi = true;
    e.args.push_back(parts[0].substr(parts[0].find_last_of('/') + 1));
    e.args.insert(e.args.end(), parts.begin() + 1, parts.end());
    entries.push_back(std::move(e));
  }
  if (o.largest) {
    Entry e;
    std::string which;
    const auto& b = largest_module(&which);
    if (!b.empty()) {
      e.set = "largest";
      e.name = which + " (" + std::to_string(b.size()) + " bytes)";
      e.own = b;
      // A WASI command: run its quick size (argv[1] = -1), not the benchmark.
      e.wasi = true;
      e.args = {which, "-1"};
      entries.push_back(std::move(e));
    }
  }
  for (Entry& e : entries)
    if (!e.bytes) e.bytes = &e.own;

  // Warm-up sweep: decides what each module does and whether it counts.
  double tmp[kNumPhases];
  for (Entry& e : entries) {
    std::string why;
    e.usable = sample(e, o, tmp, &why, false);
    if (!e.usable) e.skip_reason = why;
  }
  // Timed sweeps, round-robin.
  auto start = Clock::now();
  for (int r = 0; r < o.reps; ++r)
    for (Entry& e : entries) {
      if (!e.usable) continue;
      double s[kNumPhases];
      if (!sample(e, o, s, nullptr, false)) continue;
      for (int p = 0; p < kNumPhases; ++p) e.samples[p].push_back(s[p]);
    }
  double sweep_s = us(start, Clock::now()) / 1e6;
  // Memory pass.
  for (Entry& e : entries) {
    if (!e.usable) continue;
    alloc::counting = true;
    sample(e, o, tmp, nullptr, true);
    alloc::counting = false;
  }
  for (Entry& e : entries)
    for (int p = 0; p < kNumPhases; ++p) e.median[p] = median_of(e.samples[p]);

  // ---- CSV ------------------------------------------------------------------
  if (!o.csv.empty()) {
    std::ofstream f(o.csv);
    f << "set,module,bytes,code_bytes,measured,skip_reason,export,result,samples";
    for (int p = 0; p < kNumPhases; ++p) f << "," << kPhaseNames[p] << "_us";
    f << ",side_table_bytes,module_heap_bytes,instance_heap_bytes,import_heap_bytes,"
         "heap_per_module_byte,heap_per_code_byte\n";
    for (const Entry& e : entries) {
      f << e.set << "," << csv_quote(e.name) << "," << e.bytes->size() << "," << e.code_bytes << ","
        << (e.usable ? 1 : 0) << "," << csv_quote(e.skip_reason) << "," << csv_quote(e.export_name)
        << "," << csv_quote(e.result) << "," << e.samples[0].size();
      char buf[64];
      for (int p = 0; p < kNumPhases; ++p) {
        snprintf(buf, sizeof buf, ",%.3f", e.median[p]);
        f << (e.usable ? buf : ",");
      }
      int64_t heap = e.module_heap + e.instance_heap;
      f << "," << e.side_table_bytes << "," << e.module_heap << "," << e.instance_heap << ","
        << e.store_heap;
      if (e.usable) {
        snprintf(buf, sizeof buf, ",%.3f", double(heap) / double(e.bytes->size()));
        f << buf;
        if (e.code_bytes) {
          snprintf(buf, sizeof buf, ",%.3f", double(heap) / double(e.code_bytes));
          f << buf;
        } else {
          f << ",";
        }
      } else {
        f << ",,";
      }
      f << "\n";
    }
  }

  // ---- summary --------------------------------------------------------------
  std::ostringstream md;
  std::vector<const Entry*> spec;
  size_t spec_total = 0;
  std::map<std::string, size_t> skipped, results;
  for (const Entry& e : entries) {
    if (e.set != "spec") continue;
    ++spec_total;
    if (!e.usable) {
      std::string k = e.skip_reason.substr(0, e.skip_reason.find(':'));
      if (e.skip_reason.rfind("imports from", 0) == 0) k = "imports other than spectest";
      ++skipped[k];
      continue;
    }
    spec.push_back(&e);
    ++results[e.result];
  }
  md << "Spec-suite modules (wasm-2.0, all valid `module` commands): " << spec_total
     << "; measured: " << spec.size();
  for (auto& [k, n] : skipped) md << "; skipped (" << k << "): " << n;
  md << ". " << o.reps << " samples per module, round-robin, after one warm-up sweep ("
     << fmt(sweep_s, 1) << " s); fuel " << o.fuel << " per call.\n\n";
  md << "First call:";
  bool first = true;
  for (auto& [k, n] : results) {
    md << (first ? " " : ", ") << n << " " << k;
    first = false;
  }
  md << ".\n\n";

  md << "Per-module medians, distribution across the " << spec.size() << " modules (µs):\n\n";
  md << "| phase | median | p90 | p99 | max |\n|---|---:|---:|---:|---:|\n";
  for (int p : {kDecode, kValidate, kInstantiate, kCall, kTotal}) {
    std::vector<double> v;
    for (const Entry* e : spec) v.push_back(e->median[p]);
    std::sort(v.begin(), v.end());
    md << "| " << (p == kTotal ? "**total**" : kPhaseNames[p]) << " | " << fmt(pct(v, 50)) << " | "
       << fmt(pct(v, 90)) << " | " << fmt(pct(v, 99)) << " | " << fmt(v.empty() ? 0 : v.back())
       << " |\n";
  }
  {
    std::vector<double> v;
    for (const Entry* e : spec) v.push_back(e->median[kStore]);
    std::sort(v.begin(), v.end());
    md << "\n(`instantiate` includes creating the Store and the spectest items the module "
          "imports: median " << fmt(pct(v, 50)) << " µs, p90 " << fmt(pct(v, 90)) << " µs.)\n";
  }

  std::vector<const Entry*> slow = spec;
  std::sort(slow.begin(), slow.end(),
            [](const Entry* a, const Entry* b) { return a->median[kTotal] > b->median[kTotal]; });
  if (slow.size() > 10) slow.resize(10);
  md << "\nThe 10 slowest modules (median µs):\n\n";
  md << "| module | bytes | decode | validate | instantiate | call | total | first call |\n"
        "|---|---:|---:|---:|---:|---:|---:|---|\n";
  for (const Entry* e : slow)
    md << "| `" << e->name << "` | " << e->bytes->size() << " | " << fmt(e->median[kDecode]) << " | "
       << fmt(e->median[kValidate]) << " | " << fmt(e->median[kInstantiate]) << " | "
       << fmt(e->median[kCall]) << " | " << fmt(e->median[kTotal]) << " | `" << e->export_name
       << "`: " << e->result << " |\n";

  md << "\nWASI modules and the largest module (median µs; `instantiate` includes the Store, "
        "the WASI context and its host functions, shown apart as `of which imports`):\n\n";
  md << "| module | bytes | decode | validate | instantiate | of which imports | call | total | first call |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---|\n";
  for (const Entry& e : entries) {
    if (e.set == "spec") continue;
    if (!e.usable) {
      md << "| " << e.name << " | " << e.bytes->size() << " | — | — | — | — | — | — | not measured: "
         << e.skip_reason << " |\n";
      continue;
    }
    std::string args;
    for (size_t k = 1; k < e.args.size(); ++k) args += " " + e.args[k];
    md << "| " << e.name << " | " << e.bytes->size() << " | " << fmt(e.median[kDecode]) << " | "
       << fmt(e.median[kValidate]) << " | " << fmt(e.median[kInstantiate]) << " | "
       << fmt(e.median[kStore]) << " | " << fmt(e.median[kCall]) << " | " << fmt(e.median[kTotal])
       << " | `" << e.export_name << "`" << (args.empty() ? "" : " (argv:" + args + ")") << ": " << e.result << " |\n";
  }

  // Memory.
  {
    std::vector<double> per_byte, per_code;
    int64_t heap_sum = 0, bytes_sum = 0, code_sum = 0, side_sum = 0, mod_sum = 0;
    for (const Entry* e : spec) {
      int64_t heap = e->module_heap + e->instance_heap;
      per_byte.push_back(double(heap) / double(e->bytes->size()));
      if (e->code_bytes) per_code.push_back(double(heap) / double(e->code_bytes));
      heap_sum += heap;
      mod_sum += e->module_heap;
      bytes_sum += int64_t(e->bytes->size());
      code_sum += int64_t(e->code_bytes);
      side_sum += int64_t(e->side_table_bytes);
    }
    std::sort(per_byte.begin(), per_byte.end());
    std::sort(per_code.begin(), per_code.end());
    md << "\nRuntime heap per module (counting allocator: decoded Module with side table, plus "
          "Instance; the module's bytes, linear memory and value stack not included), in bytes "
          "of heap per byte:\n\n";
    md << "| ratio | median | p90 | p99 | max | all modules together |\n|---|---:|---:|---:|---:|---:|\n";
    auto row = [&](const char* label, const std::vector<double>& v, double agg) {
      md << "| " << label << " | " << fmt(pct(v, 50)) << " | " << fmt(pct(v, 90)) << " | "
         << fmt(pct(v, 99)) << " | " << fmt(v.empty() ? 0 : v.back()) << " | " << fmt(agg) << " |\n";
    };
    row("heap ÷ module size", per_byte, bytes_sum ? double(heap_sum) / double(bytes_sum) : 0);
    row("heap ÷ code-section bodies", per_code, code_sum ? double(heap_sum) / double(code_sum) : 0);
    md << "\nTotals over the measured modules: " << bytes_sum << " bytes of modules, " << code_sum
       << " bytes of function bodies; heap " << heap_sum << " bytes (Module " << mod_sum
       << ", of which side tables " << side_sum << "; instances " << (heap_sum - mod_sum) << ").\n";
    for (const Entry& e : entries) {
      if (e.set == "spec" || !e.usable) continue;
      int64_t heap = e.module_heap + e.instance_heap;
      md << "\n" << e.name << ": heap " << heap << " bytes (Module " << e.module_heap
         << ", side table " << e.side_table_bytes << ", Instance " << e.instance_heap << "; WASI "
         << "context and host functions " << e.store_heap << ") for " << e.bytes->size()
         << " bytes of module, " << fmt(double(heap) / double(e.bytes->size())) << " per byte.\n";
    }
  }

  std::string text = md.str();
  std::cout << text;
  if (!o.md.empty()) std::ofstream(o.md) << text;
  return 0;
}

}  // namespace
}  // namespace wisp::bench

int main(int argc, char** argv) { return wisp::bench::main_impl(argc, argv); }
