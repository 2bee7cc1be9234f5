// Store, Linker and instantiation (the spec's "instantiate" algorithm for
// 2.0: resolve imports, allocate, initialise globals, tables and memories
// from segments in order, then run the start function).
#include <pthread.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstring>

#include "runtime/decoder.hpp"
#include "runtime/instr_reader.hpp"
#include "runtime/signals.hpp"
#include "runtime/validator.hpp"
#include "runtime/wisp.hpp"

namespace wisp {

// ---- small pieces -------------------------------------------------------------

const FuncType& FuncInst::type() const { return canonical_type(type_id); }

LinearMemory* HostContext::memory() const {
  if (!caller || caller->memories.empty()) return nullptr;
  return &caller->memories[0]->mem;
}

int64_t TableInst::grow(uint32_t delta, Ref init) {
  uint64_t old = elems.size();
  if (old + delta > max()) return -1;
  if (usage && !usage->take_table_elements(old, delta)) return -1;
  // A table cannot outgrow what the host can allocate; treat that as -1.
  try {
    elems.resize(old + delta, init);
  } catch (const std::bad_alloc&) {
    if (usage) usage->table_elements -= delta;
    return -1;
  }
  return int64_t(old);
}

int64_t MemoryInst::grow(uint64_t delta_pages) {
  if (delta_pages > UINT64_MAX / kPageSize) return -1;
  uint64_t bytes = delta_pages * kPageSize;
  if (usage && !usage->take_memory_bytes(bytes)) return -1;
  int64_t old = mem.grow(delta_pages);
  if (old < 0 && usage) usage->give_back_memory_bytes(bytes);
  return old;
}

std::optional<Extern> Instance::export_(std::string_view name) const {
  for (const Export& e : module->exports) {
    if (e.name != name) continue;
    switch (e.kind) {
      case ExternKind::Func: return Extern{e.kind, funcs[e.index]};
      case ExternKind::Table: return Extern{e.kind, tables[e.index]};
      case ExternKind::Memory: return Extern{e.kind, memories[e.index]};
      case ExternKind::Global: return Extern{e.kind, globals[e.index]};
    }
  }
  return std::nullopt;
}

Result<std::shared_ptr<Module>> load_module(std::vector<uint8_t> bytes) try {
  auto m = decode(std::move(bytes));
  if (!m.ok()) return m.take_error();
  auto mod = std::make_shared<Module>(std::move(m.value()));
  Status s = validate(*mod);
  if (!s.ok()) return s.take_error();
  return mod;
} catch (const std::bad_alloc&) {
  return make_error(ErrorKind::Limit, "out of host memory loading the module");
}

std::string format_trap(const Trap& t) {
  std::string s = printable(t.message);
  auto line = [](const TrapFrame& f) {
    std::string l = "\n  at ";
    l += f.name.empty() ? "<func " + std::to_string(f.func) + ">" : printable(f.name);
    if (f.offset >= 0) {
      char buf[32];
      snprintf(buf, sizeof buf, " (offset 0x%llx)", (unsigned long long)f.offset);
      l += buf;
    }
    return l;
  };
  // Deep recursion ends in thousands of identical frames: print each run of
  // equal frames once, with its count.
  const auto& bt = t.backtrace;
  // The frames not recorded sit before bt[gap]; no run spans them.
  const size_t gap = t.omitted ? Trap::kBacktraceKeep : SIZE_MAX;
  for (size_t i = 0; i < bt.size();) {
    size_t j = i + 1;
    while (j < bt.size() && j != gap && bt[j].func == bt[i].func && bt[j].offset == bt[i].offset &&
           bt[j].name == bt[i].name)
      ++j;
    s += line(bt[i]);
    if (j - i > 1) s += "\n  ... the frame above " + std::to_string(j - i - 1) + " more times";
    if (j == gap) s += "\n  ... " + std::to_string(t.omitted) + " more frames not recorded";
    i = j;
  }
  return s;
}

// ---- execution stacks -----------------------------------------------------------

namespace {

// One mapping holds the value stack and the frame array. Stores come and go
// (a cold start creates one), so the last mapping is kept per thread and
// reused instead of paying mmap/munmap each time.
struct StackMapping {
  void* base = nullptr;
  size_t size = 0;
};
thread_local StackMapping t_cached_stack;

StackMapping acquire_stack(size_t size) {
  if (t_cached_stack.base && t_cached_stack.size == size) {
    StackMapping m = t_cached_stack;
    t_cached_stack = {};
    return m;
  }
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                 -1, 0);
  if (p == MAP_FAILED) return {};
  return {p, size};
}

void release_stack(StackMapping m) {
  if (!m.base) return;
  if (!t_cached_stack.base) {
    t_cached_stack = m;
    return;
  }
  munmap(m.base, m.size);
}

}  // namespace

