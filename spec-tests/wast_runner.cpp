#include "spec-tests/wast_runner.hpp"

#include <cmath>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "runtime/valid/decoder.hpp"
#include "runtime/text/wast.hpp"
#include "runtime/text/wat.hpp"
#include "runtime/valid/validator.hpp"
#include "runtime/api/wisp.hpp"

namespace wisp::spec {

Stats& Stats::operator+=(const Stats& o) {
  passed += o.passed;
  failed += o.failed;
  skipped += o.skipped;
  expected_failed += o.expected_failed;
  unexpected_passed += o.unexpected_passed;
  message_mismatch += o.message_mismatch;
  return *this;
}

std::set<std::string> read_expected_failures(const std::string& path) {
  std::set<std::string> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    auto hash = line.find('#');
    if (hash != std::string::npos) line.resize(hash);
    while (!line.empty() && isspace(uint8_t(line.back()))) line.pop_back();
    size_t start = 0;
    while (start < line.size() && isspace(uint8_t(line[start]))) ++start;
    if (start < line.size()) out.insert(line.substr(start));
  }
  return out;
}

namespace {

// `ref.extern N` in scripts is a non-null host reference; encode it as N+1
// so that N = 0 stays distinct from null.
Ref extern_ref(uint32_t n) { return reinterpret_cast<Ref>(uintptr_t(n) + 1); }

TrapKind spectest_print(HostContext&, Slot*) { return TrapKind::None; }

class Runner {
 public:
  Runner(const std::string& path, const Options& opts, std::ostream& out)
      : path_(path), file_(path.substr(path.find_last_of('/') + 1)), opts_(opts), out_(out),
        store_(config(opts)) {
    define_spectest();
  }

  static StoreConfig config(const Options& opts) {
    StoreConfig c;
    c.tier = opts.store_tier;
    c.tier_sample = opts.tier_sample;
    return c;
  }

  Stats run(std::string_view text) {
    auto script = text::parse_wast(text);
    if (!script.ok()) {
      fail(script.error().line, "script does not parse: " + script.error().message);
      return stats_;
    }
    for (const text::Command& c : script->commands) command(c);
    return stats_;
  }

 private:
  // ---- bookkeeping -------------------------------------------------------------
  bool expected(size_t line) const {
    return opts_.expected_failures.count(file_ + ":" + std::to_string(line)) != 0;
  }
  void pass(size_t line) {
    if (expected(line)) {
      ++stats_.unexpected_passed;
      out_ << "  " << file_ << ":" << line << ": passed but listed as expected failure\n";
    }
    ++stats_.passed;
  }
  void fail(size_t line, const std::string& why) {
    if (expected(line)) {
      ++stats_.expected_failed;
      if (opts_.verbose) out_ << "  " << file_ << ":" << line << ": expected failure: " << why << "\n";
      return;
    }
    ++stats_.failed;
    out_ << "  " << file_ << ":" << line << ": FAIL: " << why << "\n";
  }
  void skip(size_t line, const std::string& why) {
    ++stats_.skipped;
    if (opts_.verbose) out_ << "  " << file_ << ":" << line << ": skipped: " << why << "\n";
  }
  // Rejected as it should be; the text may differ from the reference's.
  void pass_rejection(size_t line, const std::string& want, const std::string& got) {
    if (got.compare(0, want.size(), want) != 0) {
      ++stats_.message_mismatch;
      if (opts_.verbose)
        out_ << "  " << file_ << ":" << line << ": message mismatch: expected \"" << want
             << "\", got \"" << got << "\"\n";
    }
    pass(line);
  }

  // ---- spectest host module ----------------------------------------------------
  void define_spectest() {
    auto fn = [&](const char* name, std::vector<ValType> params) {
      FuncType t{std::move(params), {}};
      linker_.define("spectest", name,
                     Extern{ExternKind::Func, store_.host_func(t, spectest_print, nullptr,
                                                                std::string("spectest.") + name)});
    };
    fn("print", {});
    fn("print_i32", {ValType::I32});
    fn("print_i64", {ValType::I64});
    fn("print_f32", {ValType::F32});
    fn("print_f64", {ValType::F64});
    fn("print_i32_f32", {ValType::I32, ValType::F32});
    fn("print_f64_f64", {ValType::F64, ValType::F64});
    auto global = [&](const char* name, Value v) {
      linker_.define("spectest", name,
                     Extern{ExternKind::Global, store_.global(GlobalType{v.type, false}, v)});
    };
    global("global_i32", Value::i32(666));
    global("global_i64", Value::i64(666));
    global("global_f32", Value::f32(666.6f));
    global("global_f64", Value::f64(666.6));
    TableType tt;
    tt.elem = ValType::FuncRef;
    tt.limits.min = 10;
    tt.limits.max = 20;
    tt.limits.has_max = true;
    linker_.define("spectest", "table", Extern{ExternKind::Table, store_.table(tt).value()});
    MemoryType mt;
    mt.limits.min = 1;
    mt.limits.max = 2;
    mt.limits.has_max = true;
    auto mem = store_.memory(mt);
    if (mem.ok()) linker_.define("spectest", "memory", Extern{ExternKind::Memory, mem.value()});
  }

