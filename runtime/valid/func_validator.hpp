// The function-body validator: operand and control stacks, every rule of
// an instruction, and the side table the interpreter runs on. Internal to
// runtime/valid/: validator.cpp drives it over a module's bodies, on one
// thread or several (VALIDATION.md).
#pragma once
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "runtime/valid/body_syntax.hpp"
#include "runtime/valid/decoder.hpp"
#include "runtime/wasm/instr_reader.hpp"
#include "runtime/wasm/module.hpp"
#include "runtime/wasm/reader.hpp"
#include "runtime/wasm/result.hpp"
#include "runtime/wasm/subtyping.hpp"

namespace wisp::detail {


constexpr uint64_t kMaxLocals = kMaxFunctionLocals;

inline const ValType* single(ValType t) {
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
  // A code generator's own (hook sets with kEvents): its labels for the
  // block, and whether the whole block is dead code (opened where the
  // enclosing code was unreachable).
  uint32_t label{}, label2{};
  bool dead{};
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
inline std::vector<bool>& refs_scratch() {
  thread_local std::vector<bool> v;
  return v;
}

// Validation only: nothing to record.
struct NoSideTable {
  static constexpr bool kRules = true;
  // Hook sets with kEvents (a code generator) also get every instruction:
  //   op(walker, in, live, end)  after its rules, for all but else and end
  //                              (end: where the next instruction starts)
  //   close(walker, in, ctrl)    at else and end, before the rules
  // live says whether the instruction was reachable.
  static constexpr bool kEvents = false;
  void begin(Function& f) { f.side_table = 0; }
  uint32_t index() const { return 0; }
  void branch(const Ctrl&, int32_t&, uint32_t, uint32_t) {}
  int32_t open_if(uint32_t) { return -1; }
  void patch_one(int32_t, uint32_t, uint32_t) {}
  void patch(int32_t&, uint32_t) {}
};

// The in-place interpreter's side table (side_table.hpp). Entries go to
// `side`: the module's table, or one thread's when the bodies are validated
// in parallel; Function::side_table is an index into it, rebased by the
// caller when the tables are joined. Offsets stored in entries are relative
// to the function's first instruction until patched; pc_delta is always
// relative to the branch's opcode byte.
class SideTableHooks {
 public:
  static constexpr bool kRules = true;
  static constexpr bool kEvents = false;
  explicit SideTableHooks(std::vector<SideEntry>& side) : side_(&side) {}
  void begin(Function& f) {
    base_ = side_->size();
    f.side_table = uint32_t(base_);
  }
  // Index of the next entry within the function.
  uint32_t index() const { return uint32_t(side_->size() - base_); }
  void branch(const Ctrl& target, int32_t& fixups, uint32_t height, uint32_t op_off) {
    uint32_t keep = target.kind == Op::Loop ? target.nparams : target.nresults;
    int64_t drop = int64_t(height) - keep - target.height;
    SideEntry e;
    e.keep = keep;
    e.drop = drop > 0 ? uint32_t(drop) : 0;  // negative only in dead code
    uint32_t idx = index();
    if (target.kind == Op::Loop) {
      e.pc_delta = int32_t(target.loop_pc - op_off);
      e.stp_delta = int32_t(target.loop_stp) - int32_t(idx);
    } else {
      e.pc_delta = fixups;             // link to the previous pending entry
      e.stp_delta = int32_t(op_off);   // remembered until patched
      fixups = int32_t(idx);
    }
    side_->push_back(e);
  }
  // An if's own entry: where to go when the condition is zero.
  int32_t open_if(uint32_t op_off) {
    int32_t idx = int32_t(index());
    side_->push_back(SideEntry{-1, int32_t(op_off), 0, 0});
    return idx;
  }
  void patch_one(int32_t entry, uint32_t target_off, uint32_t target_stp) {
    SideEntry& e = (*side_)[base_ + uint32_t(entry)];
    uint32_t op_off = uint32_t(e.stp_delta);
    e.pc_delta = int32_t(target_off - op_off);
    e.stp_delta = int32_t(target_stp) - entry;
  }
  // Every pending forward branch to a block whose end is at target_off.
  void patch(int32_t& head, uint32_t target_off) {
    uint32_t stp = index();
    while (head >= 0) {
      int32_t next = (*side_)[base_ + uint32_t(head)].pc_delta;
      patch_one(head, target_off, stp);
      head = next;
    }
  }

 private:
  std::vector<SideEntry>* side_;
  size_t base_ = 0;
};

// Syntax only: the instructions, their immediates and the block nesting
// as the binary format has them, no types (and no module-level indices)
// checked. What the decoder delimits constant expressions with, what finds
// a malformed body in a module that is also invalid, and what the printer
// walks bodies with (`sink`, body_syntax.hpp). The rule hooks are never
// called.
struct SyntaxOnly : NoSideTable {
  static constexpr bool kRules = false;
  InstrSink* sink = nullptr;
};

// The one function-body walker, in the style of V8's
// WasmFullDecoder<ValidationTag, Interface>: it owns the control stack, the
// operand-type stack and every validation rule, once; a hook set (Hooks)
// receives what a consumer acts on (a function begins, an if opens, a
// branch, else, end) and makes of it what it needs. Hook sets now:
// NoSideTable (validation only), SideTableHooks (validation and the
// interpreter's side table) and SyntaxOnly (no rules: Hooks::kRules is
// false); the baseline JIT's code generator is the next. The syntactic
// checks (encoding, `else` placement, the data count section, reading on
// past a body's declared end as the reference decoder does) are made in
// every mode, once. Definitions in func_validator.cpp, instantiated there
// for each hook set.
template <class Hooks>
class BodyWalker {
 public:
  static constexpr bool kRules = Hooks::kRules;
  // The stacks are per-thread scratch, reused across functions and
  // modules: validating many small modules must not allocate per module.
  // With rules: validates and records into m (the function's locals,
  // height, v128 use; a constant expression's value).
  BodyWalker(Module& m, const ModuleCtx& ctx, Hooks hooks)
      : m_(m), out_(&m), ctx_(&ctx), hooks_(hooks), vals_(scratch().vals),
        ctrls_(scratch().ctrls), locals_(scratch().locals), tmp_(scratch().tmp) {}
  // With rules, reading m and writing nothing: for a code generator
  // walking a module validated before.
  struct ReadOnly {};
  BodyWalker(const Module& m, const ModuleCtx& ctx, Hooks hooks, ReadOnly)
      : m_(m), ctx_(&ctx), hooks_(hooks), vals_(scratch().vals), ctrls_(scratch().ctrls),
        locals_(scratch().locals), tmp_(scratch().tmp) {}
  // Syntax only: reads m, writes nothing.
  BodyWalker(const Module& m, Hooks hooks)
      : m_(m), hooks_(hooks), vals_(scratch().vals), ctrls_(scratch().ctrls),
        locals_(scratch().locals), tmp_(scratch().tmp) {}

  // Walks body func_index. Returns false with error() set (or, syntax
  // only, when the sink stopped the walk).
  bool run(uint32_t func_index);
  // Validates a constant expression (a global's initialiser, a segment's
  // offset or element) of type want, through the same stacks and end rule
  // as a body; only constant instructions, and global.get of the first
  // visible_globals globals (the imported ones) when immutable. Records
  // its value in e, for instantiation, and the functions it references as
  // declared (C.refs).
  bool run_const(ConstExpr& e, ValType want, uint32_t visible_globals);
  // Syntax only: reads a constant expression from r up to its matching
  // `end` (the binary format gives it no length). On failure r.error() is
  // set, as for any read.
  bool expr_syntax(Reader& r);
  Error& error() { return err_; }

  // For hook sets with events: the walker's state as the hooks see it.
  Ctrl& ctrl(uint32_t depth) { return ctrls_[ctrls_.size() - 1 - depth]; }
  uint32_t ctrl_depth() const { return uint32_t(ctrls_.size()); }
  const std::vector<ValType>& locals() const { return locals_; }
  const Module& module() const { return m_; }
  const uint8_t* instr_pc() const { return cur_pc_; }

 private:
  bool fail(const std::string& msg, ErrorKind kind = ErrorKind::Invalid) {
    if (!failed_) {
      failed_ = true;
      err_ = make_error(kind, msg, size_t(cur_pc_ - m_.bytes));
    }
    return false;
  }
  bool mismatch() { return fail("type mismatch"); }
  // Values left over at a block's end.
  [[gnu::cold, gnu::noinline]] bool extra_values(const Ctrl& c) {
    const size_t n = vals_.size() - c.height;
    return fail("type mismatch: " + std::to_string(n) + (n == 1 ? " value" : " values") +
                " left at the end of the block, beyond its results");
  }
  // "type mismatch: expected i32, found f64" (found nothing: an empty stack).
  [[gnu::cold, gnu::noinline]] bool mismatch(ValType want, const char* found_what, ValType found) {
    return fail("type mismatch: expected " + (want == ValType::Unknown ? std::string("a value") : to_string(want)) +
                ", found " + (found_what ? std::string(found_what) : to_string(found)));
  }

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
      return mismatch(ValType::Unknown, "nothing", {});
    }
    out = vals_.back();
    vals_.pop_back();
    return true;
  }
  bool pop_expect(ValType t) {
    Ctrl& c = ctrls_.back();
    if (vals_.size() == c.height) {
      if (c.unreachable) return true;
      return mismatch(t, "nothing", {});
    }
    const ValType a = vals_.back();
    vals_.pop_back();
    if (t != ValType::Unknown && !is_subtype(a, t, m_)) return mismatch(t, nullptr, a);
    return true;
  }
  bool pop_ref(ValType& out) {
    if (!pop(out)) return false;
    if (out != ValType::Unknown && !is_ref(out)) return fail("type mismatch: expected a reference, found " + to_string(out));
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

  // A branch to `target` from the current instruction, `height` values on
  // the stack: what the hooks record of it.
  void emit_branch(Ctrl& target, int32_t& fixups, uint32_t height) {
    hooks_.branch(target, fixups, height, code_off(cur_pc_));
  }

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
  // The syntactic rules, each once: only an if's then-arm may end in
  // `else` (elsewhere the reference decoder wants the block's `end`), and
  // memory.init and data.drop need a data count section.
  bool else_allowed() {
    if (ctrls_.back().kind != Op::If) return fail("END opcode expected", ErrorKind::Malformed);
    return true;
  }
  bool data_count_present() {
    if (!m_.has_data_count) return fail("data count section required", ErrorKind::Malformed);
    return true;
  }
  // Block nesting alone (syntax only, and reading on past a declared end).
  bool nest(const Instr& in);
  // One instruction, syntax only: the sink, then the syntactic rules.
  bool syntax(const Instr& in, bool in_body);
  // The reference decoder does not stop an expression or body at its
  // declared end: one without its final `end` is read on into whatever
  // follows. So that messages match, this reads on the same way from
  // `from` with the open blocks still open: the first encoding error there
  // replaces error(), and closing every block means the section's size was
  // wrong. Nothing changes if the input ends first. Only ever called for
  // input already rejected: it changes which message, never whether.
  void read_on(const uint8_t* from);
  bool check_data(uint32_t idx) {
    if (!data_count_present()) return false;
    if (idx >= m_.data_count) return fail("unknown data segment " + std::to_string(idx));
    return true;
  }
  bool check_elem(uint32_t idx) {
    if (idx >= m_.elems.size()) return fail("unknown elem segment " + std::to_string(idx));
    return true;
  }
  bool mem_access(const Instr& in);
  [[gnu::always_inline]] inline bool instr(Reader& r, Instr& in);

  const Module& m_;
  Module* out_ = nullptr;          // null when syntax only
  const ModuleCtx* ctx_ = nullptr;  // null when syntax only
  Hooks hooks_;
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
  const uint8_t* code_begin_ = nullptr;
  const uint8_t* cur_pc_ = nullptr;
  bool failed_ = false;
  Error err_;
};

// The validator the interpreter needs.
using FuncValidator = BodyWalker<SideTableHooks>;

}  // namespace wisp::detail
