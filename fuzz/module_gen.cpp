#include "fuzz/module_gen.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "runtime/wasm/module.hpp"
#include "runtime/wasm/opcodes.hpp"
#include "runtime/text/encoding.hpp"

namespace wisp::fuzz {
namespace {

using text::Bytes;
using text::put_fixed;
using text::put_name;
using text::put_s64;
using text::put_u32;

// The recipe. Past its end every read is 0, and choice 0 is always the
// simplest option, so generation winds down instead of failing.
class Source {
 public:
  Source(const uint8_t* p, size_t n) : p_(p), end_(p + n) {}
  bool empty() const { return p_ >= end_; }
  uint8_t byte() { return p_ < end_ ? *p_++ : 0; }
  // In [0, n); n of 0 or 1 gives 0 without reading.
  uint32_t below(uint32_t n) {
    if (n <= 1) return 0;
    uint32_t v = byte();
    if (n > 256) v |= uint32_t(byte()) << 8;
    return v % n;
  }
  bool chance(unsigned percent) { return below(100) < percent; }
  uint64_t bits(unsigned bytes) {
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; ++i) v |= uint64_t(byte()) << (8 * i);
    return v;
  }

 private:
  const uint8_t* p_;
  const uint8_t* end_;
};

constexpr ValType kValTypes[] = {ValType::I32, ValType::I64,     ValType::F32,      ValType::F64,
                                 ValType::V128, ValType::FuncRef, ValType::ExternRef};

ValType ot_type(OT t) {
  switch (t) {
    case OT::I32: return ValType::I32;
    case OT::I64: return ValType::I64;
    case OT::F32: return ValType::F32;
    case OT::F64: return ValType::F64;
    case OT::V128: return ValType::V128;
    default: return ValType::Unknown;
  }
}

// Rows of the opcode table with a fixed signature and immediates the
// generator can fill in, grouped by result type (index 0..4 as kValTypes;
// 5 for no result, i.e. stores).
struct OpPools {
  std::vector<Op> by_result[6];
  OpPools() {
    for (unsigned i = 0; i < kOpCount; ++i) {
      const OpInfo& info = kOpInfo[i];
      if (info.params[0] == OT::SP) continue;
      switch (info.imm) {
        case Imm::None: case Imm::MemArg: case Imm::Lane: case Imm::MemArgLane: case Imm::Shuffle:
          break;
        default:
          continue;  // constants are leaves; everything else is SP
      }
      int slot = info.result == OT::NO ? 5 : -1;
      for (int k = 0; k < 5; ++k)
        if (ot_type(info.result) == kValTypes[k]) slot = k;
      if (slot >= 0) by_result[slot].push_back(Op(i));
    }
  }
};
const OpPools& pools() {
  static const OpPools p;
  return p;
}

void put_op(Bytes& out, Op op) {
  const OpInfo& info = op_info(op);
  if (info.prefix) {
    out.push_back(info.prefix);
    put_u32(out, info.code);
  } else {
    out.push_back(info.code);
  }
}

struct TableDecl {
  ValType elem;
  Limits limits;
};
struct GlobalDecl {
  ValType type;
  bool mut;
  bool imported;
};

class Generator {
 public:
  explicit Generator(Source& s) : s_(s) {}
  Bytes run();

 private:
  // --- module-level decisions
  ValType val_type() {
    // Numbers most of the time; SIMD and references now and then.
    static constexpr ValType kWeighted[] = {ValType::I32, ValType::I32, ValType::I32, ValType::I64,
                                            ValType::I64, ValType::F32, ValType::F64, ValType::V128,
                                            ValType::FuncRef, ValType::ExternRef};
    return kWeighted[s_.below(std::size(kWeighted))];
  }
  FuncType func_type(unsigned max_params, unsigned max_results) {
    FuncType t;
    for (unsigned n = s_.below(max_params + 1); n; --n) t.params.push_back(val_type());
    for (unsigned n = s_.below(max_results + 1); n; --n) t.results.push_back(val_type());
    return t;
  }
  uint32_t type_index(const FuncType& t) {
    for (size_t i = 0; i < types_.size(); ++i)
      if (types_[i] == t) return uint32_t(i);
    types_.push_back(t);
    return uint32_t(types_.size() - 1);
  }
  Limits limits(uint32_t max_min, uint32_t max_extra) {
    Limits l;
    l.min = s_.below(max_min + 1);
    l.has_max = s_.chance(50);
    if (l.has_max) l.max = l.min + s_.below(max_extra + 1);
    return l;
  }
  // Table limits: small mostly; now and then a minimum no store may grant
  // (up to 2^32-1), which instantiation must refuse with a limit error.
  Limits table_limits() {
    if (!s_.chance(4)) return limits(10, 10);
    static constexpr uint32_t kHuge[] = {1u << 20, 10'000'001, 1u << 28, 0xFFFFFFFFu};
    Limits l;
    l.min = kHuge[s_.below(uint32_t(std::size(kHuge)))];
    l.has_max = s_.chance(50);
    if (l.has_max) l.max = l.min;
    return l;
  }
  // A constant expression of type t (with `end`).
  Bytes const_expr(ValType t);