  // ---- modules -------------------------------------------------------------------
  struct Loaded {
    std::shared_ptr<Module> module;
    Error error;
    bool ok = false;
  };

  // Text/binary/quote -> decoded + validated module, keeping the error.
  Loaded load(const text::ScriptModule& sm) {
    Loaded l;
    if (sm.failed) {
      l.error = sm.error;
      return l;
    }
    auto bytes = text::module_binary(sm);
    if (!bytes.ok()) {
      l.error = bytes.error();
      return l;
    }
    auto m = load_module(std::move(bytes.value()));
    if (!m.ok()) {
      l.error = m.error();
      return l;
    }
    l.module = m.value();
    l.ok = true;
    return l;
  }

  Instance* find_instance(const std::string& name) {
    if (name.empty()) return current_;
    auto it = named_.find(name);
    return it == named_.end() ? nullptr : it->second;
  }

  void module_cmd(const text::Command& c) {
    Loaded l = load(c.module);
    if (!l.ok) {
      current_ = nullptr;
      fail(c.line, "module rejected: " + format_error(l.error));
      return;
    }
    auto inst = linker_.instantiate(store_, l.module);
    if (!inst.ok()) {
      current_ = nullptr;
      fail(c.line, "instantiation failed: " + inst.error().message);
      return;
    }
    current_ = inst.value();
    if (!c.module.name.empty()) named_[c.module.name] = current_;
    pass(c.line);
  }

  // ---- values --------------------------------------------------------------------
  static Value to_value(const text::Value& v) {
    switch (v.type) {
      case text::Value::I32: return Value::i32(uint32_t(v.bits));
      case text::Value::I64: return Value::i64(v.bits);
      case text::Value::F32: return Value::f32_bits(uint32_t(v.bits));
      case text::Value::F64: return Value::f64_bits(v.bits);
      case text::Value::V128: {
        return Value::v128(v.v128.data());
      }
      case text::Value::FuncRef: return Value::ref(ValType::FuncRef, nullptr);
      case text::Value::ExternRef:
        return Value::ref(ValType::ExternRef, v.is_null ? nullptr : extern_ref(v.ref));
    }
    return Value::i32(0);
  }

  static bool nan_matches(uint64_t bits, bool is64, text::NanPattern p) {
    uint64_t exp_mask = is64 ? 0x7FF0000000000000ull : 0x7F800000u;
    uint64_t mant_mask = is64 ? 0x000FFFFFFFFFFFFFull : 0x007FFFFFu;
    uint64_t quiet = is64 ? 0x0008000000000000ull : 0x00400000u;
    if ((bits & exp_mask) != exp_mask || (bits & mant_mask) == 0) return false;
    if (p == text::NanPattern::Canonical) return (bits & mant_mask) == quiet;
    return (bits & quiet) != 0;
  }

  static std::string show(const Value& v) {
    char buf[96];
    switch (v.type) {
      case ValType::I32: snprintf(buf, sizeof buf, "i32:0x%08x", v.bits.u32); break;
      case ValType::I64: snprintf(buf, sizeof buf, "i64:0x%016llx", (unsigned long long)v.bits.u64); break;
      case ValType::F32: snprintf(buf, sizeof buf, "f32:0x%08x", v.bits.u32); break;
      case ValType::F64: snprintf(buf, sizeof buf, "f64:0x%016llx", (unsigned long long)v.bits.u64); break;
      case ValType::V128: {
        std::string s = "v128:";
        for (int i = 0; i < 16; ++i) {
          snprintf(buf, sizeof buf, "%02x", v.bits.v128[i]);
          s += buf;
        }
        return s;
      }
      default: snprintf(buf, sizeof buf, "%s:%p", std::string(to_string(v.type)).c_str(), v.bits.ref); break;
    }
    return buf;
  }

