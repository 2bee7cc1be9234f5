// The same module run interpreted, compiled by the baseline JIT (each
// function on its first call), and under Tier::Auto with a tiny sampling
// interval (tier-up and on-stack replacement mid-call) must do the same:
// every export call's results (NaNs as NaN), traps with their messages and
// backtraces, and afterwards the globals and memory 0 (when no body has
// float arithmetic: NaN payloads are the implementation's choice).
//
// Input as for fuzz_instantiate_run: a module if it starts with the wasm
// magic, otherwise a recipe for the generator (module_gen.hpp). Each run
// has 100k fuel per call; where fuel runs out differs between the tiers
// (compiled code charges it per straight-line run), so comparison stops at
// the first call that runs out of it in either.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "fuzz/fuzz_util.hpp"
#include "fuzz/harness.hpp"
#include "fuzz/module_gen.hpp"
#include "runtime/api/wisp.hpp"
#include "runtime/valid/body_syntax.hpp"

namespace {

// What the bodies do that makes results or state tier-dependent.
struct Nondeterminism {
  // Float arithmetic, whose NaN results may carry any payload (the spec's
  // nondeterminism: the tiers legitimately differ there). Such a NaN stored
  // to memory or a global makes the final state not comparable; results
  // are compared with every NaN alike.
  bool nans = false;
  // Ways a float's bits reach an integer (reinterpretation, a float stored
  // and loaded back, v128 lanes): with `nans`, integer results are not
  // comparable either, only whether calls trap and how.
  bool float_bits = false;
};

Nondeterminism scan(const wisp::Module& m) {
  Nondeterminism found;
  wisp::InstrSink sink;
  sink.ctx = &found;
  sink.instr = [](void* ctx, const wisp::Instr& in, uint32_t) {
    auto* nd = static_cast<Nondeterminism*>(ctx);
    switch (in.op) {
      case wisp::Op::I32ReinterpretF32: case wisp::Op::I64ReinterpretF64: case wisp::Op::F32Store:
      case wisp::Op::F64Store:
        nd->float_bits = true;
        break;
      default:
        if (wisp::op_info(in.op).prefix == 0xFD) nd->float_bits = true;
        break;
    }
    std::string_view t = wisp::op_info(in.op).text;
    std::string_view op;
    if (t.size() > 4 && (t.substr(0, 4) == "f32." || t.substr(0, 4) == "f64.")) op = t.substr(4);
    if (t.size() > 6 && (t.substr(0, 6) == "f32x4." || t.substr(0, 6) == "f64x2.")) op = t.substr(6);
    for (std::string_view a : {"add", "sub", "mul", "div", "sqrt", "min", "max", "ceil", "floor",
                               "trunc", "nearest", "demote_f64", "promote_f32", "demote_f64x2_zero",
                               "promote_low_f32x4"})
      if (op == a) nd->nans = true;
    return true;
  };
  for (uint32_t i = m.num_imported_funcs; i < m.funcs.size(); ++i)
    wisp::read_body_syntax(m, i, &sink);
  return found;
}

// A call's record with its values' bits left out ("i64:" for "i64:2a"):
// whether it trapped, and the trap's message and backtrace, stay.
std::string without_values(const std::string& call) {
  if (call.find(" trap") != std::string::npos) return call;
  std::string out;
  bool skipping = false;
  for (char ch : call) {
    if (ch == ' ') skipping = false;
    if (!skipping) out += ch;
    if (ch == ':') skipping = true;
  }
  return out;
}

void compare(const wisp::fuzz::RunRecord& a, const wisp::fuzz::RunRecord& b, const char* tier,
             bool state_comparable, bool values_comparable) {
  const size_t n = std::min(a.calls.size(), b.calls.size());
  // Where fuel runs out differs between the tiers, and so does how deep
  // host re-entry nests before the native stack guard (each tier's frames
  // take their own native stack): from such a call on, nothing compares.
  auto tier_dependent = [](const std::string& call) {
    return call.find("all fuel consumed") != std::string::npos ||
           call.find("call stack exhausted") != std::string::npos;
  };
  for (size_t i = 0; i < n; ++i) {
    if (tier_dependent(a.calls[i]) || tier_dependent(b.calls[i])) return;
    const bool same = values_comparable ? a.calls[i] == b.calls[i]
                                        : without_values(a.calls[i]) == without_values(b.calls[i]);
    FUZZ_CHECK(same, "call %zu differs:\n  interp: %.400s\n  %s:    %.400s", i, a.calls[i].c_str(), tier,
               b.calls[i].c_str());
  }
  if (a.out_of_fuel || b.out_of_fuel) return;
  for (size_t i = 0; i < n; ++i)
    if (tier_dependent(a.calls[i])) return;
  if (!state_comparable) return;
  FUZZ_CHECK(a.calls.size() == b.calls.size(), "%zu calls interpreted, %zu under %s", a.calls.size(),
             b.calls.size(), tier);
  for (size_t i = 0; i < a.globals.size() && i < b.globals.size(); ++i)
    FUZZ_CHECK(a.globals[i] == b.globals[i], "global %zu differs: interp %s, %s %s", i,
               a.globals[i].c_str(), tier, b.globals[i].c_str());
  FUZZ_CHECK(a.memory_hash == b.memory_hash, "memory 0 differs after the calls (%s)", tier);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const bool binary = size >= 4 && std::memcmp(data, "\0asm", 4) == 0;
  std::vector<uint8_t> bytes = binary ? std::vector<uint8_t>(data, data + size)
                                      : wisp::fuzz::generate_module(data, size);
  // WISP_FUZZ_DUMP=FILE: write the module run (a recipe's generated one)
  // there, to reproduce a finding with `wisp run` or read it with wasm2wat.
  if (const char* dump = getenv("WISP_FUZZ_DUMP")) {
    if (FILE* f = fopen(dump, "wb")) {
      fwrite(bytes.data(), 1, bytes.size(), f);
      fclose(f);
    }
  }
  auto m = wisp::load_module(std::move(bytes));
  if (!m) {
    FUZZ_CHECK(binary, "the generator made an invalid module: %s", wisp::format_error(m.error()).c_str());
    return 0;
  }
  wisp::fuzz::RunLimits limits;
  wisp::fuzz::RunRecord interp, jit, autotier;
  limits.tier = wisp::Tier::Interp;
  wisp::fuzz::instantiate_and_run(*m, data, size, limits, nullptr, &interp);
  limits.tier = wisp::Tier::Jit;
  wisp::fuzz::instantiate_and_run(*m, data, size, limits, nullptr, &jit);
  const Nondeterminism nd = scan(**m);
  const bool state_comparable = !nd.nans;
  const bool values_comparable = !(nd.nans && nd.float_bits);
  compare(interp, jit, "jit", state_comparable, values_comparable);
  limits.tier = wisp::Tier::Auto;
  limits.tier_sample = 1 + (size ? data[0] % 64 : 0);
  wisp::fuzz::instantiate_and_run(*m, data, size, limits, nullptr, &autotier);
  compare(interp, autotier, "auto", state_comparable, values_comparable);
  return 0;
}
