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

#include "runtime/wasm/decoder.hpp"
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

constexpr uint64_t kMaxLocals = kMaxFunctionLocals;

const ValType* single(ValType t) {
  static const ValType kI32 = ValType::I32, kI64 = ValType::I64, kF32 = ValType::F32,
                       kF64 = ValType::F64, kV128 = ValType::V128, kFunc = ValType::FuncRef,
                       kExtern = ValType::ExternRef;
  switch (t) {
    case ValType::I32: return &kI32;
    case ValType::I64: return &kI64;
    case ValType::F32: return &kF32;
    case ValType::F64: return &kF64;
    case ValType::V128: return &kV128;
    case ValType::FuncRef: return &kFunc;
    case ValType::ExternRef: return &kExtern;
    default: return nullptr;
  }
}

// Signatures of the plain instructions (opcodes.def rows without SP), as
// value types, computed once at compile time.
struct PlainSig {
  uint8_t nparams = 0;
  bool has_result = false;
  ValType params[3] = {};
  ValType result = ValType::Unknown;
};
constexpr ValType ot_type(OT t) {
  switch (t) {
    case OT::I32: return ValType::I32;
    case OT::I64: return ValType::I64;
    case OT::F32: return ValType::F32;
    case OT::F64: return ValType::F64;
    case OT::V128: return ValType::V128;
    default: return ValType::Unknown;
  }
}
constexpr std::array<PlainSig, kOpCount> build_plain_sigs() {
  std::array<PlainSig, kOpCount> out{};
  for (unsigned i = 0; i < kOpCount; ++i) {
    const OpInfo& info = kOpInfo[i];
    if (info.params[0] == OT::SP) continue;
    PlainSig& s = out[i];
    for (OT p : info.params)
      if (p != OT::NO) s.params[s.nparams++] = ot_type(p);
    s.has_result = info.result != OT::NO;
    s.result = ot_type(info.result);
  }
  return out;
}
constexpr std::array<PlainSig, kOpCount> kPlainSigs = build_plain_sigs();

struct Ctrl {
  Op kind;  // Block (also the function), Loop, If, Else
  const ValType* params;
  uint32_t nparams{};
  const ValType* results;
  uint32_t nresults{};
  uint32_t height{};
  bool unreachable;
  uint32_t loop_pc{};    // loop: code offset of the body's first instruction
  uint32_t loop_stp{};   // loop: side-table index there
  int32_t fixups{};      // pending forward branches (linked through pc_delta)
  int32_t if_entry{};    // if: its own entry, patched at else/end
};

// The operand and control stacks: push is a compare and a store, inline;
// growing, rare since the buffer is per-thread scratch kept across
// functions and modules, is out of line. (As std::vector, push_back was not
// inlined into the loop: push was 7% of validating ruby.wasm, and the
// fast path's resize 2.6%, both out-of-line calls.)
template <class T>
class Stack {
 public:
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T& back() { return data_[size_ - 1]; }
  T& front() { return data_[0]; }
  T& operator[](size_t i) { return data_[i]; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  [[gnu::always_inline]] void push_back(const T& v) {
    if (size_ == cap_) [[unlikely]] grow();
    data_[size_++] = v;
  }
  void pop_back() { --size_; }
  void truncate(size_t n) { size_ = n; }  // n <= size()
  void clear() { size_ = 0; }

 private:
  [[gnu::noinline]] void grow() {
    buf_.resize(std::max<size_t>(64, buf_.size() * 2));
    data_ = buf_.data();
    cap_ = buf_.size();
  }
  std::vector<T> buf_;
  T* data_ = nullptr;
  size_t size_ = 0, cap_ = 0;
};

// Shared per-module context for function validation.
struct ModuleCtx {
  const Module& m;
  std::vector<bool>& declared_refs;  // C.refs; per-thread scratch (see refs_scratch)
};

// Reused across modules: a fresh vector per module was one of the few
// allocations validating a tiny module makes.
std::vector<bool>& refs_scratch() {
  thread_local std::vector<bool> v;
  return v;
}

class FuncValidator {
 public:
  // The stacks are per-thread scratch, reused across functions and
  // modules: validating many small modules must not allocate per module.
  // Side-table entries go to `side`: the module's table, or one thread's
  // when the bodies are validated in parallel. Function::side_table is an
  // index into `side`, rebased by the caller when the tables are joined.
  FuncValidator(Module& m, const ModuleCtx& ctx, std::vector<SideEntry>& side)
      : m_(m), ctx_(ctx), side_(side), vals_(scratch().vals), ctrls_(scratch().ctrls),
        locals_(scratch().locals), tmp_(scratch().tmp) {}