  static bool matches(const Value& got, const text::Expected& e) {
    const text::Value& w = e.value;
    switch (w.type) {
      case text::Value::I32: return got.type == ValType::I32 && got.bits.u32 == uint32_t(w.bits);
      case text::Value::I64: return got.type == ValType::I64 && got.bits.u64 == w.bits;
      case text::Value::F32:
        if (got.type != ValType::F32) return false;
        if (e.nan != text::NanPattern::None) return nan_matches(got.bits.u32, false, e.nan);
        return got.bits.u32 == uint32_t(w.bits);
      case text::Value::F64:
        if (got.type != ValType::F64) return false;
        if (e.nan != text::NanPattern::None) return nan_matches(got.bits.u64, true, e.nan);
        return got.bits.u64 == w.bits;
      case text::Value::V128: {
        if (got.type != ValType::V128) return false;
        const uint8_t* g = got.bits.v128;
        if (w.shape == text::LaneShape::F32x4) {
          for (int i = 0; i < 4; ++i) {
            uint32_t gb, wb;
            std::memcpy(&gb, g + 4 * i, 4);
            std::memcpy(&wb, w.v128.data() + 4 * i, 4);
            if (e.lane_nan[i] != text::NanPattern::None) {
              if (!nan_matches(gb, false, e.lane_nan[i])) return false;
            } else if (gb != wb) {
              return false;
            }
          }
          return true;
        }
        if (w.shape == text::LaneShape::F64x2) {
          for (int i = 0; i < 2; ++i) {
            uint64_t gb, wb;
            std::memcpy(&gb, g + 8 * i, 8);
            std::memcpy(&wb, w.v128.data() + 8 * i, 8);
            if (e.lane_nan[i] != text::NanPattern::None) {
              if (!nan_matches(gb, true, e.lane_nan[i])) return false;
            } else if (gb != wb) {
              return false;
            }
          }
          return true;
        }
        return std::memcmp(g, w.v128.data(), 16) == 0;
      }
      case text::Value::FuncRef:
        if (got.type != ValType::FuncRef) return false;
        if (e.any_ref) return got.bits.ref != nullptr;
        return w.is_null ? got.bits.ref == nullptr : got.bits.ref != nullptr;
      case text::Value::ExternRef:
        if (got.type != ValType::ExternRef) return false;
        if (e.any_ref) return got.bits.ref != nullptr;
        if (w.is_null) return got.bits.ref == nullptr;
        return got.bits.ref == extern_ref(w.ref);
    }
    return false;
  }

  // ---- actions -------------------------------------------------------------------
  struct Outcome {
    bool ok = false;           // the action could be performed at all
    std::string error;         // why not
    bool trapped = false;
    Trap trap;
    std::vector<Value> results;
  };

  Outcome act(const text::Action& a) {
    Outcome o;
    Instance* inst = find_instance(a.module);
    if (!inst) {
      o.error = "no module " + (a.module.empty() ? std::string("(current)") : a.module);
      return o;
    }
    auto ex = inst->export_(a.field);
    if (!ex) {
      o.error = "no export \"" + a.field + "\"";
      return o;
    }
    if (a.kind == text::Action::Get) {
      GlobalInst* g = ex->global();
      if (!g) {
        o.error = "export \"" + a.field + "\" is not a global";
        return o;
      }
      Value v;
      v.type = g->type.type;
      v.bits = g->value;
      o.ok = true;
      o.results.push_back(v);
      return o;
    }
    FuncInst* f = ex->func();
    if (!f) {
      o.error = "export \"" + a.field + "\" is not a function";
      return o;
    }
    std::vector<Value> args;
    for (const text::Value& v : a.args) args.push_back(to_value(v));
    CallResult r = store_.call(f, args);
    o.ok = true;
    if (auto* t = std::get_if<Trap>(&r)) {
      o.trapped = true;
      o.trap = std::move(*t);
    } else {
      o.results = std::move(std::get<std::vector<Value>>(r));
    }
    return o;
  }

  void assert_return(const text::Command& c) {
    Outcome o = act(c.action);
    if (!o.ok) return fail(c.line, o.error);
    if (o.trapped) return fail(c.line, "trapped: " + o.trap.message);
    if (o.results.size() != c.expected.size())
      return fail(c.line, "got " + std::to_string(o.results.size()) + " results, expected " +
                              std::to_string(c.expected.size()));
    for (size_t i = 0; i < o.results.size(); ++i) {
      if (!matches(o.results[i], c.expected[i])) {
        Value want = to_value(c.expected[i].value);
        return fail(c.line, "result " + std::to_string(i) + ": got " + show(o.results[i]) +
                                ", expected " + show(want));
      }
    }
    pass(c.line);
  }