  // --- function bodies
  void expr(ValType t, Bytes& out, int depth);  // pushes one t
  void leaf(ValType t, Bytes& out);
  // Pushes values of the given types, in order.
  void exprs(const std::vector<ValType>& ts, Bytes& out, int depth) {
    for (ValType t : ts) expr(t, out, depth);
  }
  void drops(size_t n, Bytes& out) { out.insert(out.end(), n, 0x1A); }
  // A statement with net stack effect zero; true if it ends control flow
  // (br, br_table, return, unreachable), after which the sequence stops.
  bool stmt(Bytes& out, int depth);
  void stmts(Bytes& out, int depth) {
    for (unsigned n = s_.below(4); n && budget_ > 0; --n)
      if (stmt(out, depth)) return;
  }
  // block/loop/if of type params -> results; the params are already pushed.
  void structured(Op kind, const std::vector<ValType>& params, const std::vector<ValType>& results,
                  Bytes& out, int depth);
  void block_type(const std::vector<ValType>& params, const std::vector<ValType>& results, Bytes& out) {
    if (params.empty() && results.empty()) out.push_back(0x40);
    else if (params.empty() && results.size() == 1) out.push_back(uint8_t(results[0]));
    else put_s64(out, type_index({params, results}));
  }
  void memarg(const OpInfo& info, Bytes& out) {
    uint32_t natural = 0;
    while ((1u << natural) < info.size) ++natural;
    put_u32(out, s_.below(natural + 1));
    // Mostly small offsets, so accesses land in the first pages; sometimes
    // anything, to reach the bounds checks and guard pages.
    put_u32(out, s_.chance(85) ? s_.below(64) : uint32_t(s_.bits(4)));
  }
  // An address-like i32: small constants mostly.
  void address(Bytes& out, int depth) {
    if (s_.chance(60)) {
      out.push_back(0x41);
      put_s64(out, int32_t(s_.chance(90) ? s_.below(kPageSize + 64) : uint32_t(s_.bits(4))));
    } else {
      expr(ValType::I32, out, depth);
    }
  }
  int table_of(ValType elem) {  // a random table with that element type, or -1
    std::vector<int> c;
    for (size_t i = 0; i < tables_.size(); ++i)
      if (tables_[i].elem == elem) c.push_back(int(i));
    return c.empty() ? -1 : c[s_.below(uint32_t(c.size()))];
  }
  int local_of(ValType t) {
    std::vector<int> c;
    for (size_t i = 0; i < locals_.size(); ++i)
      if (locals_[i] == t) c.push_back(int(i));
    return c.empty() ? -1 : c[s_.below(uint32_t(c.size()))];
  }
  int global_of(ValType t, bool need_mut) {
    std::vector<int> c;
    for (size_t i = 0; i < globals_.size(); ++i)
      if (globals_[i].type == t && (!need_mut || globals_[i].mut)) c.push_back(int(i));
    return c.empty() ? -1 : c[s_.below(uint32_t(c.size()))];
  }
  int func_returning(const std::vector<ValType>& results) {
    std::vector<int> c;
    for (size_t i = 0; i < funcs_.size(); ++i)
      if (types_[funcs_[i]].results == results) c.push_back(int(i));
    return c.empty() ? -1 : c[s_.below(uint32_t(c.size()))];
  }
  int type_returning(const std::vector<ValType>& results) {
    std::vector<int> c;
    for (size_t i = 0; i < types_.size(); ++i)
      if (types_[i].results == results) c.push_back(int(i));
    return c.empty() ? -1 : c[s_.below(uint32_t(c.size()))];
  }
  Bytes body(uint32_t type);

  Source& s_;
  std::vector<FuncType> types_;
  std::vector<uint32_t> funcs_;  // type of every function, imports first
  uint32_t num_imported_funcs_ = 0;
  std::vector<TableDecl> tables_;
  bool table_imported_ = false;
  bool has_memory_ = false, memory_imported_ = false;
  Limits memory_;
  std::vector<GlobalDecl> globals_;
  uint32_t num_imported_globals_ = 0;
  std::vector<ValType> elem_types_;  // per element segment
  uint32_t num_datas_ = 0;

