#include "fuzz/harness.hpp"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include "fuzz/fuzz_util.hpp"
#include "runtime/api/wisp.hpp"

namespace wisp::fuzz {
namespace {

struct HostData {
  uint32_t nparams = 0;
  uint32_t nresults = 0;
  bool first_is_i32 = false;
  // Call back into the calling instance (its export number `target`,
  // modulo the count, with zero arguments) before returning: host re-entry,
  // which nests Store::call inside a running call.
  bool reenter = false;
  uint32_t target = 0;
};

Value zero_of(ValType t) {
  Value v;  // all bits zero: 0, +0.0, null
  v.type = t;
  return v;
}

// Zeroes the results; traps with a host error if the first argument is the
// i32 0xDEAD, so wasm that computes it reaches the host-trap path.
TrapKind dummy(HostContext& ctx, Slot* args) {
  auto* d = static_cast<const HostData*>(ctx.data);
  if (d->first_is_i32 && d->nparams > 0 && args[0].u32 == 0xDEAD) {
    ctx.message = "dummy import trapped";
    return TrapKind::HostError;
  }
  if (d->reenter && ctx.caller) {
    std::vector<FuncInst*> funcs;
    for (const Export& e : ctx.caller->module->exports)
      if (e.kind == ExternKind::Func) funcs.push_back(ctx.caller->funcs[e.index]);
    if (!funcs.empty()) {
      FuncInst* f = funcs[d->target % funcs.size()];
      std::vector<Value> inner;
      for (ValType t : f->type().params) inner.push_back(zero_of(t));
      CallResult r = ctx.store->call(f, inner);
      if (auto* t = std::get_if<Trap>(&r)) {
        ctx.message = "re-entered call trapped: " + t->message;
        return TrapKind::HostError;
      }
    }
  }
  for (uint32_t i = 0; i < d->nresults; ++i) std::memset(&args[i], 0, sizeof(Slot));
  return TrapKind::None;
}

class Seed {
 public:
  Seed(const uint8_t* p, size_t n) : p_(p), n_(n) {}
  uint64_t next(unsigned bytes) {
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; ++i) v |= uint64_t(n_ ? p_[i_++ % n_] : 0) << (8 * i);
    return v;
  }

 private:
  const uint8_t* p_;
  size_t n_;
  size_t i_ = 0;
};

Value arg(ValType t, Seed& s) {
  switch (t) {
    case ValType::I32: return Value::i32(uint32_t(s.next(4)));
    case ValType::I64: return Value::i64(s.next(8));
    case ValType::F32: return Value::f32_bits(uint32_t(s.next(4)));
    case ValType::F64: return Value::f64_bits(s.next(8));
    case ValType::V128: {
      uint8_t b[16];
      for (auto& x : b) x = uint8_t(s.next(1));
      return Value::v128(b);
    }
    case ValType::ExternRef:
      // Opaque to wasm: any non-null bits are a valid externref.
      return Value::ref(t, reinterpret_cast<Ref>(uintptr_t(s.next(1) & 1 ? 0x1000 + s.next(1) : 0)));
    default: {
      Value v;
      v.type = t;  // funcref: null from the host side
      return v;
    }
  }
}

// A value as a string; every NaN the same (their payloads are not
// deterministic in Wasm).
std::string show(ValType t, const Slot& s) {
  if (t == ValType::F32 && std::isnan(s.f32)) return "f32:nan";
  if (t == ValType::F64 && std::isnan(s.f64)) return "f64:nan";
  if (t == ValType::FuncRef) {  // the function, not where its instance sits in memory
    auto* f = static_cast<const FuncInst*>(s.ref);
    if (!f) return "funcref:null";
    return f->instance ? "funcref:" + std::to_string(f->index) : "funcref:host";
  }
  char buf[80];
  if (t == ValType::V128) {
    // Lanes are untyped here: any 64- or 32-bit part that is a NaN as a
    // float shows as one (a few integer patterns compare less strictly).
    std::string out = "v128:";
    for (int half = 1; half >= 0; --half) {
      double d;
      std::memcpy(&d, &s.w[half], 8);
      if (std::isnan(d)) {
        out += "<nan64>";
        continue;
      }
      for (int lane = 1; lane >= 0; --lane) {
        uint32_t u = uint32_t(s.w[half] >> (32 * lane));
        float f;
        std::memcpy(&f, &u, 4);
        if (std::isnan(f)) {
          out += "<nan32>";
        } else {
          snprintf(buf, sizeof buf, "%08x", u);
          out += buf;
        }
      }
    }
    return out;
  }
  if (t == ValType::I32 || t == ValType::F32)
    snprintf(buf, sizeof buf, "%s:%08x", std::string(to_string(t)).c_str(), s.u32);
  else
    snprintf(buf, sizeof buf, "%s:%016llx", std::string(to_string(t)).c_str(), (unsigned long long)s.u64);
  return buf;
}

}  // namespace

