#include "runtime/valid/validator.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <exception>
#include <bit>
#include <cstring>
#include <deque>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <unordered_map>

#include "runtime/valid/func_validator.hpp"
#include "runtime/valid/body_syntax.hpp"
#include "runtime/valid/decoder.hpp"
#include "runtime/wasm/instr_reader.hpp"
#include "runtime/wasm/reader.hpp"
#include "runtime/wasm/subtyping.hpp"

namespace wisp {

// ---- canonical function types ----------------------------------------------

namespace {
struct TypeRegistry {
  std::mutex mu;
  std::unordered_map<std::string, uint32_t> ids;
  std::deque<FuncType> types;  // deque: references stay valid as it grows
};
TypeRegistry& registry() {
  static TypeRegistry* r = new TypeRegistry;  // never destroyed: used at exit
  return *r;
}
}  // namespace

// The registry takes a lock and hashes a string; every validated module and
// every host function (46 for WASI) asks for ids, mostly for the same few
// short signatures. So each thread keeps the answers for signatures of up
// to 14 value types, packed into 16 bytes, in a small direct-mapped cache
// in front of it: ids never change once given out.
static uint32_t canonical_type_id_locked(const FuncType& t);

uint32_t canonical_type_id(const FuncType& t) {
  const size_t np = t.params.size(), nr = t.results.size();
  if (np + nr > 14) return canonical_type_id_locked(t);
  // Byte 0: param count + 1 (so an all-zero entry is never a valid key);
  // bytes 1..: params then results; unused bytes zero (no ValType is 0).
  // Packed in registers: bytes written one by one and read back as words
  // stalled on store forwarding (and became two memcpy calls).
  uint64_t w[2] = {np + 1, 0};
  size_t k = 1;
  for (ValType v : t.params) w[k >> 3] |= uint64_t(v) << ((k & 7) * 8), ++k;
  for (ValType v : t.results) w[k >> 3] |= uint64_t(v) << ((k & 7) * 8), ++k;
  const uint64_t lo = w[0], hi = w[1];
  struct Entry {
    uint64_t lo = 0, hi = 0;
    uint32_t id = 0;
  };
  thread_local Entry cache[64];
  uint64_t h = (lo ^ (hi * 0x9E3779B97F4A7C15ull)) * 0xFF51AFD7ED558CCDull;
  Entry& e = cache[h >> 58];
  if (e.lo == lo && e.hi == hi) return e.id;
  uint32_t id = canonical_type_id_locked(t);
  e = {lo, hi, id};
  return id;
}

static uint32_t canonical_type_id_locked(const FuncType& t) {
  std::string key;
  // Param count first, so no (params, results) split is ambiguous.
  key.reserve(t.params.size() + t.results.size() + 4);
  uint32_t np = uint32_t(t.params.size());
  key.append(reinterpret_cast<const char*>(&np), sizeof np);
  for (ValType v : t.params) key.push_back(char(v));
  for (ValType v : t.results) key.push_back(char(v));
  TypeRegistry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  auto [it, inserted] = r.ids.emplace(std::move(key), uint32_t(r.types.size()));
  if (inserted) r.types.push_back(t);
  return it->second;
}

const FuncType& canonical_type(uint32_t id) {
  TypeRegistry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  return r.types[id];
}

namespace {

using namespace detail;

// ---- module-level checks ----------------------------------------------------


// Whether two exports share a name. Linear probing over a power-of-two table
// at most half full; FNV-1a is plenty for names.
bool has_duplicate_export_name(const std::vector<Export>& exports) {
  thread_local std::vector<uint32_t> slots;
  const size_t cap = std::bit_ceil(exports.size() * 2);
  slots.assign(cap, UINT32_MAX);
  for (uint32_t i = 0; i < exports.size(); ++i) {
    std::string_view name = exports[i].name;
    uint64_t h = 0xcbf29ce484222325ull;
    for (char c : name) h = (h ^ uint8_t(c)) * 0x100000001b3ull;
    for (size_t k = h & (cap - 1);; k = (k + 1) & (cap - 1)) {
      if (slots[k] == UINT32_MAX) {
        slots[k] = i;
        break;
      }
      if (exports[slots[k]].name == name) return true;
    }
  }
  return false;
}

class ModuleValidator {
 public:
  ModuleValidator(Module& m, const ValidateOptions& opts)
      : m_(m), opts_(opts), ctx_{m, refs_scratch()} {}
  Status run();