  void assert_trap_action(const text::Command& c) {
    Outcome o = act(c.action);
    if (!o.ok) return fail(c.line, o.error);
    if (!o.trapped) return fail(c.line, "expected trap \"" + c.message + "\", got a result");
    if (o.trap.message.compare(0, c.message.size(), c.message) != 0)
      return fail(c.line, "expected trap \"" + c.message + "\", got \"" + o.trap.message + "\"");
    pass(c.line);
  }

  void assert_instantiation_fails(const text::Command& c, ErrorKind want) {
    Loaded l = load(c.module);
    if (!l.ok) return fail(c.line, "module rejected: " + format_error(l.error));
    auto inst = linker_.instantiate(store_, l.module);
    if (inst.ok()) return fail(c.line, "instantiation succeeded, expected \"" + c.message + "\"");
    if (inst.error().kind != want)
      return fail(c.line, "instantiation failed differently: " + inst.error().message);
    if (want == ErrorKind::Trap && inst.error().message.compare(0, c.message.size(), c.message) != 0)
      return fail(c.line, "expected trap \"" + c.message + "\", got \"" + inst.error().message + "\"");
    pass_rejection(c.line, c.message, inst.error().message);
  }

  void assert_rejected(const text::Command& c, ErrorKind want) {
    Loaded l = load(c.module);
    if (l.ok) return fail(c.line, "module accepted, expected \"" + c.message + "\"");
    // A text module of assert_invalid that does not even parse is our
    // parser's bug, not a pass.
    if (l.error.kind != want) {
      const char* phase = l.error.kind == ErrorKind::Malformed ? "malformed" : "invalid";
      return fail(c.line, std::string("rejected in the wrong phase (") + phase + "): " +
                              l.error.message + " (expected \"" + c.message + "\")");
    }
    pass_rejection(c.line, c.message, l.error.message);
  }

  void command(const text::Command& c) {
    switch (c.kind) {
      case text::Command::Module:
        return module_cmd(c);
      case text::Command::Register: {
        Instance* inst = find_instance(c.register_module);
        if (!inst) return fail(c.line, "register: no such module");
        linker_.define_instance(c.register_as, inst);
        return pass(c.line);
      }
      case text::Command::Action: {
        Outcome o = act(c.action);
        if (!o.ok) return fail(c.line, o.error);
        if (o.trapped) return fail(c.line, "trapped: " + o.trap.message);
        return pass(c.line);
      }
      case text::Command::AssertReturn:
        return assert_return(c);
      case text::Command::AssertTrap:
        if (c.has_module) return assert_instantiation_fails(c, ErrorKind::Trap);
        return assert_trap_action(c);
      case text::Command::AssertExhaustion: {
        Outcome o = act(c.action);
        if (!o.ok) return fail(c.line, o.error);
        if (!o.trapped || o.trap.kind != TrapKind::StackExhausted)
          return fail(c.line, "expected stack exhaustion");
        return pass(c.line);
      }
      case text::Command::AssertInvalid:
        return assert_rejected(c, ErrorKind::Invalid);
      case text::Command::AssertMalformed:
        return assert_rejected(c, ErrorKind::Malformed);
      case text::Command::AssertUnlinkable:
        return assert_instantiation_fails(c, ErrorKind::Link);
      case text::Command::AssertUninstantiable:
        return assert_instantiation_fails(c, ErrorKind::Trap);
    }
  }

  std::string path_;
  std::string file_;
  const Options& opts_;
  std::ostream& out_;
  Stats stats_;
  Store store_;
  Linker linker_;
  Instance* current_ = nullptr;
  std::map<std::string, Instance*> named_;
};

}  // namespace

Stats run_file(const std::string& path, const Options& opts, std::ostream& out) {
  std::ifstream in(path, std::ios::binary);
  Stats st;
  std::string file = path.substr(path.find_last_of('/') + 1);
  if (!in) {
    ++st.failed;
    out << file << ": cannot open\n";
    return st;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (opts.verbose) out << file << ":\n";
  {
    Runner r(path, opts, out);
    st = r.run(text);
  }
  out << file << ": " << st.passed << " passed, " << st.failed << " failed, " << st.skipped
      << " skipped";
  if (st.expected_failed) out << ", " << st.expected_failed << " expected failures";
  if (st.message_mismatch) out << " (" << st.message_mismatch << " message mismatches)";
  out << "\n";
  return st;
}

}  // namespace wisp::spec