  // Returns false with error() set.
  bool run(uint32_t func_index);
  Error& error() { return err_; }

 private:
  bool fail(const std::string& msg, ErrorKind kind = ErrorKind::Invalid) {
    if (!failed_) {
      failed_ = true;
      err_ = make_error(kind, msg, size_t(cur_pc_ - m_.bytes));
    }
    return false;
  }
  bool mismatch() { return fail("type mismatch"); }

  [[gnu::always_inline]] void push(ValType t) {
    vals_.push_back(t);
    uses_v128_ |= t == ValType::V128;
    if (vals_.size() > max_height_) max_height_ = uint32_t(vals_.size());
  }
  bool pop(ValType& out) {
    Ctrl& c = ctrls_.back();
    if (vals_.size() == c.height) {
      if (c.unreachable) {
        out = ValType::Unknown;
        return true;
      }
      return mismatch();
    }
    out = vals_.back();
    vals_.pop_back();
    return true;
  }
  bool pop_expect(ValType t) {
    ValType a{};
    if (!pop(a)) return false;
    if (t != ValType::Unknown && !is_subtype(a, t, m_)) return mismatch();
    return true;
  }
  bool pop_ref(ValType& out) {
    if (!pop(out)) return false;
    if (out != ValType::Unknown && !is_ref(out)) return mismatch();
    return true;
  }
  bool pop_vals(const ValType* ts, uint32_t n) {
    for (uint32_t i = n; i-- > 0;)
      if (!pop_expect(ts[i])) return false;
    return true;
  }
  void push_vals(const ValType* ts, uint32_t n) {
    for (uint32_t i = 0; i < n; ++i) push(ts[i]);
  }
  void set_unreachable() {
    Ctrl& c = ctrls_.back();
    vals_.truncate(c.height);
    c.unreachable = true;
  }

  bool block_sig(int64_t bt, Ctrl& c);
  void push_ctrl(Op kind, Ctrl sig);
  uint32_t code_off(const uint8_t* p) const { return uint32_t(p - m_.bytes); }

  // Side table.
  uint32_t side_index() const { return uint32_t(side_.size() - side_base_); }
  void emit_branch(const Ctrl& target, int32_t& fixups_of_target, uint32_t height);
  void patch(int32_t& head, uint32_t target_off);
  void patch_one(uint32_t entry, uint32_t target_off, uint32_t target_stp);

  bool check_label(uint32_t depth) {
    if (depth >= ctrls_.size()) return fail("unknown label");
    return true;
  }
  bool branch(uint32_t depth);  // type-checks the label's values, no pop
  bool check_and_keep(const ValType* ts, uint32_t n);
  bool check_memory(uint32_t idx) {
    if (idx >= m_.memories.size()) return fail("unknown memory " + std::to_string(idx));
    return true;
  }
  bool check_table(uint32_t idx) {
    if (idx >= m_.tables.size()) return fail("unknown table " + std::to_string(idx));
    return true;
  }
  bool check_data(uint32_t idx) {
    if (!m_.has_data_count)
      return fail("data count section required", ErrorKind::Malformed);
    if (idx >= m_.data_count) return fail("unknown data segment " + std::to_string(idx));
    return true;
  }
  bool check_elem(uint32_t idx) {
    if (idx >= m_.elems.size()) return fail("unknown elem segment " + std::to_string(idx));
    return true;
  }
  bool mem_access(const Instr& in);
  [[gnu::always_inline]] inline bool instr(Reader& r, Instr& in);