Store::Store(StoreConfig cfg) : cfg_(cfg) {
  size_t frames_bytes = (size_t(cfg_.max_call_depth) + 1) * sizeof(Frame);
  frames_bytes = (frames_bytes + 4095) & ~size_t(4095);
  size_t stack_bytes = (cfg_.value_stack_bytes + 4095) & ~size_t(4095);
  StackMapping m = acquire_stack(frames_bytes + stack_bytes);
  if (m.base) {
    auto* base = static_cast<uint8_t*>(m.base);
    exec_.frames_base = reinterpret_cast<Frame*>(base);
    exec_.frames_limit = exec_.frames_base + cfg_.max_call_depth;
    exec_.stack_base = reinterpret_cast<Slot*>(base + frames_bytes);
    exec_.stack_limit = exec_.stack_base + stack_bytes / sizeof(Slot);
  }
  exec_.stack_top = exec_.stack_base;
  exec_.frame_top = exec_.frames_base - 1;
  if (cfg_.fuel) set_fuel(*cfg_.fuel);
  usage_.limits = cfg_.limits;
}

Store::~Store() {
  if (exec_.frames_base) {
    size_t frames_bytes = ((size_t(cfg_.max_call_depth) + 1) * sizeof(Frame) + 4095) & ~size_t(4095);
    size_t stack_bytes = (cfg_.value_stack_bytes + 4095) & ~size_t(4095);
    release_stack({exec_.frames_base, frames_bytes + stack_bytes});
  }
}

FuncInst* Store::host_func(const FuncType& type, HostFn fn, void* data, std::string name) {
  FuncInst& f = add(host_funcs_);
  f.type_id = canonical_type_id(type);
  f.nparams = uint32_t(type.params.size());
  f.nresults = uint32_t(type.results.size());
  f.host = fn;
  f.host_data = data;
  f.debug_name = add(names_, std::move(name));
  return &f;
}

GlobalInst* Store::global(GlobalType type, Value init) {
  GlobalInst& g = add(globals_);
  g.type = type;
  g.value = init.bits;
  return &g;
}

// ---- resources under the store's limits ----------------------------------------------

static Error limit_error(std::string what) {
  return make_error(ErrorKind::Limit, std::move(what) + " limit exceeded");
}
static Error out_of_memory() { return make_error(ErrorKind::Limit, "out of host memory"); }

Status Store::init_table(TableInst& t, const TableType& type, Ref init) {
  t.type = type;
  t.usage = &usage_;
  if (usage_.tables >= usage_.limits.max_tables) return limit_error("table count");
  if (!usage_.take_table_elements(0, type.limits.min)) {
    return make_error(ErrorKind::Limit, "table minimum of " + std::to_string(type.limits.min) +
                                            " elements exceeds the table elements limit");
  }
  ++usage_.tables;
  try {
    t.elems.assign(size_t(type.limits.min), init);
  } catch (const std::bad_alloc&) {
    usage_.table_elements -= type.limits.min;
    return out_of_memory();
  }
  return ok_status();
}

Status Store::init_memory(MemoryInst& m, const MemoryType& type) {
  if (usage_.memories >= usage_.limits.max_memories) return limit_error("memory count");
  auto lm = LinearMemory::create(type.limits, usage_.limits.max_memory_bytes);
  if (!lm.ok()) return lm.take_error();
  if (!usage_.take_memory_bytes(lm.value().size()))
    return make_error(ErrorKind::Limit, "memory size exceeds the store's total memory limit");
  ++usage_.memories;
  m.type = type;
  m.usage = &usage_;
  m.mem = std::move(lm.value());
  return ok_status();
}

Result<TableInst*> Store::table(TableType type, Ref init) {
  TableInst& t = add(tables_);
  Status s = init_table(t, type, init);
  if (!s.ok()) return s.take_error();
  return &t;
}

Result<MemoryInst*> Store::memory(MemoryType type) {
  MemoryInst& m = add(memories_);
  Status s = init_memory(m, type);
  if (!s.ok()) return s.take_error();
  return &m;
}

// ---- calls ------------------------------------------------------------------------