void instantiate_and_run(std::shared_ptr<const Module> m, const uint8_t* seed, size_t seed_size,
                         const RunLimits& limits, RunStats* stats, RunRecord* record) {
  RunStats ignored;
  RunStats& st = stats ? *stats : ignored;
  ++st.modules;
  StoreConfig cfg;
  cfg.fuel = limits.fuel;
  cfg.limits.max_memory_bytes = limits.max_memory_bytes;
  cfg.limits.max_table_elements = limits.max_table_elements;
  cfg.limits.max_total_table_elements = limits.max_total_table_elements;
  cfg.limits.max_tables = limits.max_tables;
  cfg.max_call_depth = limits.max_call_depth;
  // One input in eight runs with the embedding API's default depth, so deep
  // recursion (through re-entering imports too) reaches the native-stack
  // guard of Store::call, not only the frame limit.
  if (seed_size > 0 && (seed[seed_size - 1] & 7) == 0) cfg.max_call_depth = StoreConfig{}.max_call_depth;
  cfg.value_stack_bytes = limits.value_stack_bytes;
  cfg.tier = limits.tier;
  cfg.tier_sample = limits.tier_sample;
  Store store(cfg);

  Seed s(seed, seed_size);
  std::vector<HostData> host_data(m->imports.size());
  std::vector<Extern> imports;
  for (size_t i = 0; i < m->imports.size(); ++i) {
    const Import& im = m->imports[i];
    switch (im.kind) {
      case ExternKind::Func: {
        const FuncType& ft = m->func_type(im.index);
        host_data[i] = {uint32_t(ft.params.size()), uint32_t(ft.results.size()),
                        !ft.params.empty() && ft.params[0] == ValType::I32, (s.next(1) & 3) == 0,
                        uint32_t(s.next(1))};
        imports.push_back({ExternKind::Func, store.host_func(ft, dummy, &host_data[i], "dummy")});
        break;
      }
      case ExternKind::Table: {
        auto table = store.table(m->tables[im.index].type);
        if (!table) {
          FUZZ_CHECK(table.error().kind == ErrorKind::Limit, "Store::table failed: %s",
                     table.error().message.c_str());
          return;  // over the limits
        }
        imports.push_back({ExternKind::Table, *table});
        break;
      }
      case ExternKind::Memory: {
        auto mem = store.memory(m->memories[im.index].type);
        if (!mem) return;  // over the memory cap
        imports.push_back({ExternKind::Memory, *mem});
        break;
      }
      case ExternKind::Global: {
        // A default Value, as an embedder would write it (this once held
        // garbage in a null reference: regressions/.../null-funcref-global-garbage).
        imports.push_back({ExternKind::Global, store.global(m->globals[im.index].type, zero_of(m->globals[im.index].type.type))});
        break;
      }
    }
  }
  auto inst = store.instantiate(m, imports);
  if (!inst) {
    ErrorKind k = inst.error().kind;
    FUZZ_CHECK(k == ErrorKind::Link || k == ErrorKind::Trap || k == ErrorKind::Limit ||
                   k == ErrorKind::Other,
               "instantiation failed with error kind %d: %s", int(k), inst.error().message.c_str());
    ++(k == ErrorKind::Trap ? st.start_traps : k == ErrorKind::Limit ? st.limit_errors : st.link_errors);
    return;
  }
  ++st.instantiated;
  for (const Export& e : m->exports) {
    if (e.kind != ExternKind::Func) continue;
    FuncInst* f = (*inst)->func_export(e.name);
    FUZZ_CHECK(f, "export %.*s not found", int(e.name.size()), e.name.data());
    const FuncType& ft = m->func_type(e.index);
    std::vector<Value> args;
    for (ValType t : ft.params) args.push_back(arg(t, s));
    store.set_fuel(limits.fuel);
    CallResult r = store.call(f, args);
    ++st.calls;
    if (record && !record->out_of_fuel) {
      std::string line(e.name);
      if (auto* vals = std::get_if<std::vector<Value>>(&r)) {
        for (const Value& v : *vals) line += " " + show(v.type, v.bits);
      } else {
        const Trap& t = std::get<Trap>(r);
        line += " trap: " + t.message;
        for (const TrapFrame& fr : t.backtrace)
          line += " | " + std::to_string(fr.func) + "@" + std::to_string(fr.offset);
        if (t.kind == TrapKind::OutOfFuel) record->out_of_fuel = true;
      }
      record->calls.push_back(std::move(line));
    }
    if (auto* vals = std::get_if<std::vector<Value>>(&r)) {
      FUZZ_CHECK(vals->size() == ft.results.size(), "%zu results, expected %zu", vals->size(),
                 ft.results.size());
      for (size_t i = 0; i < vals->size(); ++i)
        FUZZ_CHECK((*vals)[i].type == ft.results[i], "result %zu has the wrong type", i);
      ++st.returned;
    } else {
      const Trap& t = std::get<Trap>(r);
      FUZZ_CHECK(t.kind != TrapKind::None && t.kind != TrapKind::Exit, "trap of kind %d", int(t.kind));
      ++st.traps[unsigned(t.kind) & 31];
    }
  }
  if (record && !record->out_of_fuel) {
    for (GlobalInst* g : (*inst)->globals) record->globals.push_back(show(g->type.type, g->value));
    if (!(*inst)->memories.empty()) {
      const LinearMemory& mem = (*inst)->memories[0]->mem;
      uint64_t h = 1469598103934665603ull ^ mem.size();
      for (uint64_t i = 0; i < mem.size(); ++i) h = (h ^ mem.base()[i]) * 1099511628211ull;
      record->memory_hash = h;
    }
  }
}

}  // namespace wisp::fuzz
