// Any bytes -> the component decoder (runtime/component/), describe() of
// what it accepts, then instantiation and a call of each export. Input that does not start with "\0asm" gets the
// component preamble put in front, so the fuzzer works on the sections.
// Rejections must be Malformed or Invalid errors; a crash, hang, leak or
// sanitizer report is a bug.
#include <cstdint>
#include <cstring>
#include <vector>

#include "fuzz/fuzz_util.hpp"
#include "runtime/component/decoder.hpp"
#include "runtime/component/describe.hpp"
#include "runtime/component/instance.hpp"

namespace {

// WAVE text of a value of type t: zero, empty, the first case.
std::string zero_of(const wisp::component::ValType& t, const wisp::component::abi::Types& ts, int depth = 0) {
  using namespace wisp::component;
  if (depth > 20) return "?";
  if (t.is_prim || (t.idx < ts.size() && ts[t.idx] && ts[t.idx]->kind == Type::Prim)) {
    const Prim p = t.is_prim ? t.prim : ts[t.idx]->prim.prim;
    switch (p) {
      case Prim::Bool: return "false";
      case Prim::Char: return "'a'";
      case Prim::String: return "\"\"";
      default: return "0";
    }
  }
  const Type* d = t.idx < ts.size() ? ts[t.idx] : nullptr;
  if (!d) return "?";
  switch (d->kind) {
    case Type::List: return "[]";
    case Type::Option: return "none";
    case Type::Flags: return "{}";
    case Type::Enum: return d->labels.empty() ? "?" : "%" + d->labels[0];
    case Type::Result: return d->a ? "ok(" + zero_of(*d->a, ts, depth + 1) + ")" : "ok";
    case Type::Variant:
      if (d->cases.empty()) return "?";
      return "%" + d->cases[0].name + (d->cases[0].type ? "(" + zero_of(*d->cases[0].type, ts, depth + 1) + ")" : "");
    case Type::Tuple:
    case Type::Record: {
      std::string s = d->kind == Type::Tuple ? "(" : "{";
      const size_t n = d->kind == Type::Tuple ? d->types.size() : d->fields.size();
      for (size_t i = 0; i < n; ++i) {
        if (i) s += ", ";
        if (d->kind == Type::Record) s += d->fields[i].name + ": ";
        s += zero_of(d->kind == Type::Tuple ? d->types[i] : d->fields[i].type, ts, depth + 1);
      }
      return s + (d->kind == Type::Tuple ? ")" : "}");
    }
    default: return "?";
  }
}

// A value of any shape, from a small PRNG: what a host gives a component
// that declared an import with another type than the host implements.
wisp::component::Value wild(uint64_t& seed, int depth = 0) {
  using wisp::component::Value;
  auto next = [&seed] {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return uint32_t(seed >> 33);
  };
  Value v;
  v.kind = Value::Kind(next() % (unsigned(Value::Borrow) + 1));
  v.bits = next() % 4 == 0 ? next() : next() % 3;
  v.index = next() % 4;
  if (next() % 3 == 0) v.text = next() % 2 ? "x\xff" : "h\xc3\xa9";
  const uint32_t n = depth < 3 ? next() % 4 : 0;
  for (uint32_t i = 0; i < n; ++i) v.items.push_back(wild(seed, depth + 1));
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const uint8_t kPreamble[8] = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};
  std::vector<uint8_t> bytes;
  if (size < 4 || std::memcmp(data, "\0asm", 4) != 0) bytes.assign(kPreamble, kPreamble + 8);
  bytes.insert(bytes.end(), data, data + size);
  auto c = wisp::component::decode(bytes.data(), bytes.size());
  if (!c.ok()) {
    const wisp::ErrorKind k = c.error().kind;
    FUZZ_CHECK(k == wisp::ErrorKind::Malformed || k == wisp::ErrorKind::Invalid, "error of kind %d: %s",
               int(k), c.error().message.c_str());
    FUZZ_CHECK(c.error().offset <= bytes.size(), "error offset %zu past the end (%zu)", c.error().offset,
               bytes.size());
    return 0;
  }
  std::string text = wisp::component::describe(*c.value());
  FUZZ_CHECK(text.size() < (size_t(1) << 30), "describe() made %zu bytes", text.size());
  // Instantiate what can be, with small limits, and call each export with
  // arguments of the right types (zeros, empty strings and lists, first
  // cases): errors and traps are fine, crashes are not.
  wisp::StoreConfig cfg;
  cfg.fuel = 100000;
  cfg.limits.max_memory_bytes = 16 << 20;
  cfg.limits.max_table_elements = 100000;
  cfg.max_call_depth = 300;
  cfg.value_stack_bytes = 1 << 20;
  wisp::Store store(cfg);
  // Every import is a host function that takes anything and returns a
  // value of any shape, or none (a call that needs a result then traps):
  // what the core code passes out through canon lower is lifted, what
  // comes back is lowered whatever it is.
  wisp::component::ComponentLinker linker;
  uint64_t seed = size;
  for (size_t i = 0; i < size && i < 64; ++i) seed = seed * 131 + data[i];
  linker.define_fallback([&seed](const std::vector<wisp::component::Value>&)
                             -> wisp::Result<std::vector<wisp::component::Value>> {
    if (seed % 5 == 0) {
      seed /= 5;
      return std::vector<wisp::component::Value>{};
    }
    return std::vector<wisp::component::Value>{wild(seed)};
  });
  // Twice through an InstanceCache (what wisp serve does per request): the
  // second instantiation takes what the first worked out.
  wisp::component::InstanceCache cache;
  {
    wisp::Store first(cfg);
    (void)wisp::component::ComponentInstance::create(first, c.value(), &linker, &cache);
  }
  auto inst = wisp::component::ComponentInstance::create(store, c.value(), &linker, &cache);
  if (!inst.ok()) return 0;
  for (const auto& [name, f] : inst.value()->funcs()) {
    std::vector<wisp::component::Value> args;
    bool ok = true;
    for (const wisp::component::Field& p : f->type->fields) {
      auto v = wisp::component::parse_wave(zero_of(p.type, *f->types), p.type, *f->types);
      if (!v.ok()) {
        ok = false;
        break;
      }
      args.push_back(std::move(v.value()));
    }
    if (ok) (void)inst.value()->call(*f, args);
  }
  return 0;
}