 private:
  Status fail(std::string msg, size_t offset = SIZE_MAX) {
    return make_error(ErrorKind::Invalid, std::move(msg), offset);
  }
  Status limits(const Limits& l, uint64_t bound, const char* too_large);
  Status const_expr(ConstExpr& e, ValType want, uint32_t visible_globals);
  Status bodies();
  Status bodies_parallel(unsigned threads, size_t code_bytes);
  bool walk_bodies(uint32_t begin, uint32_t end, std::vector<SideEntry>& side, Error& error);

  Module& m_;
  const ValidateOptions& opts_;
  ModuleCtx ctx_;
};

// The function bodies, in index order on this thread, or spread over
// threads for a big module (ruby.wasm: 11 MB of bodies in 17,490 functions).
Status ModuleValidator::bodies() {
  m_.side_table.clear();
  const uint32_t first = m_.num_imported_funcs, n = uint32_t(m_.funcs.size());
  if (first >= n) return ok_status();
  // Bodies lie back to back in the code section.
  const Function& last = m_.funcs[n - 1];
  const size_t code_bytes = size_t(last.body_offset) + last.body_size - m_.funcs[first].body_offset;
  unsigned threads = opts_.threads;
  if (threads == 0)
    threads = code_bytes >= opts_.parallel_min_bytes
                  ? std::max(1u, std::thread::hardware_concurrency())
                  : 1;
  if (threads > 1) return bodies_parallel(threads, code_bytes);
  Error e;
  if (!walk_bodies(first, n, m_.side_table, e)) return e;
  return ok_status();
}

// Functions [begin, end) in order, with the walker's hook set for the
// options (side-table entries go to `side`); false with the first invalid
// function's error, its index set.
bool ModuleValidator::walk_bodies(uint32_t begin, uint32_t end, std::vector<SideEntry>& side,
                                  Error& error) {
  auto walk = [&](auto&& walker) {
    for (uint32_t i = begin; i < end; ++i) {
      if (!walker.run(i)) {
        error = walker.error();
        error.func = i;
        return false;
      }
    }
    return true;
  };
  if (!opts_.side_table) return walk(BodyWalker<NoSideTable>(m_, ctx_, NoSideTable{}));
  return walk(FuncValidator(m_, ctx_, SideTableHooks(side)));
}

// Runs of consecutive functions (chunks) are handed out in index order from
// one atomic counter, to this thread and threads-1 others. Each thread
// appends to a side table of its own; afterwards the chunks' entries are
// joined in chunk order, so the module's table is the one a sequential pass
// builds (entries are relative within a function, only Function::side_table
// needs rebasing). A chunk stops at its first invalid function; chunks after
// the lowest failed one are skipped, and every chunk before it was handed
// out earlier and runs to its end, so the error reported is the sequential
// pass's: the lowest-index invalid function's.
Status ModuleValidator::bodies_parallel(unsigned threads, size_t code_bytes) {
  struct Chunk {
    uint32_t begin = 0, end = 0;  // function indices [begin, end)
    uint32_t worker = 0;          // whose side table holds its entries
    size_t side_begin = 0, side_end = 0;
    bool failed = false;
    Error error;
  };
  std::vector<Chunk> chunks;
  const uint32_t n = uint32_t(m_.funcs.size());
  for (uint32_t i = m_.num_imported_funcs; i < n;) {
    uint32_t b = i;
    size_t bytes = 0;
    while (i < n && (i == b || bytes < opts_.chunk_bytes)) bytes += m_.funcs[i++].body_size;
    chunks.emplace_back();
    chunks.back().begin = b;
    chunks.back().end = i;
  }
  threads = unsigned(std::min<size_t>(threads, chunks.size()));

  // One cache line each: side tables side by side had both threads
  // writing the same line on every push_back (emit_branch went from 1% to
  // 8% of the profile).
  struct alignas(64) Side {
    std::vector<SideEntry> v;
  };
  std::vector<Side> sides(threads);
  // Room for one entry per 16 bytes of code, the thread's share and a
  // quarter more (ruby.wasm has one per 20): pages never written are never
  // touched, and the copies of a growing vector (with their page faults)
  // are gone. The tables are dropped once joined.
  if (opts_.side_table)
    for (Side& s : sides) s.v.reserve(code_bytes / 16 / threads * 5 / 4);
  std::atomic<size_t> next{0};
  std::atomic<size_t> first_failed{SIZE_MAX};
  std::vector<std::exception_ptr> crashed(threads);
  auto work = [&](unsigned w) {
    try {
      std::vector<SideEntry>& side = sides[w].v;
      for (;;) {
        size_t c = next.fetch_add(1, std::memory_order_relaxed);
        if (c >= chunks.size() || c > first_failed.load(std::memory_order_relaxed)) return;
        Chunk& ch = chunks[c];
        ch.worker = w;
        ch.side_begin = side.size();
        if (!walk_bodies(ch.begin, ch.end, side, ch.error)) {
          ch.failed = true;
          size_t cur = first_failed.load(std::memory_order_relaxed);
          while (c < cur && !first_failed.compare_exchange_weak(cur, c)) {}
          return;
        }
        ch.side_end = side.size();
      }
    } catch (...) {
      crashed[w] = std::current_exception();
      first_failed.store(0);  // stop the others early
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (unsigned w = 1; w < threads; ++w) {
    try {
      pool.emplace_back(work, w);
    } catch (const std::system_error&) {
      break;  // no more threads to be had: the ones running share the work
    }
  }
  work(0);
  for (std::thread& t : pool) t.join();
  for (std::exception_ptr& e : crashed)
    if (e) std::rethrow_exception(e);

  if (size_t c = first_failed.load(); c != SIZE_MAX) return chunks[c].error;
  size_t total = 0;
  for (const Chunk& ch : chunks) total += ch.side_end - ch.side_begin;
  m_.side_table.reserve(total);
  for (const Chunk& ch : chunks) {
    const std::vector<SideEntry>& side = sides[ch.worker].v;
    const size_t base = m_.side_table.size();
    m_.side_table.insert(m_.side_table.end(), side.begin() + ptrdiff_t(ch.side_begin),
                         side.begin() + ptrdiff_t(ch.side_end));
    for (uint32_t i = ch.begin; i < ch.end; ++i)
      m_.funcs[i].side_table = uint32_t(m_.funcs[i].side_table - ch.side_begin + base);
  }
  return ok_status();
}

Status ModuleValidator::limits(const Limits& l, uint64_t bound, const char* too_large) {
  if (l.min > bound || (l.has_max && l.max > bound)) return fail(too_large);
  if (l.has_max && l.min > l.max) return fail("size minimum must not be greater than maximum");
  return ok_status();
}

// Constant expressions of 2.0: one const/ref.null/ref.func/global.get of an
// immutable global, then end.
Status ModuleValidator::const_expr(ConstExpr& e, ValType want, uint32_t visible_globals) {
  BodyWalker<NoSideTable> walker(m_, ctx_, NoSideTable{});
  if (!walker.run_const(e, want, visible_globals)) return walker.error();
  return ok_status();
}

Status ModuleValidator::run() {
  // Types of functions.
  for (uint32_t i = 0; i < m_.funcs.size(); ++i)
    if (m_.funcs[i].type >= m_.types.size())
      return fail("unknown type " + std::to_string(m_.funcs[i].type));
  for (const Table& t : m_.tables) {
    Status s = limits(t.type.limits, kMaxTableSize, "table size must be at most 2^32-1");
    if (!s.ok()) return s;
  }
  if (m_.memories.size() > 1) return fail("multiple memories");
  for (const Memory& mem : m_.memories) {
    Status s = limits(mem.type.limits, kMaxPages32, "memory size must be at most 65536 pages (4GiB)");
    if (!s.ok()) return s;
  }

  // C.refs: functions referenced outside function bodies. ref.func in a
  // constant expression declares its function as run_const validates it.
  ctx_.declared_refs.assign(m_.funcs.size(), false);
  for (const ElemSegment& seg : m_.elems)
    if (!seg.uses_exprs)
      for (uint32_t f : seg.funcs)
        if (f < ctx_.declared_refs.size()) ctx_.declared_refs[f] = true;
  for (const Export& e : m_.exports)
    if (e.kind == ExternKind::Func && e.index < ctx_.declared_refs.size()) ctx_.declared_refs[e.index] = true;

  // Constant expressions see only imported globals (2.0; 3.0 relaxes this).
  for (Global& g : m_.globals) {
    if (g.imported) continue;
    Status s = const_expr(g.init, g.type.type, m_.num_imported_globals);
    if (!s.ok()) return s;
  }
  // Element segments.
  for (ElemSegment& seg : m_.elems) {
    if (seg.mode == SegmentMode::Active) {
      if (seg.table >= m_.tables.size()) return fail("unknown table " + std::to_string(seg.table));
      if (m_.tables[seg.table].type.elem != seg.type) return fail("type mismatch");
      Status s = const_expr(seg.offset, ValType::I32, m_.num_imported_globals);
      if (!s.ok()) return s;
    }
    if (seg.uses_exprs) {
      for (ConstExpr& e : seg.exprs) {
        Status s = const_expr(e, seg.type, m_.num_imported_globals);
        if (!s.ok()) return s;
      }
    } else {
      for (uint32_t f : seg.funcs)
        if (f >= m_.funcs.size()) return fail("unknown function " + std::to_string(f));
    }
  }
  // Data segments.
  for (DataSegment& seg : m_.datas) {
    if (seg.mode != SegmentMode::Active) continue;
    if (seg.memory >= m_.memories.size())
      return fail("unknown memory " + std::to_string(seg.memory));
    Status s = const_expr(seg.offset, ValType::I32, m_.num_imported_globals);
    if (!s.ok()) return s;
  }
  // Start function.
  if (m_.start >= 0) {
    if (uint64_t(m_.start) >= m_.funcs.size())
      return fail("unknown function " + std::to_string(m_.start));
    const FuncType& ft = m_.func_type(uint32_t(m_.start));
    if (!ft.params.empty() || !ft.results.empty()) return fail("start function");
  }
  // Exports: indices in range, names unique.
  {
    // Most modules export a handful of names: compare pairwise then; beyond
    // that, an open-addressing hash set in per-thread scratch (sorting the
    // names was 10% of validating the spec suite's modules).
    if (m_.exports.size() > 16 && has_duplicate_export_name(m_.exports))
      return fail("duplicate export name");
    for (size_t i = 0; i < m_.exports.size(); ++i) {
      const Export& e = m_.exports[i];
      size_t n = 0;
      switch (e.kind) {
        case ExternKind::Func: n = m_.funcs.size(); break;
        case ExternKind::Table: n = m_.tables.size(); break;
        case ExternKind::Memory: n = m_.memories.size(); break;
        case ExternKind::Global: n = m_.globals.size(); break;
        case ExternKind::Tag: n = 0; break;  // not decoded yet (types.hpp)
      }
      if (e.index >= n) {
        const char* what = e.kind == ExternKind::Func ? "function" : to_string(e.kind).data();
        return fail("unknown " + std::string(what) + " " + std::to_string(e.index));
      }
      if (m_.exports.size() <= 16)
        for (size_t j = 0; j < i; ++j)
          if (m_.exports[j].name == e.name) return fail("duplicate export name");
    }
  }

  // Function bodies.
  Status s = bodies();
  if (!s.ok()) return s;

  m_.canonical_types.resize(m_.types.size());
  for (size_t i = 0; i < m_.types.size(); ++i) m_.canonical_types[i] = canonical_type_id(m_.types[i]);
  return ok_status();
}

}  // namespace

Status validate(Module& m) { return validate(m, ValidateOptions{}); }

Status validate(Module& m, const ValidateOptions& opts) {
  ModuleValidator v(m, opts);
  Status s = v.run();
  if (!s.ok()) {
    if (s.error().kind != ErrorKind::Malformed) {
      if (auto malformed = find_malformed_body(m)) return *malformed;
    }
    m.side_table.clear();
    return s;
  }
  m.validated = true;
  m.side_table_built = opts.side_table;
  return s;
}

}  // namespace wisp