// Innermost first. A deep stack (--max-stack allows 16M frames) keeps its
// kBacktraceKeep innermost and outermost frames and counts the rest.
static std::vector<TrapFrame> backtrace(const Frame* from, const Frame* to, uint64_t& omitted) {
  std::vector<TrapFrame> out;
  const size_t keep = Trap::kBacktraceKeep;
  const size_t depth = to >= from ? size_t(to - from) + 1 : 0;
  omitted = depth > 2 * keep ? depth - 2 * keep : 0;
  for (const Frame* f = to; f >= from; --f) {
    if (omitted && f == to - keep) f = from + keep - 1;  // skip the middle
    TrapFrame tf;
    const FuncInst* fn = f->fn;
    if (!fn) continue;
    if (fn->instance) {
      const Module& m = *fn->instance->module;
      tf.func = fn->index;
      tf.name = std::string(m.func_name(fn->index));
      // pc is just past the opcode (or the call's immediates); point at the
      // instruction's last byte so the offset lies inside it.
      if (f->pc) tf.offset = int64_t(f->pc - m.bytes) - 1;
    } else {
      tf.name = std::string(fn->debug_name);
    }
    out.push_back(std::move(tf));
  }
  return out;
}

// Host functions may call back into wasm (Store::call from inside a host
// function), and every such nesting costs native stack: the interpreter,
// run_guarded and the host's own frames, ~1.2 KB a level in a release
// build. max_call_depth bounds wasm frames, not native ones, so with the
// default 20000 frames a guest recursing through a re-entrant import
// overflowed an 8 MB thread stack (SIGSEGV) at ~6000 levels. A nested call
// now traps "call stack exhausted" while this much of the thread's stack is
// still free.
static constexpr size_t kNativeStackReserve = 128 << 10;

// True when the caller runs in the last kNativeStackReserve bytes of this
// thread's stack. A frame outside the thread's stack (a fiber's own stack)
// is never refused: its bounds are not known here.
static bool native_stack_low(uintptr_t frame) {
  struct Bounds {
    uintptr_t lo = 0, hi = 0;
  };
  thread_local const Bounds b = [] {
    Bounds r;
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0) return r;
    void* lo = nullptr;
    size_t size = 0;
    if (pthread_attr_getstack(&attr, &lo, &size) == 0 && size > 2 * kNativeStackReserve) {
      r.lo = uintptr_t(lo);
      r.hi = uintptr_t(lo) + size;
    }
    pthread_attr_destroy(&attr);
    return r;
  }();
  return frame >= b.lo && frame < b.lo + kNativeStackReserve && frame < b.hi;
}

CallResult Store::call(FuncInst* f, std::span<const Value> args) {
  // Nothing inside the guarded run throws (host functions' exceptions become
  // traps in the interpreter); what is left is the host's allocator.
  try {
    return call_impl(f, args);
  } catch (const std::bad_alloc&) {
    Trap t;
    t.kind = TrapKind::HostError;
    t.message = "out of host memory";
    return t;
  }
}

CallResult Store::call_impl(FuncInst* f, std::span<const Value> args) {
  Trap trap;
  trap.kind = TrapKind::HostError;
  ExecContext& c = exec_;
  if (!c.stack_base) {
    trap.message = "cannot allocate the execution stack";
    return trap;
  }
  const FuncType& ft = f->type();
  if (args.size() != ft.params.size()) {
    trap.message = "wrong number of arguments: expected " + std::to_string(ft.params.size()) +
                   ", got " + std::to_string(args.size());
    return trap;
  }
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].type != ft.params[i]) {
      trap.message = "argument " + std::to_string(i) + " has type " +
                     std::string(to_string(args[i].type)) + ", expected " +
                     std::string(to_string(ft.params[i]));
      return trap;
    }
  }
  Slot* base = c.stack_top;
  size_t need = std::max(ft.params.size(), ft.results.size());
  // Only a nested call (a host function calling back into wasm) can recurse
  // natively; the outermost one skips the check, and with it the stack
  // bounds query (pthread_getattr_np reads /proc/self/maps on the main
  // thread: tens of microseconds of every `wisp run`).
  const bool nested = c.frame_top >= c.frames_base;
  if (base + need > c.stack_limit ||
      (nested && native_stack_low(uintptr_t(__builtin_frame_address(0))))) {
    trap.kind = TrapKind::StackExhausted;
    trap.message = trap_message(trap.kind);
    return trap;
  }
  for (size_t i = 0; i < args.size(); ++i) base[i] = args[i].bits;
  // A host function may call back into wasm: keep the outer interpreter's
  // registers-in-memory intact whatever way this call ends (a memory fault
  // skips interp_call's own bookkeeping; building the trap may throw
  // bad_alloc).
  struct Restore {
    ExecContext& c;
    Slot* base;
    Frame* frame = c.frame_top;
    Frame* entry = c.entry_frame;
    Instance* inst = c.inst;
    const uint8_t* end = c.code_end;
    ~Restore() {
      c.frame_top = frame;
      c.entry_frame = entry;
      c.inst = inst;
      c.code_end = end;
      c.stack_top = base;
      c.trap = TrapKind::None;
      c.trap_index = -1;
    }
  } restore{c, base};
  Frame* saved_frame = restore.frame;
  TrapKind k = run_guarded([&] { interp_call(c, f); });
  bool fault = k != TrapKind::None;
  if (k == TrapKind::None) k = c.trap;
  if (k != TrapKind::None) {
    trap.kind = k;
    if (k == TrapKind::HostError) trap.message = c.trap_message;
    else trap.message = trap_message(k);
    if (c.trap_index >= 0) trap.message += " " + std::to_string(c.trap_index);
    trap.exit_code = c.exit_code;
    if (fault && c.frame_top > saved_frame) c.frame_top->pc = c.fault_pc;
    if (f->instance) trap.backtrace = backtrace(saved_frame + 1, c.frame_top, trap.omitted);
  }
  if (k != TrapKind::None) return trap;
  std::vector<Value> results(ft.results.size());
  for (size_t i = 0; i < results.size(); ++i) {
    results[i].type = ft.results[i];
    results[i].bits = base[i];
  }
  return results;
}