  Module& m_;
  const ModuleCtx& ctx_;
  std::vector<SideEntry>& side_;
  struct Scratch {
    Stack<ValType> vals;
    Stack<Ctrl> ctrls;
    std::vector<ValType> locals, tmp;
  };
  static Scratch& scratch() {
    thread_local Scratch s;
    return s;
  }
  Stack<ValType>& vals_;
  Stack<Ctrl>& ctrls_;
  std::vector<ValType>& locals_;
  std::vector<ValType>& tmp_;
  uint32_t max_height_ = 0;
  bool uses_v128_ = false;
  size_t side_base_ = 0;
  const uint8_t* code_begin_ = nullptr;
  const uint8_t* cur_pc_ = nullptr;
  bool failed_ = false;
  Error err_;
};

bool FuncValidator::block_sig(int64_t bt, Ctrl& c) {
  c.params = c.results = nullptr;
  c.nparams = c.nresults = 0;
  if (bt == -64) return true;
  if (bt < 0) {
    c.results = single(ValType::from_code(bt & 0x7F));
    c.nresults = 1;
    return true;
  }
  if (uint64_t(bt) >= m_.types.size()) return fail("unknown type " + std::to_string(bt));
  const FuncType& ft = m_.types[size_t(bt)];
  c.params = ft.params.data();
  c.nparams = uint32_t(ft.params.size());
  c.results = ft.results.data();
  c.nresults = uint32_t(ft.results.size());
  return true;
}

void FuncValidator::push_ctrl(Op kind, Ctrl c) {
  c.kind = kind;
  c.height = uint32_t(vals_.size());
  c.unreachable = false;
  c.fixups = -1;
  c.if_entry = -1;
  ctrls_.push_back(c);
  push_vals(c.params, c.nparams);
}

// Offsets stored in entries are relative to the function's first
// instruction until patched; pc_delta is always relative to the branch's
// opcode byte.
void FuncValidator::emit_branch(const Ctrl& target, int32_t& fixups, uint32_t height) {
  uint32_t keep = target.kind == Op::Loop ? target.nparams : target.nresults;
  int64_t drop = int64_t(height) - keep - target.height;
  SideEntry e;
  e.keep = keep;
  e.drop = drop > 0 ? uint32_t(drop) : 0;  // negative only in dead code
  uint32_t idx = side_index();
  uint32_t op_off = code_off(cur_pc_);
  if (target.kind == Op::Loop) {
    e.pc_delta = int32_t(target.loop_pc - op_off);
    e.stp_delta = int32_t(target.loop_stp) - int32_t(idx);
  } else {
    e.pc_delta = fixups;             // link to the previous pending entry
    e.stp_delta = int32_t(op_off);   // remembered until patched
    fixups = int32_t(idx);
  }
  side_.push_back(e);
}

void FuncValidator::patch_one(uint32_t entry, uint32_t target_off, uint32_t target_stp) {
  SideEntry& e = side_[side_base_ + entry];
  uint32_t op_off = uint32_t(e.stp_delta);
  e.pc_delta = int32_t(target_off - op_off);
  e.stp_delta = int32_t(target_stp) - int32_t(entry);
}

void FuncValidator::patch(int32_t& head, uint32_t target_off) {
  uint32_t stp = side_index();
  while (head >= 0) {
    int32_t next = side_[side_base_ + head].pc_delta;
    patch_one(uint32_t(head), target_off, stp);
    head = next;
  }
}

bool FuncValidator::branch(uint32_t depth) {
  Ctrl& t = ctrls_[ctrls_.size() - 1 - depth];
  const ValType* ts = t.kind == Op::Loop ? t.params : t.results;
  uint32_t n = t.kind == Op::Loop ? t.nparams : t.nresults;
  // Pop and re-push so a polymorphic stack keeps its known types.
  if (!pop_vals(ts, n)) return false;
  push_vals(ts, n);
  return true;
}

// Checks the top n values against ts and puts back what was popped, so
// each br_table target sees the same (possibly polymorphic) stack.
bool FuncValidator::check_and_keep(const ValType* ts, uint32_t n) {
  tmp_.clear();
  for (uint32_t i = n; i-- > 0;) {
    ValType a{};
    if (!pop(a)) return false;
    if (!is_subtype(a, ts[i], m_)) return mismatch();
    tmp_.push_back(a);
  }
  for (uint32_t i = n; i-- > 0;) push(tmp_[i]);
  return true;
}

bool FuncValidator::mem_access(const Instr& in) {
  if (!check_memory(in.mem.mem)) return false;
  const OpInfo& info = op_info(in.op);
  if ((1u << in.mem.align) > info.size)
    return fail("alignment must not be larger than natural");
  if (info.imm == Imm::MemArgLane && in.lane >= 16 / info.size) return fail("invalid lane index");
  return true;
}

bool FuncValidator::run(uint32_t func_index) {
  Function& f = m_.funcs[func_index];
  const FuncType& ft = m_.types[f.type];
  const uint8_t* body_end = m_.bytes + f.body_offset + f.body_size;
  Reader r(m_.bytes, m_.bytes + f.body_offset, body_end);
  r.set_limit(m_.bytes + m_.size);
  r.set_end_message(body_end == m_.bytes + m_.size ? "unexpected end of section or function"
                                                   : "END opcode expected");
  cur_pc_ = r.pos();

  // Locals.
  locals_.assign(ft.params.begin(), ft.params.end());
  uint32_t runs{};
  if (!r.u32(runs)) return err_ = r.error(), false;
  uint64_t total = ft.params.size();
  for (uint32_t i = 0; i < runs; ++i) {
    uint32_t count{};
    ValType t{};
    if (!r.u32(count)) return err_ = r.error(), false;
    total += count;
    if (total > kMaxLocals) {
      cur_pc_ = r.pos();
      return fail("too many locals", ErrorKind::Malformed);
    }
    if (!r.val_type(t)) return err_ = r.error(), false;
    locals_.insert(locals_.end(), count, t);
  }
  f.num_locals = uint32_t(locals_.size() - ft.params.size());
  f.code_offset = uint32_t(r.pos() - m_.bytes);
  code_begin_ = r.pos();
  side_base_ = side_.size();
  f.side_table = uint32_t(side_base_);
  vals_.clear();
  ctrls_.clear();
  max_height_ = 0;
  uses_v128_ = false;

  Ctrl fn{};
  fn.results = ft.results.data();
  fn.nresults = uint32_t(ft.results.size());
  push_ctrl(Op::Block, fn);

  Instr in;
  while (!ctrls_.empty()) {
    cur_pc_ = r.pos();
    bool ok;
    // read_opcode is inline in its header, but clang kept it out of line
    // here (8% of validating ruby.wasm, with in.op then reloaded from
    // memory).
#if defined(__clang__)
    [[clang::always_inline]] ok = read_opcode(r, in);
#else
    ok = read_opcode(r, in);
#endif
    if (ok) {
      switch (op_info(in.op).imm) {
        case Imm::None:  // most instructions: no call
          break;
        // The frequent immediates that are one u32 or s32 LEB, read through
        // the Reader's inline one-byte path exactly as read_immediates reads
        // them; every other kind out of line there.
        case Imm::Label:
        case Imm::Local:
        case Imm::Global:
        case Imm::Func:
          ok = r.u32(in.idx);
          break;
        case Imm::I32:
          ok = r.sleb<32>(in.i32);
          break;
        default:
          ok = read_immediates(r, in);
      }
    }
    if (!ok) {
      err_ = r.error();
      // Cut off by the body's declared end: the reference decoder reads on.
      if (r.pos() == body_end) {
        std::vector<bool> open;
        for (const Ctrl& c : ctrls_) open.push_back(c.kind == Op::If);
        if (auto e = overrun_error(m_, body_end, std::move(open))) err_ = *e;
      }
      return false;
    }
    if (!instr(r, in)) return false;
  }
  if (r.pos() != body_end) {
    cur_pc_ = r.pos();
    return fail("section size mismatch", ErrorKind::Malformed);
  }
  f.max_height = max_height_;
  for (ValType t : locals_) uses_v128_ |= t == ValType::V128;
  for (ValType t : ft.results) uses_v128_ |= t == ValType::V128;
  f.uses_v128 = uses_v128_;
  return true;
}

// Type-checks one instruction and emits its side-table entries.
bool FuncValidator::instr(Reader& r, Instr& in) {
  const OpInfo& info = op_info(in.op);
  if (info.params[0] != OT::SP) {
    // Plain numeric/vector instruction: the table gives the signature.
    if (info.imm == Imm::MemArg || info.imm == Imm::MemArgLane) {
      if (!mem_access(in)) return false;
    } else if (info.imm == Imm::Lane) {
      if (in.lane >= info.size) return fail("invalid lane index");
    } else if (info.imm == Imm::Shuffle) {
      for (int i = 0; i < 16; ++i)
        if (in.vec[i] >= 32) return fail("invalid lane index");
    }
    const PlainSig& sig = kPlainSigs[unsigned(in.op)];
    // Fast path: the operands are there and typed as expected.
    size_t n = vals_.size();
    if (n >= ctrls_.back().height + size_t(sig.nparams)) {
      bool ok = true;
      for (unsigned i = 0; i < sig.nparams; ++i) {
        ValType a = vals_[n - sig.nparams + i];
        ok &= int(a == sig.params[i]) | int(a == ValType::Unknown);  // no branch
      }
      if (ok) {
        vals_.truncate(n - sig.nparams);
        if (sig.has_result) push(sig.result);
        return true;
      }
    }
    for (int i = int(sig.nparams) - 1; i >= 0; --i)
      if (!pop_expect(sig.params[i])) return false;
    if (sig.has_result) push(sig.result);
    return true;
  }

  switch (in.op) {
    case Op::Unreachable:
      set_unreachable();
      return true;
    case Op::Nop:
      return true;
    case Op::Block:
    case Op::Loop: {
      Ctrl c{};
      if (!block_sig(in.block_type, c)) return false;
      if (!pop_vals(c.params, c.nparams)) return false;
      c.loop_pc = code_off(r.pos());
      c.loop_stp = side_index();
      push_ctrl(in.op, c);
      return true;
    }
    case Op::If: {
      Ctrl c{};
      if (!block_sig(in.block_type, c)) return false;
      if (!pop_expect(ValType::I32) || !pop_vals(c.params, c.nparams)) return false;
      push_ctrl(Op::If, c);
      // The if's own entry: where to go when the condition is zero.
      SideEntry e{-1, int32_t(code_off(cur_pc_)), 0, 0};
      ctrls_.back().if_entry = int32_t(side_index());
      side_.push_back(e);
      return true;
    }
    case Op::Else: {
      Ctrl& c = ctrls_.back();
      // Only an if's then-arm may end in `else`; elsewhere the reference
      // decoder wants the block's `end` there.
      if (c.kind != Op::If) return fail("END opcode expected", ErrorKind::Malformed);
      if (!pop_vals(c.results, c.nresults)) return false;
      if (vals_.size() != c.height) return mismatch();
      // The then-arm's exit jumps to the end, like a branch to this block.
      int32_t fix = c.fixups;
      emit_branch(c, fix, uint32_t(vals_.size()));
      c.fixups = fix;
      patch_one(uint32_t(c.if_entry), code_off(r.pos()), side_index());
      c.if_entry = -1;
      c.kind = Op::Else;
      c.unreachable = false;
      push_vals(c.params, c.nparams);
      return true;
    }
    case Op::End: {
      Ctrl& c = ctrls_.back();
      if (!pop_vals(c.results, c.nresults)) return false;
      if (vals_.size() != c.height) return mismatch();
      if (c.kind == Op::If) {
        // No else: the implicit else passes the params through unchanged.
        if (c.nparams != c.nresults || !std::equal(c.params, c.params + c.nparams, c.results))
          return mismatch();
        patch_one(uint32_t(c.if_entry), code_off(r.pos()), side_index());
      }
      // Branches to the function's own label land on its final `end`,
      // which the interpreter executes as a return.
      uint32_t target = ctrls_.size() == 1 ? code_off(cur_pc_) : code_off(r.pos());
      if (c.kind != Op::Loop) patch(c.fixups, target);
      const ValType* res = c.results;
      uint32_t nres = c.nresults;
      ctrls_.pop_back();
      push_vals(res, nres);
      return true;
    }
    case Op::Br: {
      if (!check_label(in.idx)) return false;
      Ctrl& t = ctrls_[ctrls_.size() - 1 - in.idx];
      emit_branch(t, t.fixups, uint32_t(vals_.size()));
      if (!branch(in.idx)) return false;
      set_unreachable();
      return true;
    }
    case Op::BrIf: {
      if (!check_label(in.idx)) return false;
      if (!pop_expect(ValType::I32)) return false;
      Ctrl& t = ctrls_[ctrls_.size() - 1 - in.idx];
      emit_branch(t, t.fixups, uint32_t(vals_.size()));
      return branch(in.idx);
    }
    case Op::BrTable: {
      if (!pop_expect(ValType::I32)) return false;
      if (!check_label(in.idx)) return false;
      uint32_t height = uint32_t(vals_.size());
      const Ctrl& dflt = ctrls_[ctrls_.size() - 1 - in.idx];
      uint32_t arity = dflt.kind == Op::Loop ? dflt.nparams : dflt.nresults;
      Reader tr(m_.bytes, in.vec, r.pos());
      for (uint32_t i = 0; i <= in.count; ++i) {
        uint32_t depth{};
        if (i < in.count) {
          if (!tr.u32(depth)) return err_ = tr.error(), false;
        } else {
          depth = in.idx;
        }
        if (!check_label(depth)) return false;
        Ctrl& t = ctrls_[ctrls_.size() - 1 - depth];
        uint32_t n = t.kind == Op::Loop ? t.nparams : t.nresults;
        if (n != arity) return mismatch();
        emit_branch(t, t.fixups, height);
        if (!check_and_keep(t.kind == Op::Loop ? t.params : t.results, n)) return false;
      }
      // Pop the default label's types (arity checked above), then unreachable.
      if (!pop_vals(dflt.kind == Op::Loop ? dflt.params : dflt.results, arity)) return false;
      set_unreachable();
      return true;
    }
    case Op::Return: {
      const Ctrl& fn = ctrls_.front();
      if (!pop_vals(fn.results, fn.nresults)) return false;
      set_unreachable();
      return true;
    }
    case Op::Call: {
      if (in.idx >= m_.funcs.size()) return fail("unknown function " + std::to_string(in.idx));
      const FuncType& ft = m_.func_type(in.idx);
      if (!pop_vals(ft.params.data(), uint32_t(ft.params.size()))) return false;
      push_vals(ft.results.data(), uint32_t(ft.results.size()));
      return true;
    }
    case Op::CallIndirect: {
      if (!check_table(in.idx2)) return false;
      if (in.idx >= m_.types.size()) return fail("unknown type " + std::to_string(in.idx));
      if (m_.tables[in.idx2].type.elem != ValType::FuncRef) return mismatch();
      const FuncType& ft = m_.types[in.idx];
      if (!pop_expect(ValType::I32)) return false;
      if (!pop_vals(ft.params.data(), uint32_t(ft.params.size()))) return false;
      push_vals(ft.results.data(), uint32_t(ft.results.size()));
      return true;
    }
    case Op::Drop: {
      ValType t{};
      return pop(t);
    }
    case Op::Select: {
      if (!pop_expect(ValType::I32)) return false;
      ValType a{}, b{};
      if (!pop(a) || !pop(b)) return false;
      if ((a != ValType::Unknown && is_ref(a)) || (b != ValType::Unknown && is_ref(b)))
        return mismatch();
      if (a != b && a != ValType::Unknown && b != ValType::Unknown) return mismatch();
      push(a == ValType::Unknown ? b : a);
      return true;
    }
    case Op::SelectT: {
      if (in.count != 1) return fail("invalid result arity");
      ValType t = ValType::from_code(in.vec[0]);
      if (!pop_expect(ValType::I32) || !pop_expect(t) || !pop_expect(t)) return false;
      push(t);
      return true;
    }
    case Op::LocalGet:
      if (in.idx >= locals_.size()) return fail("unknown local " + std::to_string(in.idx));
      push(locals_[in.idx]);
      return true;
    case Op::LocalSet:
      if (in.idx >= locals_.size()) return fail("unknown local " + std::to_string(in.idx));
      return pop_expect(locals_[in.idx]);
    case Op::LocalTee:
      if (in.idx >= locals_.size()) return fail("unknown local " + std::to_string(in.idx));
      if (!pop_expect(locals_[in.idx])) return false;
      push(locals_[in.idx]);
      return true;
    case Op::GlobalGet:
      if (in.idx >= m_.globals.size()) return fail("unknown global " + std::to_string(in.idx));
      push(m_.globals[in.idx].type.type);
      return true;
    case Op::GlobalSet:
      if (in.idx >= m_.globals.size()) return fail("unknown global " + std::to_string(in.idx));
      if (!m_.globals[in.idx].type.mut) return fail("global is immutable");
      return pop_expect(m_.globals[in.idx].type.type);
    case Op::TableGet:
      if (!check_table(in.idx) || !pop_expect(ValType::I32)) return false;
      push(m_.tables[in.idx].type.elem);
      return true;
    case Op::TableSet:
      if (!check_table(in.idx)) return false;
      return pop_expect(m_.tables[in.idx].type.elem) && pop_expect(ValType::I32);
    case Op::MemorySize:
      if (!check_memory(in.idx)) return false;
      push(ValType::I32);
      return true;
    case Op::MemoryGrow:
      if (!check_memory(in.idx) || !pop_expect(ValType::I32)) return false;
      push(ValType::I32);
      return true;
    case Op::RefNull:
      push(in.heap);
      return true;
    case Op::RefIsNull: {
      ValType t{};
      if (!pop_ref(t)) return false;
      push(ValType::I32);
      return true;
    }
    case Op::RefFunc:
      if (in.idx >= m_.funcs.size()) return fail("unknown function " + std::to_string(in.idx));
      if (!ctx_.declared_refs[in.idx]) return fail("undeclared function reference");
      push(ValType::FuncRef);
      return true;
    case Op::MemoryInit:
      if (!check_memory(in.idx2) || !check_data(in.idx)) return false;
      return pop_expect(ValType::I32) && pop_expect(ValType::I32) && pop_expect(ValType::I32);
    case Op::DataDrop:
      return check_data(in.idx);
    case Op::MemoryCopy:
      if (!check_memory(in.idx) || !check_memory(in.idx2)) return false;
      return pop_expect(ValType::I32) && pop_expect(ValType::I32) && pop_expect(ValType::I32);
    case Op::MemoryFill:
      if (!check_memory(in.idx)) return false;
      return pop_expect(ValType::I32) && pop_expect(ValType::I32) && pop_expect(ValType::I32);
    case Op::TableInit:
      if (!check_table(in.idx2) || !check_elem(in.idx)) return false;
      if (m_.elems[in.idx].type != m_.tables[in.idx2].type.elem) return mismatch();
      return pop_expect(ValType::I32) && pop_expect(ValType::I32) && pop_expect(ValType::I32);
    case Op::ElemDrop:
      return check_elem(in.idx);
    case Op::TableCopy:
      if (!check_table(in.idx) || !check_table(in.idx2)) return false;
      if (m_.tables[in.idx].type.elem != m_.tables[in.idx2].type.elem) return mismatch();
      return pop_expect(ValType::I32) && pop_expect(ValType::I32) && pop_expect(ValType::I32);
    case Op::TableGrow:
      if (!check_table(in.idx)) return false;
      if (!pop_expect(ValType::I32) || !pop_expect(m_.tables[in.idx].type.elem)) return false;
      push(ValType::I32);
      return true;
    case Op::TableSize:
      if (!check_table(in.idx)) return false;
      push(ValType::I32);
      return true;
    case Op::TableFill:
      if (!check_table(in.idx)) return false;
      return pop_expect(ValType::I32) && pop_expect(m_.tables[in.idx].type.elem) &&
             pop_expect(ValType::I32);
    default:
      return fail("illegal opcode", ErrorKind::Malformed);
  }
}

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
  Status const_expr(const ConstExpr& e, ValType want, uint32_t visible_globals);
  void note_refs(const ConstExpr& e);
  Status bodies();
  Status bodies_parallel(unsigned threads, size_t code_bytes);

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
  FuncValidator fv(m_, ctx_, m_.side_table);
  for (uint32_t i = first; i < n; ++i) {
    if (!fv.run(i)) {
      Error e = fv.error();
      e.func = i;
      return e;
    }
  }
  return ok_status();
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
        FuncValidator fv(m_, ctx_, side);
        for (uint32_t i = ch.begin; i < ch.end; ++i) {
          if (!fv.run(i)) {
            ch.failed = true;
            ch.error = fv.error();
            ch.error.func = i;
            size_t cur = first_failed.load(std::memory_order_relaxed);
            while (c < cur && !first_failed.compare_exchange_weak(cur, c)) {}
            return;
          }
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
Status ModuleValidator::const_expr(const ConstExpr& e, ValType want, uint32_t visible_globals) {
  Reader r(m_.bytes, m_.bytes + e.offset, m_.bytes + e.offset + e.size);
  std::vector<ValType> stack;
  Instr in;
  for (;;) {
    size_t at = r.offset();
    if (!read_instr(r, in)) return r.error();
    switch (in.op) {
      case Op::I32Const: stack.push_back(ValType::I32); break;
      case Op::I64Const: stack.push_back(ValType::I64); break;
      case Op::F32Const: stack.push_back(ValType::F32); break;
      case Op::F64Const: stack.push_back(ValType::F64); break;
      case Op::V128Const: stack.push_back(ValType::V128); break;
      case Op::RefNull: stack.push_back(in.heap); break;
      case Op::RefFunc:
        if (in.idx >= m_.funcs.size())
          return fail("unknown function " + std::to_string(in.idx), at);
        stack.push_back(ValType::FuncRef);
        break;
      case Op::GlobalGet:
        if (in.idx >= visible_globals) return fail("unknown global " + std::to_string(in.idx), at);
        if (m_.globals[in.idx].type.mut) return fail("constant expression required", at);
        stack.push_back(m_.globals[in.idx].type.type);
        break;
      case Op::End:
        if (stack.size() != 1 || stack[0] != want) return fail("type mismatch", at);
        return ok_status();
      default:
        return fail("constant expression required", at);
    }
  }
}

void ModuleValidator::note_refs(const ConstExpr& e) {
  Reader r(m_.bytes, m_.bytes + e.offset, m_.bytes + e.offset + e.size);
  Instr in;
  while (read_instr(r, in) && in.op != Op::End)
    if (in.op == Op::RefFunc && in.idx < ctx_.declared_refs.size()) ctx_.declared_refs[in.idx] = true;
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

  // C.refs: functions referenced outside function bodies.
  ctx_.declared_refs.assign(m_.funcs.size(), false);
  for (const Global& g : m_.globals)
    if (!g.imported) note_refs(g.init);
  for (const ElemSegment& seg : m_.elems) {
    if (seg.uses_exprs) {
      for (const ConstExpr& e : seg.exprs) note_refs(e);
    } else {
      for (uint32_t f : seg.funcs)
        if (f < ctx_.declared_refs.size()) ctx_.declared_refs[f] = true;
    }
  }
  for (const Export& e : m_.exports)
    if (e.kind == ExternKind::Func && e.index < ctx_.declared_refs.size()) ctx_.declared_refs[e.index] = true;

  // Constant expressions see only imported globals (2.0; 3.0 relaxes this).
  for (const Global& g : m_.globals) {
    if (g.imported) continue;
    Status s = const_expr(g.init, g.type.type, m_.num_imported_globals);
    if (!s.ok()) return s;
  }
  // Element segments.
  for (const ElemSegment& seg : m_.elems) {
    if (seg.mode == SegmentMode::Active) {
      if (seg.table >= m_.tables.size()) return fail("unknown table " + std::to_string(seg.table));
      if (m_.tables[seg.table].type.elem != seg.type) return fail("type mismatch");
      Status s = const_expr(seg.offset, ValType::I32, m_.num_imported_globals);
      if (!s.ok()) return s;
    }
    if (seg.uses_exprs) {
      for (const ConstExpr& e : seg.exprs) {
        Status s = const_expr(e, seg.type, m_.num_imported_globals);
        if (!s.ok()) return s;
      }
    } else {
      for (uint32_t f : seg.funcs)
        if (f >= m_.funcs.size()) return fail("unknown function " + std::to_string(f));
    }
  }
  // Data segments.
  for (const DataSegment& seg : m_.datas) {
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
  return s;
}

}  // namespace wisp
