// Instantiation: the spec's "instantiate" algorithm for 2.0 (resolve
// imports, allocate under the store's limits, initialise globals, tables
// and memories from segments in order, then run the start function).
#include <algorithm>
#include <cstring>
#include <mutex>

#include "runtime/valid/validator.hpp"
#include "runtime/vm/linker.hpp"
#include "runtime/vm/memory_image.hpp"
#include "runtime/vm/store.hpp"

namespace wisp {

// ---- instantiation ----------------------------------------------------------------

static bool limits_match(const Limits& actual_limits, uint64_t actual_size, const Limits& want) {
  if (actual_size < want.min) return false;
  if (want.has_max) {
    if (!actual_limits.has_max) return false;
    if (actual_limits.max > want.max) return false;
  }
  return true;
}

// An import's or an extern's type in the text format's words, for
// "incompatible import type" messages.
static std::string limits_text(const Limits& l, uint64_t size) {
  return std::to_string(size) + (l.has_max ? " " + std::to_string(l.max) : "");
}
static std::string global_text(const GlobalType& g) {
  return "(global " + (g.mut ? "(mut " + to_string(g.type) + ")" : to_string(g.type)) + ")";
}
static std::string wanted_text(const Module& m, const Import& im) {
  switch (im.kind) {
    case ExternKind::Func: return to_string(m.func_type(im.index));
    case ExternKind::Table: {
      const TableType& t = m.tables[im.index].type;
      return "(table " + limits_text(t.limits, t.limits.min) + " " + to_string(t.elem) + ")";
    }
    case ExternKind::Memory: return "(memory " + limits_text(m.memories[im.index].type.limits, m.memories[im.index].type.limits.min) + ")";
    case ExternKind::Global: return global_text(m.globals[im.index].type);
    default: return "(tag)";
  }
}
static std::string given_text(const Extern& e) {
  switch (e.kind) {
    case ExternKind::Func: return to_string(e.func()->type());
    case ExternKind::Table: return "(table " + limits_text(e.table()->type.limits, e.table()->elems.size()) + " " + to_string(e.table()->type.elem) + ")";
    case ExternKind::Memory: return "(memory " + limits_text(e.memory()->type.limits, e.memory()->mem.pages()) + ")";
    case ExternKind::Global: return global_text(e.global()->type);
    default: return "(tag)";
  }
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
    case ExternKind::Tag: {  // not decoded yet (types.hpp)
      return bad;
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

// The module's defined functions as every instance starts them, all but
// `instance` and `kind` set: made once per module (a 14 MB module has tens
// of thousands of functions: copying a template is one pass over memory
// where filling each function in was three). Thread-safe.
const std::vector<FuncInst>& func_template(const Module& m) {
  static std::mutex* mu = new std::mutex;  // leaked: modules may die during static destruction
  std::lock_guard lock(*mu);
  if (!m.func_template) {
    auto t = std::make_shared<std::vector<FuncInst>>(m.funcs.size() - m.num_imported_funcs);
    for (uint32_t i = 0; i < t->size(); ++i) {
      const uint32_t idx = m.num_imported_funcs + i;
      const Function& fd = m.funcs[idx];
      const FuncType& ft = m.types[fd.type];
      FuncInst& f = (*t)[i];
      f.type_id = m.canonical_types[fd.type];
      f.nparams = uint32_t(ft.params.size());
      f.nresults = uint32_t(ft.results.size());
      f.index = idx;
      f.code = m.bytes + fd.code_offset;
      f.code_end = m.bytes + fd.body_offset + fd.body_size - 1;
      f.nlocals = fd.num_locals;
      f.max_height = fd.max_height;
    }
    interp_prepare(m, t->data(), uint32_t(t->size()));
    m.func_template = t;
  }
  return *static_cast<const std::vector<FuncInst>*>(m.func_template.get());
}

struct Instantiator {
  Store& store;
  Instance& inst;
  const Module& m;

  // A validated constant expression's value, as the validator recorded it
  // (ConstExpr).
  Slot eval(const ConstExpr& e) {
    Slot v{};
    switch (e.kind) {
      case ConstKind::Value: std::memcpy(v.v128, e.value, 16); break;
      case ConstKind::Global: v = inst.globals[e.index]->value; break;
      case ConstKind::Func: v.ref = inst.funcs[e.index]; break;
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
    inst.func_table = inst.funcs.data();
    inst.global_table = inst.globals.data();
    inst.type_ids = m.canonical_types.data();

    for (size_t i = 0; i < imports.size(); ++i) {
      const Import& im = m.imports[i];
      std::string err = check_import(m, im, imports[i]);
      if (!err.empty()) {
        Error e = make_error(ErrorKind::Link, err);
        e.message += " (" + printable(im.module) + "." + printable(im.name) + "): expected " + wanted_text(m, im) +
                     ", given " + given_text(imports[i]);
        return e;
      }
      switch (im.kind) {
        case ExternKind::Func: inst.funcs[im.index] = imports[i].func(); break;
        case ExternKind::Table: inst.tables[im.index] = imports[i].table(); break;
        case ExternKind::Memory: inst.memories[im.index] = imports[i].memory(); break;
        case ExternKind::Global: inst.globals[im.index] = imports[i].global(); break;
        case ExternKind::Tag: break;
      }
    }

    // Functions: one array for all defined functions, a copy of the
    // module's template (func_template) with this instance filled in.
    const uint32_t ndefined = uint32_t(m.funcs.size()) - m.num_imported_funcs;
    inst.own_funcs = func_template(m);
    const FuncKind kind = store.cfg_.tier == Tier::Jit ? FuncKind::Uncompiled : FuncKind::Interpreted;
    for (uint32_t i = 0; i < ndefined; ++i) {
      FuncInst& f = inst.own_funcs[i];
      f.instance = &inst;
      f.kind = kind;
      inst.funcs[m.num_imported_funcs + i] = &f;
    }
    // Tables and memories, under the store's limits. The counts are checked
    // first, so a module declaring a million of them allocates nothing.
    const size_t ntables = m.tables.size() - m.num_imported_tables;
    const size_t nmemories = m.memories.size() - m.num_imported_memories;
    const size_t nglobals = m.globals.size() - m.num_imported_globals;
    ResourceUsage& u = store.usage_;
    if (ntables > u.limits->max_tables - std::min(u.tables, u.limits->max_tables))
      return limit_error("table count");
    if (nmemories > u.limits->max_memories - std::min(u.memories, u.limits->max_memories))
      return limit_error("memory count");
    if (nglobals > u.limits->max_globals - std::min(u.globals, u.limits->max_globals))
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
    u.globals += uint32_t(nglobals);
    for (uint32_t i = m.num_imported_globals; i < m.globals.size(); ++i) {
      GlobalInst& g = inst.own_globals.emplace_back();
      g.type = m.globals[i].type;
      inst.globals[i] = &g;
    }
    return initialize();
  }

  // What instantiation writes into the instance's globals, tables and
  // memories, in the spec's order: the first instantiation, and each reset
  // (Store::reset) after the tables and memories are back to their
  // initial sizes, empty.
  Result<Instance*> initialize() {
    // Globals (initialisers may read imported globals and ref.func).
    for (uint32_t i = m.num_imported_globals; i < m.globals.size(); ++i)
      inst.globals[i]->value = eval(m.globals[i].init);
    // Element segments: a passive one becomes its element instance; an
    // active one is written into its table, in order (the first out of
    // bounds traps, and what was written before it stays written), and it
    // and a declarative one are dropped at once. (The spec evaluates every
    // segment's references first; constant expressions read nothing a
    // table write changes, so doing both in one pass is the same.)
    inst.elems.resize(m.elems.size());
    inst.data_dropped.assign(m.datas.size(), 0);
    for (size_t i = 0; i < m.elems.size(); ++i) {
      const ElemSegment& seg = m.elems[i];
      Ref* out;
      if (seg.mode == SegmentMode::Declarative) continue;
      if (seg.mode == SegmentMode::Passive) {
        std::vector<Ref>& refs = inst.elems[i].refs;
        refs.resize(seg.size());
        out = refs.data();
      } else {
        const uint32_t off = eval(seg.offset).u32;
        TableInst* t = inst.tables[seg.table];
        if (uint64_t(off) + seg.size() > t->elems.size()) return trap_error(TrapKind::TableOutOfBounds);
        out = t->elems.data() + off;
      }
      if (seg.uses_exprs) {
        for (size_t j = 0; j < seg.exprs.size(); ++j) out[j] = eval(seg.exprs[j]).ref;
      } else {
        for (size_t j = 0; j < seg.funcs.size(); ++j) out[j] = inst.funcs[seg.funcs[j]];
      }
    }
    // Memories with an image (memory_image.hpp) start as it: its segments
    // are in place, all in bounds.
    bool all_mapped = true;
    for (const auto& img : memory_images(m)) {
      LinearMemory& mem = inst.memories[img->memory]->mem;
      // (A reset memory has its image mapped still: mem.reset.)
      if (mem.image_bytes() == img->bytes || mem.map_image(img->fd, img->bytes, img->view)) continue;
      all_mapped = false;
      break;
    }
    auto copy = [&](uint32_t i) {
      const DataSegment& seg = m.datas[i];
      uint32_t off = eval(seg.offset).u32;
      LinearMemory& mem = inst.memories[seg.memory]->mem;
      if (!mem.in_bounds(off, seg.data_size)) return false;
      std::memcpy(mem.base() + off, m.bytes + seg.data_offset, seg.data_size);
      inst.data_dropped[i] = 1;
      return true;
    };
    if (all_mapped) {  // the segments no image stands for (data_plan)
      const DataPlan& plan = data_plan(m);
      for (uint32_t i : plan.copied)
        if (!copy(i)) return trap_error(TrapKind::MemoryOutOfBounds);
      inst.data_dropped = plan.dropped;
    } else {
      for (const auto& img : memory_images(m))
        if (inst.memories[img->memory]->mem.image_bytes() == img->bytes)
          for (uint32_t i : img->segments) inst.data_dropped[i] = 1;
      for (uint32_t i = 0; i < m.datas.size(); ++i) {
        if (m.datas[i].mode != SegmentMode::Active || inst.data_dropped[i]) continue;
        if (!copy(i)) return trap_error(TrapKind::MemoryOutOfBounds);
      }
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

  // Back to the state instantiation left: own tables and memories to their
  // initial sizes and empty, then initialize() again. Imports are the
  // instances they were (reset before this one: Store::reset goes in
  // creation order, as instantiation did).
  Result<Instance*> reset() {
    ResourceUsage& u = store.usage_;
    for (TableInst& t : inst.own_tables) {
      const uint64_t min = t.type.limits.min;
      u.give_back_table_elements(t.elems.size() - min);
      t.elems.assign(size_t(min), nullptr);
    }
    for (MemoryInst& mi : inst.own_memories) {
      const uint64_t bytes = mi.type.limits.min * kPageSize;
      const uint64_t grown = mi.mem.size() - bytes;
      if (!mi.mem.reset(bytes))
        return make_error(ErrorKind::Other, "cannot reset a memory without guard pages");
      u.give_back_memory_bytes(grown);
    }
    inst.elems.clear();
    return initialize();
  }
};

Status Store::reset() {
  if (!tables_.empty() || !memories_.empty())
    return make_error(ErrorKind::Other, "cannot reset a store with tables or memories the host made");
  for (const auto& g : globals_)
    if (g->type.mut) return make_error(ErrorKind::Other, "cannot reset a store with mutable host globals");
  if (exec_.frame_top != exec_.frames_base - 1)
    return make_error(ErrorKind::Other, "cannot reset a store while it runs");
  exec_.stack_top = exec_.stack_base;
  __atomic_store_n(&interrupted_, false, __ATOMIC_RELAXED);
  if (cfg_.fuel) set_fuel(*cfg_.fuel);
  try {
    for (const auto& inst : instances_) {
      Instantiator in{*this, *inst, *inst->module};
      auto r = in.reset();
      if (!r.ok()) return r.take_error();
    }
  } catch (const std::bad_alloc&) {
    return out_of_memory();
  }
  return ok_status();
}

Result<Instance*> Store::instantiate(std::shared_ptr<const Module> m, std::span<const Extern> imports) {
  if (!m->validated) return make_error(ErrorKind::Invalid, "module is not validated");
  if (!m->side_table_built)
    return make_error(ErrorKind::Invalid, "module was validated without the interpreter's side table");
  if (usage_.instances >= usage_.limits->max_instances) return limit_error("instance count");
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

}  // namespace wisp