// ---- instantiation ----------------------------------------------------------------

static bool limits_match(const Limits& actual_limits, uint64_t actual_size, const Limits& want) {
  if (actual_size < want.min) return false;
  if (want.has_max) {
    if (!actual_limits.has_max) return false;
    if (actual_limits.max > want.max) return false;
  }
  return true;
}

std::string check_import(const Module& m, const Import& im, const Extern& e) {
  const char* bad = "incompatible import type";
  if (e.kind != im.kind) return bad;
  switch (im.kind) {
    case ExternKind::Func: {
      uint32_t want = m.canonical_types.empty() ? canonical_type_id(m.func_type(im.index))
                                                : m.canonical_types[m.funcs[im.index].type];
      if (e.func()->type_id != want) return bad;
      return {};
    }
    case ExternKind::Table: {
      const TableInst* t = e.table();
      const TableType& want = m.tables[im.index].type;
      if (t->type.elem != want.elem) return bad;
      if (!limits_match(t->type.limits, t->elems.size(), want.limits)) return bad;
      return {};
    }
    case ExternKind::Memory: {
      const MemoryInst* mem = e.memory();
      const Limits& want = m.memories[im.index].type.limits;
      if (!limits_match(mem->type.limits, mem->mem.pages(), want)) return bad;
      return {};
    }
    case ExternKind::Global: {
      const GlobalInst* g = e.global();
      const GlobalType& want = m.globals[im.index].type;
      if (g->type.type != want.type || g->type.mut != want.mut) return bad;
      return {};
    }
  }
  return bad;
}

struct Instantiator {
  Store& store;
  Instance& inst;
  const Module& m;

  // Evaluates a validated constant expression.
  Slot eval(const ConstExpr& e) {
    Reader r(m.bytes, m.bytes + e.offset, m.bytes + e.offset + e.size);
    Instr in;
    Slot v{};
    while (read_instr(r, in) && in.op != Op::End) {
      switch (in.op) {
        case Op::I32Const: v.u64 = 0; v.i32 = in.i32; break;
        case Op::I64Const: v.i64 = in.i64; break;
        case Op::F32Const: v.u64 = 0; v.u32 = in.f32; break;
        case Op::F64Const: v.u64 = in.f64; break;
#if WISP_SIMD
        case Op::V128Const: std::memcpy(v.v128, in.vec, 16); break;
#endif
        case Op::RefNull: v.u64 = 0; v.ref = nullptr; break;
        case Op::RefFunc: v.u64 = 0; v.ref = inst.funcs[in.idx]; break;
        case Op::GlobalGet: v = inst.globals[in.idx]->value; break;
        default: break;
      }
    }
    return v;
  }

  Error trap_error(TrapKind k) {
    return make_error(ErrorKind::Trap, trap_message(k));
  }