  // Per function.
  std::vector<ValType> locals_;  // params then declared locals
  std::vector<std::vector<ValType>> labels_;  // branch types, innermost last
  std::vector<ValType> results_;
  int budget_ = 0;  // instructions left for this body
};

Bytes Generator::const_expr(ValType t) {
  Bytes out;
  // global.get of an imported immutable global is constant in 2.0.
  std::vector<uint32_t> imported;
  for (uint32_t i = 0; i < num_imported_globals_; ++i)
    if (globals_[i].type == t && !globals_[i].mut) imported.push_back(i);
  if (!imported.empty() && s_.chance(25)) {
    out.push_back(0x23);
    put_u32(out, imported[s_.below(uint32_t(imported.size()))]);
  } else {
    int saved = budget_;
    budget_ = 0;  // a leaf: constants only (locals_ is empty here)
    leaf(t, out);
    budget_ = saved;
  }
  out.push_back(0x0B);
  return out;
}

void Generator::leaf(ValType t, Bytes& out) {
  if (int l = local_of(t); l >= 0 && s_.chance(40)) {
    out.push_back(0x20);
    put_u32(out, uint32_t(l));
    return;
  }
  switch (t) {
    case ValType::I32: {
      // Small numbers, edge values and random bits, for addresses, shift
      // counts, divisions by zero and overflow.
      static constexpr int32_t kEdges[] = {0, 1, -1, INT32_MIN, INT32_MAX, 31, 32, 65535, 65536};
      int32_t v = s_.chance(50) ? int32_t(s_.below(256)) : s_.chance(50) ? kEdges[s_.below(std::size(kEdges))]
                                                                          : int32_t(s_.bits(4));
      out.push_back(0x41);
      put_s64(out, v);
      return;
    }
    case ValType::I64: {
      static constexpr int64_t kEdges[] = {0, 1, -1, INT64_MIN, INT64_MAX, 63, 64};
      int64_t v = s_.chance(50) ? int64_t(s_.below(256)) : s_.chance(50) ? kEdges[s_.below(std::size(kEdges))]
                                                                          : int64_t(s_.bits(8));
      out.push_back(0x42);
      put_s64(out, v);
      return;
    }
    case ValType::F32:
      out.push_back(0x43);
      put_fixed(out, s_.bits(4), 4);
      return;
    case ValType::F64:
      out.push_back(0x44);
      put_fixed(out, s_.bits(8), 8);
      return;
    case ValType::V128:
      put_op(out, Op::V128Const);
      put_fixed(out, s_.bits(8), 8);
      put_fixed(out, s_.bits(8), 8);
      return;
    case ValType::FuncRef:
      if (!funcs_.empty() && s_.chance(60)) {
        out.push_back(0xD2);
        put_u32(out, s_.below(uint32_t(funcs_.size())));
      } else {
        out.push_back(0xD0);
        out.push_back(0x70);
      }
      return;
    case ValType::ExternRef:
    default:
      out.push_back(0xD0);
      out.push_back(0x6F);
      return;
  }
}

void Generator::structured(Op kind, const std::vector<ValType>& params, const std::vector<ValType>& results,
                           Bytes& out, int depth) {
  put_op(out, kind);
  block_type(params, results, out);
  labels_.push_back(kind == Op::Loop ? params : results);
  for (int arm = 0; arm < (kind == Op::If ? 2 : 1); ++arm) {
    if (arm == 1) out.push_back(0x05);  // else: the params are back on the stack
    // The params sit on the stack: consume them (drop, or store to a local
    // of their type) before the arm's own statements.
    for (size_t i = params.size(); i-- > 0;) {
      int l = local_of(params[i]);
      if (l >= 0 && s_.chance(50)) {
        out.push_back(0x21);
        put_u32(out, uint32_t(l));
      } else {
        out.push_back(0x1A);
      }
    }
    stmts(out, depth + 1);
    exprs(results, out, depth + 1);
  }
  labels_.pop_back();
  out.push_back(0x0B);
}

void Generator::expr(ValType t, Bytes& out, int depth) {
  --budget_;
  if (budget_ <= 0 || depth > 8 || s_.empty()) return leaf(t, out);
  int slot = -1;
  for (int k = 0; k < 5; ++k)
    if (kValTypes[k] == t) slot = k;
  switch (s_.below(12)) {
    case 0:
    case 1:
    default:
      return leaf(t, out);
    case 2:
    case 3:
    case 4: {  // an operator from the table
      if (slot < 0) break;
      const std::vector<Op>& pool = pools().by_result[slot];
      Op op = pool[s_.below(uint32_t(pool.size()))];
      const OpInfo& info = op_info(op);
      bool mem = info.imm == Imm::MemArg || info.imm == Imm::MemArgLane;
      if (mem && !has_memory_) break;
      for (int i = 0; i < 3; ++i) {
        if (info.params[i] == OT::NO) continue;
        if (mem && i == 0) address(out, depth + 1);
        else expr(ot_type(info.params[i]), out, depth + 1);
      }
      put_op(out, op);
      switch (info.imm) {
        case Imm::MemArg: memarg(info, out); break;
        case Imm::MemArgLane: memarg(info, out); out.push_back(uint8_t(s_.below(16 / info.size))); break;
        case Imm::Lane: out.push_back(uint8_t(s_.below(info.size))); break;
        case Imm::Shuffle:
          for (int i = 0; i < 16; ++i) out.push_back(uint8_t(s_.below(32)));
          break;
        default: break;
      }
      return;
    }
    case 5: {  // local.tee
      int l = local_of(t);
      if (l < 0) break;
      expr(t, out, depth + 1);
      out.push_back(0x22);
      put_u32(out, uint32_t(l));
      return;
    }
    case 6: {  // block / loop / if producing t, sometimes through a type index with params
      std::vector<ValType> params;
      if (s_.chance(20)) params = func_type(2, 0).params;
      std::vector<ValType> results = {t};
      Op kind = std::array{Op::Block, Op::Loop, Op::If}[s_.below(3)];
      exprs(params, out, depth + 1);
      if (kind == Op::If) expr(ValType::I32, out, depth + 1);
      return structured(kind, params, results, out, depth);
    }
    case 7: {  // call
      int f = func_returning({t});
      if (f < 0) break;
      exprs(types_[funcs_[f]].params, out, depth + 1);
      out.push_back(0x10);
      put_u32(out, uint32_t(f));
      return;
    }
    case 8: {  // call_indirect
      int table = table_of(ValType::FuncRef);
      int ty = type_returning({t});
      if (table < 0 || ty < 0) break;
      exprs(types_[ty].params, out, depth + 1);
      out.push_back(0x41);
      put_s64(out, s_.below(uint32_t(tables_[table].limits.min) + 2));
      out.push_back(0x11);
      put_u32(out, uint32_t(ty));
      put_u32(out, uint32_t(table));
      return;
    }
    case 9:  // select (typed for references, as 2.0 requires)
      expr(t, out, depth + 1);
      expr(t, out, depth + 1);
      expr(ValType::I32, out, depth + 1);
      if (is_ref(t) || s_.chance(30)) {
        out.push_back(0x1C);
        put_u32(out, 1);
        out.push_back(uint8_t(t));
      } else {
        out.push_back(0x1B);
      }
      return;
    case 10:  // global.get
      if (int g = global_of(t, false); g >= 0) {
        out.push_back(0x23);
        put_u32(out, uint32_t(g));
        return;
      }
      break;
    case 11:  // instructions with a type-specific result
      if (t == ValType::I32) {
        switch (s_.below(4)) {
          case 0:
            if (!has_memory_) break;
            put_op(out, Op::MemorySize);
            out.push_back(0);
            return;
          case 1:
            if (!has_memory_) break;
            expr(ValType::I32, out, depth + 1);
            put_op(out, Op::MemoryGrow);
            out.push_back(0);
            return;
          case 2: {
            if (tables_.empty()) break;
            uint32_t tb = s_.below(uint32_t(tables_.size()));
            if (s_.chance(50)) {
              put_op(out, Op::TableSize);
            } else {
              expr(tables_[tb].elem, out, depth + 1);
              expr(ValType::I32, out, depth + 1);
              put_op(out, Op::TableGrow);
            }
            put_u32(out, tb);
            return;
          }
          case 3: {
            ValType r = s_.chance(50) ? ValType::FuncRef : ValType::ExternRef;
            expr(r, out, depth + 1);
            out.push_back(0xD1);
            return;
          }
        }
      } else if (is_ref(t)) {
        int tb = table_of(t);
        if (tb < 0) break;
        address(out, depth + 1);
        out.push_back(0x25);
        put_u32(out, uint32_t(tb));
        return;
      }
      break;
  }
  leaf(t, out);
}

bool Generator::stmt(Bytes& out, int depth) {
  --budget_;
  if (depth > 8) {
    out.push_back(0x01);  // nop
    return false;
  }
  switch (s_.below(16)) {
    case 0:
    default:
      out.push_back(0x01);
      return false;
    case 1: {  // local.set
      if (locals_.empty()) break;
      uint32_t l = s_.below(uint32_t(locals_.size()));
      expr(locals_[l], out, depth + 1);
      out.push_back(0x21);
      put_u32(out, l);
      return false;
    }
    case 2: {  // global.set
      ValType t = val_type();
      int g = global_of(t, true);
      if (g < 0) break;
      expr(t, out, depth + 1);
      out.push_back(0x24);
      put_u32(out, uint32_t(g));
      return false;
    }
    case 3:  // drop
      expr(val_type(), out, depth + 1);
      out.push_back(0x1A);
      return false;
    case 4: {  // a store
      if (!has_memory_) break;
      const std::vector<Op>& pool = pools().by_result[5];
      Op op = pool[s_.below(uint32_t(pool.size()))];
      const OpInfo& info = op_info(op);
      address(out, depth + 1);
      for (int i = 1; i < 3; ++i)
        if (info.params[i] != OT::NO) expr(ot_type(info.params[i]), out, depth + 1);
      put_op(out, op);
      memarg(info, out);
      if (info.imm == Imm::MemArgLane) out.push_back(uint8_t(s_.below(16 / info.size)));
      return false;
    }
    case 5:
    case 6: {  // block / loop / if, maybe with values that are then dropped
      FuncType ft = s_.chance(30) ? func_type(2, 2) : FuncType{};
      Op kind = std::array{Op::Block, Op::Loop, Op::If}[s_.below(3)];
      exprs(ft.params, out, depth + 1);
      if (kind == Op::If) expr(ValType::I32, out, depth + 1);
      structured(kind, ft.params, ft.results, out, depth);
      drops(ft.results.size(), out);
      return false;
    }
    case 7: {  // br_if, its values dropped afterwards
      uint32_t l = s_.below(uint32_t(labels_.size()));
      const std::vector<ValType> types = labels_[labels_.size() - 1 - l];
      exprs(types, out, depth + 1);
      expr(ValType::I32, out, depth + 1);
      out.push_back(0x0D);
      put_u32(out, l);
      drops(types.size(), out);
      return false;
    }
    case 8: {  // br
      if (!s_.chance(30)) break;
      uint32_t l = s_.below(uint32_t(labels_.size()));
      exprs(labels_[labels_.size() - 1 - l], out, depth + 1);
      out.push_back(0x0C);
      put_u32(out, l);
      return true;
    }
    case 9: {  // br_table over labels of the same type
      if (!s_.chance(40)) break;
      uint32_t d = s_.below(uint32_t(labels_.size()));
      const std::vector<ValType> types = labels_[labels_.size() - 1 - d];
      std::vector<uint32_t> targets;
      for (uint32_t i = 0; i < labels_.size(); ++i)
        if (labels_[labels_.size() - 1 - i] == types) targets.push_back(i);
      exprs(types, out, depth + 1);
      expr(ValType::I32, out, depth + 1);
      out.push_back(0x0E);
      uint32_t n = s_.below(5);
      put_u32(out, n);
      for (uint32_t i = 0; i < n; ++i) put_u32(out, targets[s_.below(uint32_t(targets.size()))]);
      put_u32(out, d);
      return true;
    }
    case 10:  // return
      if (!s_.chance(20)) break;
      exprs(results_, out, depth + 1);
      out.push_back(0x0F);
      return true;
    case 11: {  // call anything, drop the results
      if (funcs_.empty()) break;
      uint32_t f = s_.below(uint32_t(funcs_.size()));
      exprs(types_[funcs_[f]].params, out, depth + 1);
      out.push_back(0x10);
      put_u32(out, f);
      drops(types_[funcs_[f]].results.size(), out);
      return false;
    }
    case 12: {  // memory bulk operations
      if (!has_memory_) break;
      unsigned k = s_.below(num_datas_ ? 4 : 2);
      if (k == 3) {
        put_op(out, Op::DataDrop);
        put_u32(out, s_.below(num_datas_));
        return false;
      }
      address(out, depth + 1);
      if (k == 0) expr(ValType::I32, out, depth + 1);
      else address(out, depth + 1);
      address(out, depth + 1);  // length
      if (k == 0) {
        put_op(out, Op::MemoryFill);
        out.push_back(0);
      } else if (k == 1) {
        put_op(out, Op::MemoryCopy);
        out.push_back(0);
        out.push_back(0);
      } else {
        put_op(out, Op::MemoryInit);
        put_u32(out, s_.below(num_datas_));
        out.push_back(0);
      }
      return false;
    }
    case 13: {  // table operations
      if (tables_.empty()) break;
      uint32_t tb = s_.below(uint32_t(tables_.size()));
      ValType elem = tables_[tb].elem;
      switch (s_.below(5)) {
        case 0:  // table.set
          address(out, depth + 1);
          expr(elem, out, depth + 1);
          out.push_back(0x26);
          put_u32(out, tb);
          return false;
        case 1:  // table.fill
          address(out, depth + 1);
          expr(elem, out, depth + 1);
          address(out, depth + 1);
          put_op(out, Op::TableFill);
          put_u32(out, tb);
          return false;
        case 2: {  // table.copy between tables of the same type
          int src = table_of(elem);
          address(out, depth + 1);
          address(out, depth + 1);
          address(out, depth + 1);
          put_op(out, Op::TableCopy);
          put_u32(out, tb);
          put_u32(out, uint32_t(src));
          return false;
        }
        case 3:
        case 4: {  // table.init / elem.drop with a segment of the table's type
          std::vector<uint32_t> segs;
          for (uint32_t i = 0; i < elem_types_.size(); ++i)
            if (elem_types_[i] == elem) segs.push_back(i);
          if (segs.empty()) break;
          uint32_t seg = segs[s_.below(uint32_t(segs.size()))];
          if (s_.chance(70)) {
            address(out, depth + 1);
            address(out, depth + 1);
            address(out, depth + 1);
            put_op(out, Op::TableInit);
            put_u32(out, seg);
            put_u32(out, tb);
          } else {
            put_op(out, Op::ElemDrop);
            put_u32(out, seg);
          }
          return false;
        }
      }
      break;
    }
    case 14:  // unreachable, rarely
      if (!s_.chance(10)) break;
      out.push_back(0x00);
      return true;
    case 15: {  // call_indirect, results dropped
      int table = table_of(ValType::FuncRef);
      if (table < 0 || types_.empty()) break;
      uint32_t ty = s_.below(uint32_t(types_.size()));
      exprs(types_[ty].params, out, depth + 1);
      out.push_back(0x41);
      put_s64(out, s_.below(uint32_t(tables_[table].limits.min) + 2));
      out.push_back(0x11);
      put_u32(out, ty);
      put_u32(out, uint32_t(table));
      drops(types_[ty].results.size(), out);
      return false;
    }
  }
  out.push_back(0x01);
  return false;
}

Bytes Generator::body(uint32_t type) {
  const FuncType ft = types_[type];  // a copy: types_ may grow meanwhile
  locals_ = ft.params;
  std::vector<ValType> declared;
  for (unsigned n = s_.below(5); n; --n) declared.push_back(val_type());
  locals_.insert(locals_.end(), declared.begin(), declared.end());
  results_ = ft.results;
  labels_ = {ft.results};
  budget_ = 40 + int(s_.below(200));

  Bytes code;
  stmts(code, 0);
  exprs(ft.results, code, 0);
  code.push_back(0x0B);

  Bytes out;
  put_u32(out, declared.size());  // one run per local keeps this simple
  for (ValType t : declared) {
    put_u32(out, 1);
    out.push_back(uint8_t(t));
  }
  out.insert(out.end(), code.begin(), code.end());
  return out;
}

Bytes Generator::run() {
  // Types: a few random signatures; bodies may add block types later.
  types_.push_back({});
  for (unsigned n = s_.below(5); n; --n) type_index(func_type(3, 2));

  // Imports: functions, then maybe a table, a memory, globals.
  struct Imp {
    ExternKind kind;
    Bytes desc;
  };
  std::vector<Imp> imports;
  for (unsigned n = s_.below(3); n; --n) {
    uint32_t t = s_.below(uint32_t(types_.size()));
    funcs_.push_back(t);
    Bytes d;
    put_u32(d, t);
    imports.push_back({ExternKind::Func, d});
  }
  num_imported_funcs_ = uint32_t(funcs_.size());
  if (s_.chance(15)) {
    TableDecl t{s_.chance(70) ? ValType::FuncRef : ValType::ExternRef, limits(8, 8)};
    tables_.push_back(t);
    table_imported_ = true;
    Bytes d = {uint8_t(t.elem)};
    d.push_back(t.limits.has_max);
    put_u32(d, t.limits.min);
    if (t.limits.has_max) put_u32(d, t.limits.max);
    imports.push_back({ExternKind::Table, d});
  }
  if (s_.chance(15)) {
    has_memory_ = memory_imported_ = true;
    memory_ = limits(2, 2);
    Bytes d = {uint8_t(memory_.has_max)};
    put_u32(d, memory_.min);
    if (memory_.has_max) put_u32(d, memory_.max);
    imports.push_back({ExternKind::Memory, d});
  }
  for (unsigned n = s_.below(3); n; --n) {
    GlobalDecl g{val_type(), s_.chance(30), true};
    globals_.push_back(g);
    imports.push_back({ExternKind::Global, {uint8_t(g.type), uint8_t(g.mut)}});
  }
  num_imported_globals_ = uint32_t(globals_.size());

  // Definitions.
  for (unsigned n = 1 + s_.below(5); n; --n) funcs_.push_back(s_.below(uint32_t(types_.size())));
  size_t first_defined_table = tables_.size();
  // Usually a few tables; now and then thousands, for the store's count and
  // total-elements limits.
  for (unsigned n = s_.chance(3) ? 1000 + s_.below(20000) : s_.below(3); n; --n)
    tables_.push_back({s_.chance(70) ? ValType::FuncRef : ValType::ExternRef, table_limits()});
  if (!has_memory_ && s_.chance(70)) {
    has_memory_ = true;
    memory_ = limits(2, 3);
  }
  std::vector<Bytes> global_inits;
  for (unsigned n = s_.below(4); n; --n) {
    GlobalDecl g{val_type(), s_.chance(60), false};
    global_inits.push_back(const_expr(g.type));
    globals_.push_back(g);
  }

  // Element segments: active ones into funcref tables, a passive one, and a
  // declarative one naming every function so that ref.func is always valid.
  Bytes elems;
  uint32_t num_elems = 0;
  for (size_t t = 0; t < std::min<size_t>(tables_.size(), 64); ++t) {
    if (tables_[t].elem != ValType::FuncRef || !s_.chance(70)) continue;
    Bytes d;
    if (t == 0 && s_.chance(50)) {
      d.push_back(0);
    } else {
      d.push_back(2);
      put_u32(d, uint32_t(t));
    }
    // Segments that fit, but now and then one that makes instantiation trap.
    uint32_t min = uint32_t(tables_[t].limits.min);
    uint32_t n = s_.below(std::min(min, 4u) + 1);
    d.push_back(0x41);
    put_s64(d, s_.chance(90) ? s_.below(min - n + 1) : s_.below(min + 4));
    d.push_back(0x0B);
    if (d[0] == 2) d.push_back(0x00);  // elemkind funcref
    put_u32(d, n);
    for (uint32_t i = 0; i < n; ++i) put_u32(d, s_.below(uint32_t(funcs_.size())));
    elems.insert(elems.end(), d.begin(), d.end());
    elem_types_.push_back(ValType::FuncRef);
    ++num_elems;
  }
  for (unsigned n = s_.below(3); n; --n) {  // passive, with expressions
    ValType t = s_.chance(60) ? ValType::FuncRef : ValType::ExternRef;
    elems.push_back(5);
    elems.push_back(uint8_t(t));
    unsigned items = s_.below(4);
    put_u32(elems, items);
    for (unsigned i = 0; i < items; ++i) {
      Bytes e = const_expr(t);
      elems.insert(elems.end(), e.begin(), e.end());
    }
    elem_types_.push_back(t);
    ++num_elems;
  }
  {
    elems.push_back(3);
    elems.push_back(0x00);
    put_u32(elems, funcs_.size());
    for (uint32_t f = 0; f < funcs_.size(); ++f) put_u32(elems, f);
    elem_types_.push_back(ValType::FuncRef);
    ++num_elems;
  }

  Bytes datas;
  if (has_memory_) {
    for (unsigned n = s_.below(3); n; --n) {
      bool active = s_.chance(50);
      unsigned len = s_.below(16);
      if (active) {
        // Mostly in bounds, now and then past the end (an instantiation trap).
        uint32_t size = uint32_t(memory_.min * kPageSize);
        uint32_t offset = s_.chance(90) ? (size >= len ? s_.below(std::min(size - len + 1, 4096u)) : 0)
                                        : s_.below(size + 32);
        datas.push_back(0);
        datas.push_back(0x41);
        put_s64(datas, offset);
        datas.push_back(0x0B);
      } else {
        datas.push_back(1);
      }
      put_u32(datas, len);
      for (unsigned i = 0; i < len; ++i) datas.push_back(s_.byte());
      ++num_datas_;
    }
  }

  // Bodies last: they may add block types, so the type section is written
  // after them.
  std::vector<Bytes> bodies;
  for (size_t f = num_imported_funcs_; f < funcs_.size(); ++f) bodies.push_back(body(funcs_[f]));
  int start = -1;
  if (s_.chance(20)) {
    for (size_t f = 0; f < funcs_.size(); ++f)
      if (types_[funcs_[f]].params.empty() && types_[funcs_[f]].results.empty()) start = int(f);
  }

  // Serialize.
  Bytes out = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  Bytes s;
  auto section = [&](uint8_t id) {
    out.push_back(id);
    put_u32(out, s.size());
    out.insert(out.end(), s.begin(), s.end());
    s.clear();
  };
  put_u32(s, types_.size());
  for (const FuncType& t : types_) {
    s.push_back(0x60);
    put_u32(s, t.params.size());
    for (ValType v : t.params) s.push_back(uint8_t(v));
    put_u32(s, t.results.size());
    for (ValType v : t.results) s.push_back(uint8_t(v));
  }
  section(1);
  if (!imports.empty()) {
    put_u32(s, imports.size());
    for (size_t i = 0; i < imports.size(); ++i) {
      put_name(s, "env");
      put_name(s, "i" + std::to_string(i));
      s.push_back(uint8_t(imports[i].kind));
      s.insert(s.end(), imports[i].desc.begin(), imports[i].desc.end());
    }
    section(2);
  }
  put_u32(s, funcs_.size() - num_imported_funcs_);
  for (size_t f = num_imported_funcs_; f < funcs_.size(); ++f) put_u32(s, funcs_[f]);
  section(3);
  if (tables_.size() > first_defined_table) {
    put_u32(s, tables_.size() - first_defined_table);
    for (size_t t = first_defined_table; t < tables_.size(); ++t) {
      s.push_back(uint8_t(tables_[t].elem));
      s.push_back(tables_[t].limits.has_max);
      put_u32(s, tables_[t].limits.min);
      if (tables_[t].limits.has_max) put_u32(s, tables_[t].limits.max);
    }
    section(4);
  }
  if (has_memory_ && !memory_imported_) {
    put_u32(s, 1);
    s.push_back(memory_.has_max);
    put_u32(s, memory_.min);
    if (memory_.has_max) put_u32(s, memory_.max);
    section(5);
  }
  if (!global_inits.empty()) {
    put_u32(s, global_inits.size());
    for (size_t i = 0; i < global_inits.size(); ++i) {
      const GlobalDecl& g = globals_[num_imported_globals_ + i];
      s.push_back(uint8_t(g.type));
      s.push_back(g.mut);
      s.insert(s.end(), global_inits[i].begin(), global_inits[i].end());
    }
    section(6);
  }
  // Exports: every function, and the memory, tables and globals.
  {
    std::vector<std::pair<std::string, std::pair<ExternKind, uint32_t>>> ex;
    for (uint32_t f = 0; f < funcs_.size(); ++f) ex.push_back({"f" + std::to_string(f), {ExternKind::Func, f}});
    for (uint32_t t = 0; t < tables_.size(); ++t) ex.push_back({"t" + std::to_string(t), {ExternKind::Table, t}});
    if (has_memory_) ex.push_back({"mem", {ExternKind::Memory, 0}});
    for (uint32_t g = 0; g < globals_.size(); ++g) ex.push_back({"g" + std::to_string(g), {ExternKind::Global, g}});
    put_u32(s, ex.size());
    for (const auto& [name, what] : ex) {
      put_name(s, name);
      s.push_back(uint8_t(what.first));
      put_u32(s, what.second);
    }
    section(7);
  }
  if (start >= 0) {
    put_u32(s, uint32_t(start));
    section(8);
  }
  put_u32(s, num_elems);
  s.insert(s.end(), elems.begin(), elems.end());
  section(9);
  if (num_datas_) {
    put_u32(s, num_datas_);
    section(12);
  }
  put_u32(s, bodies.size());
  for (const Bytes& b : bodies) {
    put_u32(s, b.size());
    s.insert(s.end(), b.begin(), b.end());
  }
  section(10);
  if (num_datas_) {
    put_u32(s, num_datas_);
    s.insert(s.end(), datas.begin(), datas.end());
    section(11);
  }
  return out;
}

}  // namespace

std::vector<uint8_t> generate_module(const uint8_t* data, size_t size) {
  Source s(data, size);
  Generator g(s);
  return g.run();
}

}  // namespace wisp::fuzz