  Result<Instance*> run(std::span<const Extern> imports) {
    if (imports.size() != m.imports.size())
      return make_error(ErrorKind::Link, "wrong number of imports");
    inst.funcs.resize(m.funcs.size());
    inst.tables.resize(m.tables.size());
    inst.memories.resize(m.memories.size());
    inst.globals.resize(m.globals.size());
    inst.type_ids = m.canonical_types.data();

    for (size_t i = 0; i < imports.size(); ++i) {
      const Import& im = m.imports[i];
      std::string err = check_import(m, im, imports[i]);
      if (!err.empty()) {
        Error e = make_error(ErrorKind::Link, err);
        e.message += " (" + printable(im.module) + "." + printable(im.name) + ")";
        return e;
      }
      switch (im.kind) {
        case ExternKind::Func: inst.funcs[im.index] = imports[i].func(); break;
        case ExternKind::Table: inst.tables[im.index] = imports[i].table(); break;
        case ExternKind::Memory: inst.memories[im.index] = imports[i].memory(); break;
        case ExternKind::Global: inst.globals[im.index] = imports[i].global(); break;
      }
    }

    // Functions: one array for all defined functions.
    uint32_t ndefined = uint32_t(m.funcs.size()) - m.num_imported_funcs;
    inst.own_funcs.reset(new FuncInst[ndefined]);
    for (uint32_t i = 0; i < ndefined; ++i) {
      uint32_t idx = m.num_imported_funcs + i;
      const Function& fd = m.funcs[idx];
      const FuncType& ft = m.types[fd.type];
      FuncInst& f = inst.own_funcs[i];
      f.type_id = m.canonical_types[fd.type];
      f.nparams = uint32_t(ft.params.size());
      f.nresults = uint32_t(ft.results.size());
      f.instance = &inst;
      f.index = idx;
      f.code = m.bytes + fd.code_offset;
      f.code_end = m.bytes + fd.body_offset + fd.body_size - 1;
      f.side_table = m.side_table.data() + fd.side_table;
      f.nlocals = fd.num_locals;
      f.max_height = fd.max_height;
      f.wide = fd.uses_v128;
      inst.funcs[idx] = &f;
    }
    // Tables and memories, under the store's limits. The counts are checked
    // first, so a module declaring a million of them allocates nothing.
    const size_t ntables = m.tables.size() - m.num_imported_tables;
    const size_t nmemories = m.memories.size() - m.num_imported_memories;
    const size_t nglobals = m.globals.size() - m.num_imported_globals;
    ResourceUsage& u = store.usage_;
    if (ntables > u.limits.max_tables - std::min(u.tables, u.limits.max_tables))
      return limit_error("table count");
    if (nmemories > u.limits.max_memories - std::min(u.memories, u.limits.max_memories))
      return limit_error("memory count");
    if (nglobals > u.limits.max_globals - std::min(u.globals, u.limits.max_globals))
      return limit_error("global count");
    inst.own_tables.reserve(ntables);
    inst.own_memories.reserve(nmemories);
    inst.own_globals.reserve(nglobals);
    for (uint32_t i = m.num_imported_tables; i < m.tables.size(); ++i) {
      TableInst& t = inst.own_tables.emplace_back();
      Status st = store.init_table(t, m.tables[i].type, nullptr);
      if (!st.ok()) return st.take_error();
      inst.tables[i] = &t;
    }
    for (uint32_t i = m.num_imported_memories; i < m.memories.size(); ++i) {
      MemoryInst& mi = inst.own_memories.emplace_back();
      Status st = store.init_memory(mi, m.memories[i].type);
      if (!st.ok()) return st.take_error();
      inst.memories[i] = &mi;
    }
    for (MemoryInst* mi : inst.memories) {
      if (mi->mem.needs_bounds_checks())
        return make_error(ErrorKind::Other,
                          "cannot reserve guard pages for linear memory (is the address space "
                          "limited, e.g. ulimit -v?)");
    }
    inst.mem0 = inst.memories.empty() ? nullptr : inst.memories[0]->mem.base();
    // Globals (initialisers may read imported globals and ref.func).
    u.globals += uint32_t(nglobals);
    for (uint32_t i = m.num_imported_globals; i < m.globals.size(); ++i) {
      GlobalInst& g = inst.own_globals.emplace_back();
      g.type = m.globals[i].type;
      g.value = eval(m.globals[i].init);
      inst.globals[i] = &g;
    }
    // Element segment instances.
    inst.elems.resize(m.elems.size());
    for (size_t i = 0; i < m.elems.size(); ++i) {
      const ElemSegment& seg = m.elems[i];
      std::vector<Ref>& refs = inst.elems[i].refs;
      refs.resize(seg.size());
      if (seg.uses_exprs) {
        for (size_t j = 0; j < seg.exprs.size(); ++j) refs[j] = eval(seg.exprs[j]).ref;
      } else {
        for (size_t j = 0; j < seg.funcs.size(); ++j) refs[j] = inst.funcs[seg.funcs[j]];
      }
    }
    inst.data_dropped.assign(m.datas.size(), 0);

    // Active segments, in order; the first out-of-bounds one traps, and
    // what was written before it stays written.
    for (size_t i = 0; i < m.elems.size(); ++i) {
      const ElemSegment& seg = m.elems[i];
      if (seg.mode == SegmentMode::Passive) continue;
      if (seg.mode == SegmentMode::Active) {
        uint32_t off = eval(seg.offset).u32;
        TableInst* t = inst.tables[seg.table];
        const std::vector<Ref>& refs = inst.elems[i].refs;
        if (uint64_t(off) + refs.size() > t->elems.size())
          return trap_error(TrapKind::TableOutOfBounds);
        std::copy(refs.begin(), refs.end(), t->elems.begin() + off);
      }
      inst.elems[i].refs.clear();  // active and declarative segments are dropped
    }
    for (size_t i = 0; i < m.datas.size(); ++i) {
      const DataSegment& seg = m.datas[i];
      if (seg.mode != SegmentMode::Active) continue;
      uint32_t off = eval(seg.offset).u32;
      LinearMemory& mem = inst.memories[seg.memory]->mem;
      if (!mem.in_bounds(off, seg.data_size)) return trap_error(TrapKind::MemoryOutOfBounds);
      std::memcpy(mem.base() + off, m.bytes + seg.data_offset, seg.data_size);
      inst.data_dropped[i] = 1;
    }

    if (m.start >= 0) {
      CallResult r = store.call(inst.funcs[size_t(m.start)], {});
      if (auto* t = std::get_if<Trap>(&r)) {
        Error e = make_error(ErrorKind::Trap, format_trap(*t));
        if (t->kind == TrapKind::Exit) e.message = "exit";
        return e;
      }
    }
    return &inst;
  }
};

Result<Instance*> Store::instantiate(std::shared_ptr<const Module> m, std::span<const Extern> imports) {
  if (!m->validated) return make_error(ErrorKind::Invalid, "module is not validated");
  if (usage_.instances >= usage_.limits.max_instances) return limit_error("instance count");
  // Everything a module asks for is under a limit; what is left to fail is
  // the host's own allocator (a store of many instances near the limits).
  try {
    Instance& inst = add(instances_);
    ++usage_.instances;
    inst.module = std::move(m);
    inst.store = this;
    Instantiator in{*this, inst, *inst.module};
    return in.run(imports);
  } catch (const std::bad_alloc&) {
    return out_of_memory();
  }
}

// ---- linker ----------------------------------------------------------------------

void Linker::define(std::string module, std::string name, Extern e) {
  defs_[{std::move(module), std::move(name)}] = e;
}

void Linker::define_instance(const std::string& module, const Instance* inst) {
  for (const Export& e : inst->module->exports) {
    auto ex = inst->export_(e.name);
    if (ex) define(module, std::string(e.name), *ex);
  }
}

void Linker::define_lazy(std::string module, Resolver resolve) {
  lazy_[std::move(module)] = std::move(resolve);
}

std::optional<Extern> Linker::find(std::string_view module, std::string_view name) const {
  auto it = defs_.find(std::make_pair(std::string(module), std::string(name)));
  if (it == defs_.end()) return std::nullopt;
  return it->second;
}

std::optional<Extern> Linker::resolve(std::string_view module, std::string_view name) {
  if (auto e = find(module, name)) return e;
  auto it = lazy_.find(module);
  if (it == lazy_.end()) return std::nullopt;
  auto e = it->second(name);
  if (e) define(std::string(module), std::string(name), *e);
  return e;
}

Result<Instance*> Linker::instantiate(Store& store, std::shared_ptr<const Module> m) {
  std::vector<Extern> imports;
  imports.reserve(m->imports.size());
  for (const Import& im : m->imports) {
    auto e = resolve(im.module, im.name);
    if (!e) {
      return make_error(ErrorKind::Link, "unknown import " + printable(im.module) + "." +
                                             printable(im.name));
    }
    imports.push_back(*e);
  }
  return store.instantiate(std::move(m), imports);
}

}  // namespace wisp
