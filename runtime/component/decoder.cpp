// The component binary format (Binary.md), read in one pass (decoder.hpp).
// Each index space of the component being read (and of each component or
// instance type declarator) is counted as definitions add to it, so every
// index is checked against what precedes it.
#include "runtime/component/decoder.hpp"

#include <cstring>
#include <set>
#include <string_view>

#include "runtime/valid/decoder.hpp"
#include "runtime/valid/validator.hpp"
#include "runtime/wasm/reader.hpp"

namespace wisp::component {

const char* sort_name(Sort s) {
  static const char* const kNames[kSortCount] = {
      "core func", "core table", "core memory", "core global", "core tag", "core type",
      "core module", "core instance", "func", "value", "type", "component", "instance"};
  return kNames[unsigned(s)];
}

const char* prim_name(Prim p) {
  static const char* const kNames[] = {"bool", "s8",  "u8",  "s16", "u16",  "s32",    "u32",
                                       "s64",  "u64", "f32", "f64", "char", "string", "error-context"};
  return kNames[unsigned(p)];
}

std::vector<const Import*> Component::imports() const {
  std::vector<const Import*> out;
  for (const Definition& d : defs)
    if (d.kind == Definition::Import) out.push_back(d.import.get());
  return out;
}

std::vector<const Export*> Component::exports() const {
  std::vector<const Export*> out;
  for (const Definition& d : defs)
    if (d.kind == Definition::Export) out.push_back(d.export_.get());
  return out;
}

const Type* Component::type(uint32_t i) const { return i < types.size() ? types[i] : nullptr; }

bool is_component(const uint8_t* data, size_t size) {
  static const uint8_t kPreamble[8] = {0x00, 0x61, 0x73, 0x6D, 0x0d, 0x00, 0x01, 0x00};
  return size >= 8 && std::memcmp(data, kPreamble, 8) == 0;
}

namespace {

// Index-space sizes of one scope: a component, or a component or instance
// type declarator (which starts empty and sees outer scopes by alias).
struct Scope {
  std::array<uint32_t, kSortCount> count{};
  std::set<std::string, std::less<>> imports, exports;  // names, for uniqueness
};

// The index space an import or export of this kind adds to.
Sort sort_of(ExternKind k) {
  static const Sort kSortOf[] = {Sort::CoreModule, Sort::Func, Sort::Value,
                                 Sort::Type, Sort::Component, Sort::Instance};
  return kSortOf[unsigned(k)];
}

class Decoder {
 public:
  Decoder(const uint8_t* data, size_t size) : base_(data), r_(data, data, data + size) {
    r_.set_end_message("unexpected end");
  }
  bool component(const uint8_t* end, Component& c);
  Error error() { return r_.error(); }

 private:
  const uint8_t* base_;
  Reader r_;
  std::vector<Scope*> scopes_;
  Scope& scope() { return *scopes_.back(); }

  bool invalid(std::string msg, const uint8_t* at) {
    if (!r_.failed()) {
      r_.fail(std::move(msg), at);
      r_.error().kind = ErrorKind::Invalid;
    }
    return false;
  }
  // idx must name an item of sort s in the current scope.
  bool check(Sort s, uint32_t idx, const uint8_t* at) {
    if (idx < scope().count[unsigned(s)]) return true;
    return invalid(std::string("unknown ") + sort_name(s) + " " + std::to_string(idx), at);
  }
  void add(Sort s, uint32_t n = 1) { scope().count[unsigned(s)] += n; }
  // A u32 index that must name an item of sort s.
  bool index(Sort s, uint32_t& out) {
    const uint8_t* at = r_.pos();
    return r_.u32(out) && check(s, out, at);
  }
  // vec((name, sortidx)): instantiation arguments or inline exports.
  bool named_items(std::vector<std::pair<std::string, SortIdx>>& out, bool attributes) {
    return vec([&] {
      std::string name;
      SortIdx si;
      if (!(attributes ? name_attributes(name) : string(name)) || !sort_idx(si)) return false;
      out.emplace_back(std::move(name), si);
      return true;
    });
  }

  template <class F>
  bool vec(F&& item) {
    uint32_t n = 0;
    if (!r_.length(n)) return false;  // every item takes at least one byte
    for (uint32_t i = 0; i < n; ++i)
      if (!item()) return false;
    return true;
  }
  bool string(std::string& out) {
    std::string_view v;
    if (!r_.name(v)) return false;
    out.assign(v);
    return true;
  }
  bool byte_is(uint8_t expected, const char* what) {
    const uint8_t* at = r_.pos();
    uint8_t b = 0;
    if (!r_.u8(b)) return false;
    if (b != expected) return r_.fail(std::string("malformed ") + what, at);
    return true;
  }

  bool sections(const uint8_t* end, Component& c);
  bool core_module(const uint8_t* end, Definition& d);
  bool sort(Sort& out);
  bool core_sort(Sort& out);
  bool sort_idx(SortIdx& out);
  bool core_sort_idx(SortIdx& out);
  bool name_attributes(std::string& out);
  bool core_instance(CoreInstance& out);
  bool instance(Instance& out);
  bool alias(Alias& out, bool in_declarator);
  bool val_type(ValType& out);
  bool opt_val_type(std::optional<ValType>& out);
  bool def_type(Type& out);
  bool decls(Type& out, bool component_type);
  bool extern_type(ExternType& out);
  bool core_type(CoreType& out);
  bool core_extern_type();
  bool canon(Canon& out);
  bool canon_opts(CanonOptions& out);
  bool import_name(std::string& name, const uint8_t* at);
  bool export_name(std::string& name, const uint8_t* at);
};

bool Decoder::component(const uint8_t* end, Component& c) {
  const uint8_t* start = r_.pos();
  const uint8_t* magic = nullptr;
  if (!r_.bytes(4, magic)) return false;
  if (std::memcmp(magic, "\0asm", 4) != 0) return r_.fail("magic header not detected", start);
  const uint8_t* v = nullptr;
  if (!r_.bytes(4, v)) return false;
  if (!is_component(start, 8)) return r_.fail("unknown component version or layer", start + 4);
  Scope s;
  scopes_.push_back(&s);
  const bool ok = sections(end, c);
  scopes_.pop_back();
  c.count = s.count;
  return ok;
}

bool Decoder::sections(const uint8_t* end, Component& c) {
  while (r_.pos() < end) {
    const uint8_t* at = r_.pos();
    uint8_t id = 0;
    uint32_t len = 0;
    if (!r_.u8(id) || !r_.length(len)) return false;
    const uint8_t* sec_end = r_.pos() + len;
    const uint8_t* outer_end = r_.end();
    r_.set_end(sec_end);
    auto def = [&](Definition::Kind k) -> Definition& {
      c.defs.push_back(Definition{});
      c.defs.back().kind = k;
      c.defs.back().offset = size_t(r_.pos() - base_);
      return c.defs.back();
    };
    bool ok = true;
    switch (id) {
      case 0: {  // custom: a name and anything
        std::string name;
        ok = string(name);
        r_.set_pos(sec_end);
        break;
      }
      case 1: ok = core_module(sec_end, def(Definition::CoreModule)); break;
      case 2:
        ok = vec([&] {
          auto ci = std::make_shared<CoreInstance>();
          Definition& d = def(Definition::CoreInstance);
          if (!core_instance(*ci)) return false;
          d.core_instance = std::move(ci);
          add(Sort::CoreInstance);
          return true;
        });
        break;
      case 3:
        ok = vec([&] {
          auto ct = std::make_shared<CoreType>();
          Definition& d = def(Definition::CoreType);
          if (!core_type(*ct)) return false;
          d.core_type = std::move(ct);
          add(Sort::CoreType);
          return true;
        });
        break;
      case 4: {
        auto nested = std::make_shared<Component>();
        Definition& d = def(Definition::Component);
        ok = component(sec_end, *nested);
        d.component = std::move(nested);
        add(Sort::Component);
        break;
      }
      case 5:
        ok = vec([&] {
          auto in = std::make_shared<Instance>();
          Definition& d = def(Definition::Instance);
          if (!instance(*in)) return false;
          d.instance = std::move(in);
          add(Sort::Instance);
          return true;
        });
        break;
      case 6:
        ok = vec([&] {
          auto a = std::make_shared<Alias>();
          Definition& d = def(Definition::Alias);
          if (!alias(*a, false)) return false;
          add(a->sort);
          d.alias = std::move(a);
          return true;
        });
        break;
      case 7:
        ok = vec([&] {
          auto t = std::make_shared<Type>();
          Definition& d = def(Definition::Type);
          if (!def_type(*t)) return false;
          add(Sort::Type);
          c.types.resize(scope().count[unsigned(Sort::Type)], nullptr);
          c.types.back() = t.get();
          d.type = std::move(t);
          return true;
        });
        break;
      case 8:
        ok = vec([&] {
          auto cn = std::make_shared<Canon>();
          Definition& d = def(Definition::Canon);
          if (!canon(*cn)) return false;
          add(cn->kind == Canon::Lift ? Sort::Func : Sort::CoreFunc);
          d.canon = std::move(cn);
          return true;
        });
        break;
      case 9: {  // start (🪙 values): func, args, result count
        def(Definition::Start);
        uint32_t f = 0, results = 0;
        ok = index(Sort::Func, f) && vec([&] {
               uint32_t v = 0;
               return index(Sort::Value, v);
             }) && r_.u32(results);
        if (ok) add(Sort::Value, results);
        break;
      }
      case 10:
        ok = vec([&] {
          auto im = std::make_shared<Import>();
          Definition& d = def(Definition::Import);
          const uint8_t* nat = r_.pos();
          if (!import_name(im->name, nat) || !extern_type(im->type)) return false;
          add(sort_of(im->type.kind));
          d.import = std::move(im);
          return true;
        });
        break;
      case 11:
        ok = vec([&] {
          auto ex = std::make_shared<Export>();
          Definition& d = def(Definition::Export);
          const uint8_t* nat = r_.pos();
          if (!export_name(ex->name, nat) || !sort_idx(ex->item)) return false;
          const uint8_t* tat = r_.pos();
          uint8_t has = 0;
          if (!r_.u8(has)) return false;
          if (has == 1) {
            ExternType t;
            if (!extern_type(t)) return false;
            ex->type = t;
          } else if (has != 0) {
            return r_.fail("malformed export type", tat);
          }
          if (ex->item.sort >= Sort::CoreFunc && ex->item.sort <= Sort::CoreInstance &&
              ex->item.sort != Sort::CoreModule)
            return invalid(std::string("a component cannot export a ") + sort_name(ex->item.sort), nat);
          add(ex->item.sort);
          if (ex->item.sort == Sort::Type) {  // a new index for the same type
            const Type* same = c.type(ex->item.idx);
            c.types.resize(scope().count[unsigned(Sort::Type)], nullptr);
            c.types.back() = same;
          }
          d.export_ = std::move(ex);
          return true;
        });
        break;
      case 12:
        ok = r_.fail("value definitions are not supported", at);
        break;
      default:
        ok = r_.fail("malformed section id " + std::to_string(id), at);
        break;
    }
    if (!ok) return false;
    if (r_.pos() != sec_end) return r_.fail("section size mismatch", r_.pos());
    r_.set_end(outer_end);
    // Types from aliases and imports: known to exist, not defined here.
    c.types.resize(scope().count[unsigned(Sort::Type)], nullptr);
  }
  return true;
}

bool Decoder::core_module(const uint8_t* end, Definition& d) {
  const uint8_t* start = r_.pos();
  d.module_bytes = start;
  d.module_size = size_t(end - start);
  auto m = decode_borrowed(start, d.module_size);
  Status st = m.ok() ? validate(m.value()) : Status(m.error());
  if (!st.ok()) {
    Error e = st.error();
    const size_t where = size_t(start - base_) + (e.offset == SIZE_MAX ? 0 : e.offset);
    r_.fail("core module: " + e.message, base_ + where);
    r_.error().kind = e.kind;
    return false;
  }
  d.module = std::make_shared<Module>(std::move(m.value()));
  r_.set_pos(end);
  add(Sort::CoreModule);
  return true;
}

bool Decoder::core_sort(Sort& out) {
  const uint8_t* at = r_.pos();
  uint8_t b = 0;
  if (!r_.u8(b)) return false;
  switch (b) {
    case 0x00: out = Sort::CoreFunc; return true;
    case 0x01: out = Sort::CoreTable; return true;
    case 0x02: out = Sort::CoreMemory; return true;
    case 0x03: out = Sort::CoreGlobal; return true;
    case 0x04: out = Sort::CoreTag; return true;
    case 0x10: out = Sort::CoreType; return true;
    case 0x11: out = Sort::CoreModule; return true;
    case 0x12: out = Sort::CoreInstance; return true;
    default: return r_.fail("malformed core sort", at);
  }
}

bool Decoder::sort(Sort& out) {
  const uint8_t* at = r_.pos();
  uint8_t b = 0;
  if (!r_.u8(b)) return false;
  switch (b) {
    case 0x00: return core_sort(out);
    case 0x01: out = Sort::Func; return true;
    case 0x02: out = Sort::Value; return true;
    case 0x03: out = Sort::Type; return true;
    case 0x04: out = Sort::Component; return true;
    case 0x05: out = Sort::Instance; return true;
    default: return r_.fail("malformed sort", at);
  }
}

bool Decoder::sort_idx(SortIdx& out) { return sort(out.sort) && index(out.sort, out.idx); }

bool Decoder::core_sort_idx(SortIdx& out) { return core_sort(out.sort) && index(out.sort, out.idx); }

// nameattributes: 0x00/0x01 name, or 0x02 name and attributes (ignored).
bool Decoder::name_attributes(std::string& out) {
  const uint8_t* at = r_.pos();
  uint8_t b = 0;
  if (!r_.u8(b)) return false;
  if (b > 0x02) return r_.fail("malformed name", at);
  if (!string(out)) return false;
  if (out.empty()) return invalid("empty name", at);
  if (b == 0x02) {
    return vec([&] {
      const uint8_t* aat = r_.pos();
      uint8_t kind = 0;
      std::string ignored;
      if (!r_.u8(kind)) return false;
      if (kind > 0x02) return r_.fail("malformed name attribute", aat);
      return string(ignored);
    });
  }
  return true;
}

bool Decoder::import_name(std::string& name, const uint8_t* at) {
  if (!name_attributes(name)) return false;
  if (!scope().imports.insert(name).second) return invalid("duplicate import name `" + name + "`", at);
  return true;
}

bool Decoder::export_name(std::string& name, const uint8_t* at) {
  if (!name_attributes(name)) return false;
  if (!scope().exports.insert(name).second) return invalid("duplicate export name `" + name + "`", at);
  return true;
}

bool Decoder::core_instance(CoreInstance& out) {
  const uint8_t* at = r_.pos();
  uint8_t b = 0;
  if (!r_.u8(b)) return false;
  if (b == 0x00) {
    out.instantiate = true;
    if (!index(Sort::CoreModule, out.module)) return false;
    return vec([&] {
      std::string name;
      uint32_t inst = 0;
      if (!string(name) || !byte_is(0x12, "instantiate argument") || !index(Sort::CoreInstance, inst))
        return false;
      out.args.emplace_back(std::move(name), inst);
      return true;
    });
  }
  if (b == 0x01) {
    out.instantiate = false;
    return vec([&] {
      std::string name;
      SortIdx si;
      if (!string(name) || !core_sort_idx(si)) return false;
      out.exports.emplace_back(std::move(name), si);
      return true;
    });
  }
  return r_.fail("malformed core instance", at);
}

bool Decoder::instance(Instance& out) {
  const uint8_t* at = r_.pos();
  uint8_t b = 0;
  if (!r_.u8(b)) return false;
  if (b == 0x00) {
    out.instantiate = true;
    return index(Sort::Component, out.component) && named_items(out.args, false);
  }
  if (b == 0x01) {
    out.instantiate = false;
    return named_items(out.exports, true);
  }
  return r_.fail("malformed instance", at);
}

bool Decoder::alias(Alias& out, bool in_declarator) {
  if (!sort(out.sort)) return false;
  const uint8_t* at = r_.pos();
  uint8_t b = 0;
  if (!r_.u8(b)) return false;
  switch (b) {
    case 0x00:
      out.target = Alias::Export;
      return index(Sort::Instance, out.instance) && string(out.name);
    case 0x01:
      if (in_declarator) return invalid("a type declarator cannot alias a core export", at);
      out.target = Alias::CoreExport;
      return index(Sort::CoreInstance, out.instance) && string(out.name);
    case 0x02: {
      out.target = Alias::Outer;
      const uint8_t* cat = r_.pos();
      if (!r_.u32(out.outer_count) || !r_.u32(out.outer_idx)) return false;
      if (out.sort != Sort::Type && out.sort != Sort::CoreType && out.sort != Sort::CoreModule &&
          out.sort != Sort::Component)
        return invalid(std::string("an outer alias cannot refer to a ") + sort_name(out.sort), at);
      if (out.outer_count >= scopes_.size()) return invalid("outer alias count out of range", cat);
      const Scope& target = *scopes_[scopes_.size() - 1 - out.outer_count];
      if (out.outer_idx >= target.count[unsigned(out.sort)])
        return invalid(std::string("unknown ") + sort_name(out.sort) + " " + std::to_string(out.outer_idx) +
                           " in the outer scope",
                       cat);
      return true;
    }
    default:
      return r_.fail("malformed alias", at);
  }
}

bool Decoder::val_type(ValType& out) {
  const uint8_t* at = r_.pos();
  int64_t v = 0;
  if (!r_.sleb<33>(v)) return false;
  if (v >= 0) {
    out.is_prim = false;
    out.idx = uint32_t(v);
    return check(Sort::Type, out.idx, at);
  }
  const uint8_t code = uint8_t(v & 0x7f);
  out.is_prim = true;
  if (code >= 0x73 && code <= 0x7f) {
    out.prim = Prim(0x7f - code);
    return true;
  }
  if (code == 0x64) {
    out.prim = Prim::ErrorContext;
    return true;
  }
  return r_.fail("malformed value type", at);
}

bool Decoder::opt_val_type(std::optional<ValType>& out) {
  const uint8_t* at = r_.pos();
  uint8_t b = 0;
  if (!r_.u8(b)) return false;
  if (b == 0x00) return true;
  if (b != 0x01) return r_.fail("malformed optional type", at);
  ValType t;
  if (!val_type(t)) return false;
  out = t;
  return true;
}

bool Decoder::def_type(Type& out) {
  const uint8_t* at = r_.pos();
  uint8_t b = 0;
  if (!r_.u8(b)) return false;
  auto labels = [&](std::vector<std::string>& v) {
    return vec([&] {
      v.emplace_back();
      return string(v.back());
    });
  };
  auto fields = [&](std::vector<Field>& v) {
    return vec([&] {
      v.emplace_back();
      return string(v.back().name) && val_type(v.back().type);
    });
  };
  switch (b) {
    case 0x72:
      out.kind = Type::Record;
      if (!fields(out.fields)) return false;
      if (out.fields.empty()) return invalid("a record needs a field", at);
      return true;
    case 0x71:
      out.kind = Type::Variant;
      if (!vec([&] {
            out.cases.emplace_back();
            return string(out.cases.back().name) && opt_val_type(out.cases.back().type) &&
                   byte_is(0x00, "variant case");
          }))
        return false;
      if (out.cases.empty()) return invalid("a variant needs a case", at);
      return true;
    case 0x70: out.kind = Type::List; out.a.emplace(); return val_type(*out.a);
    case 0x67:
      out.kind = Type::FixedList;
      out.a.emplace();
      if (!val_type(*out.a) || !r_.u32(out.length)) return false;
      if (out.length == 0) return invalid("a fixed-length list needs a length", at);
      return true;
    case 0x6f:
      out.kind = Type::Tuple;
      if (!vec([&] {
            out.types.emplace_back();
            return val_type(out.types.back());
          }))
        return false;
      if (out.types.empty()) return invalid("a tuple needs a type", at);
      return true;
    case 0x6e:
      out.kind = Type::Flags;
      if (!labels(out.labels)) return false;
      if (out.labels.empty() || out.labels.size() > 32) return invalid("flags need 1 to 32 labels", at);
      return true;
    case 0x6d:
      out.kind = Type::Enum;
      if (!labels(out.labels)) return false;
      if (out.labels.empty()) return invalid("an enum needs a case", at);
      return true;
    case 0x6b: out.kind = Type::Option; out.a.emplace(); return val_type(*out.a);
    case 0x6a: out.kind = Type::Result; return opt_val_type(out.a) && opt_val_type(out.b);
    case 0x69:
    case 0x68:
      out.kind = b == 0x69 ? Type::Own : Type::Borrow;
      return index(Sort::Type, out.idx);
    case 0x66: out.kind = Type::Stream; return opt_val_type(out.a);
    case 0x65: out.kind = Type::Future; return opt_val_type(out.a);
    case 0x63:
      out.kind = Type::Map;
      out.a.emplace();
      out.b.emplace();
      return val_type(*out.a) && val_type(*out.b);
    case 0x40:
    case 0x43: {
      out.kind = Type::Func;
      out.async = b == 0x43;
      if (!fields(out.fields)) return false;
      const uint8_t* rat = r_.pos();
      uint8_t rb = 0;
      if (!r_.u8(rb)) return false;
      if (rb == 0x00) {
        out.result.emplace();
        return val_type(*out.result);
      }
      if (rb == 0x01) return byte_is(0x00, "result list");
      return r_.fail("malformed result list", rat);
    }
    case 0x41: out.kind = Type::Component; return decls(out, true);
    case 0x42: out.kind = Type::Instance; return decls(out, false);
    case 0x3f: {
      out.kind = Type::Resource;
      const uint8_t* rat = r_.pos();
      if (!r_.u8(out.rep)) return false;
      if (out.rep != 0x7f) return invalid("a resource's representation must be i32", rat);
      const uint8_t* dat = r_.pos();
      uint8_t has = 0;
      if (!r_.u8(has)) return false;
      if (has == 0x01) {
        uint32_t f = 0;
        if (!index(Sort::CoreFunc, f)) return false;
        out.dtor = f;
      } else if (has != 0x00) {
        return r_.fail("malformed resource destructor", dat);
      }
      return true;
    }
    default:
      // A primitive value type as a definition.
      if (!((b >= 0x73 && b <= 0x7f) || b == 0x64)) return r_.fail("malformed type", at);
      r_.set_pos(at);
      out.kind = Type::Prim;
      return val_type(out.prim);
  }
}

bool Decoder::decls(Type& out, bool component_type) {
  Scope s;
  scopes_.push_back(&s);
  bool ok = vec([&] {
    const uint8_t* at = r_.pos();
    uint8_t b = 0;
    if (!r_.u8(b)) return false;
    Decl d;
    switch (b) {
      case 0x00: {
        auto ct = std::make_shared<CoreType>();
        if (!core_type(*ct)) return false;
        d.kind = Decl::CoreType;
        d.core_type = std::move(ct);
        add(Sort::CoreType);
        break;
      }
      case 0x01: {
        auto t = std::make_shared<Type>();
        if (!def_type(*t)) return false;
        if (t->kind == Type::Resource) return invalid("a type declarator cannot define a resource", at);
        d.kind = Decl::Type;
        d.type = std::move(t);
        add(Sort::Type);
        break;
      }
      case 0x02: {
        auto a = std::make_shared<Alias>();
        if (!alias(*a, true)) return false;
        d.kind = Decl::Alias;
        add(a->sort);
        d.alias = std::move(a);
        break;
      }
      case 0x03:
      case 0x04: {
        if (b == 0x03 && !component_type) return r_.fail("malformed instance type declaration", at);
        d.kind = b == 0x03 ? Decl::Import : Decl::Export;
        const uint8_t* nat = r_.pos();
        if (!(b == 0x03 ? import_name(d.name, nat) : export_name(d.name, nat)) || !extern_type(d.extern_type))
          return false;
        add(sort_of(d.extern_type.kind));
        break;
      }
      default:
        return r_.fail("malformed type declaration", at);
    }
    out.decls.push_back(std::move(d));
    return true;
  });
  scopes_.pop_back();
  return ok;
}

bool Decoder::extern_type(ExternType& out) {
  const uint8_t* at = r_.pos();
  uint8_t b = 0;
  if (!r_.u8(b)) return false;
  switch (b) {
    case 0x00:
      out.kind = ExternKind::CoreModule;
      if (!byte_is(0x11, "core module type")) return false;
      return index(Sort::CoreType, out.idx);
    case 0x01: out.kind = ExternKind::Func; break;
    case 0x02: {
      out.kind = ExternKind::Value;
      const uint8_t* bat = r_.pos();
      uint8_t bound = 0;
      if (!r_.u8(bound)) return false;
      if (bound == 0x00) {
        out.value_eq = true;
        return index(Sort::Value, out.idx);
      }
      if (bound == 0x01) return val_type(out.value_type);
      return r_.fail("malformed value bound", bat);
    }
    case 0x03: {
      out.kind = ExternKind::Type;
      const uint8_t* bat = r_.pos();
      uint8_t bound = 0;
      if (!r_.u8(bound)) return false;
      if (bound == 0x01) {
        out.type_sub_resource = true;
        return true;
      }
      if (bound != 0x00) return r_.fail("malformed type bound", bat);
      return index(Sort::Type, out.idx);
    }
    case 0x04: out.kind = ExternKind::Component; break;
    case 0x05: out.kind = ExternKind::Instance; break;
    default: return r_.fail("malformed extern type", at);
  }
  return index(Sort::Type, out.idx);
}

// A core extern type inside a module type: func type index, table, memory,
// global or tag.
bool Decoder::core_extern_type() {
  const uint8_t* at = r_.pos();
  uint8_t b = 0;
  if (!r_.u8(b)) return false;
  auto limits = [&] {
    const uint8_t* lat = r_.pos();
    uint8_t flags = 0;
    uint64_t v = 0;
    if (!r_.u8(flags)) return false;
    if (flags > 0x07) return r_.fail("malformed limits", lat);
    if (!r_.uleb<64>(v)) return false;
    return (flags & 1) ? r_.uleb<64>(v) : true;
  };
  switch (b) {
    case 0x00: {
      uint32_t t = 0;
      return index(Sort::CoreType, t);
    }
    case 0x01: {
      wisp::ValType rt;
      return r_.ref_type(rt) && limits();
    }
    case 0x02: return limits();
    case 0x03: {
      wisp::ValType vt;
      uint8_t mut = 0;
      return r_.val_type(vt) && r_.u8(mut);
    }
    case 0x04: {
      uint32_t t = 0;
      return byte_is(0x00, "tag type") && r_.u32(t);
    }
    default: return r_.fail("malformed core extern type", at);
  }
}

bool Decoder::core_type(CoreType& out) {
  const uint8_t* at = r_.pos();
  uint8_t b = 0;
  if (!r_.u8(b)) return false;
  if (b == 0x60) {  // a function type
    auto types = [&](std::vector<uint8_t>& v) {
      return vec([&] {
        wisp::ValType t;
        const uint8_t* tat = r_.pos();
        if (!r_.val_type(t)) return false;
        v.push_back(*tat);
        return true;
      });
    };
    return types(out.params) && types(out.results);
  }
  if (b != 0x50) return r_.fail("malformed core type (Wasm 3.0 recursive types are not supported here)", at);
  out.is_module = true;
  Scope s;  // a module type starts with an empty type index space
  scopes_.push_back(&s);
  bool ok = vec([&] {
    const uint8_t* dat = r_.pos();
    uint8_t d = 0;
    if (!r_.u8(d)) return false;
    switch (d) {
      case 0x00: {  // import: module name, name, extern type
        std::string mod, name;
        if (!string(mod) || !string(name) || !core_extern_type()) return false;
        out.module_imports.push_back(mod + "." + name);
        return true;
      }
      case 0x01: {
        CoreType inner;
        if (!core_type(inner)) return false;
        if (inner.is_module) return invalid("a module type cannot define a module type", dat);
        add(Sort::CoreType);
        return true;
      }
      case 0x02: {  // outer alias of a core type
        uint32_t ct = 0, idx = 0;
        if (!byte_is(0x10, "core alias") || !byte_is(0x01, "core alias") || !r_.u32(ct) || !r_.u32(idx))
          return false;
        if (ct >= scopes_.size()) return invalid("outer alias count out of range", dat);
        if (idx >= scopes_[scopes_.size() - 1 - ct]->count[unsigned(Sort::CoreType)])
          return invalid("unknown core type " + std::to_string(idx) + " in the outer scope", dat);
        add(Sort::CoreType);
        return true;
      }
      case 0x03: {
        std::string name;
        if (!string(name) || !core_extern_type()) return false;
        out.module_exports.push_back(name);
        return true;
      }
      default:
        return r_.fail("malformed module type declaration", dat);
    }
  });
  scopes_.pop_back();
  return ok;
}

bool Decoder::canon_opts(CanonOptions& out) {
  bool seen[8] = {};
  return vec([&] {
    const uint8_t* at = r_.pos();
    uint8_t b = 0;
    if (!r_.u8(b)) return false;
    if (b > 0x07) return r_.fail("malformed canonical option", at);
    const unsigned slot = b <= 0x02 ? 0 : b;  // the three encodings conflict
    if (seen[slot]) return invalid("duplicate or conflicting canonical option", at);
    seen[slot] = true;
    uint32_t idx = 0;
    switch (b) {
      case 0x00: out.encoding = CanonOptions::Utf8; return true;
      case 0x01: out.encoding = CanonOptions::Utf16; return true;
      case 0x02: out.encoding = CanonOptions::Latin1Utf16; return true;
      case 0x03:
        if (!index(Sort::CoreMemory, idx)) return false;
        out.memory = idx;
        return true;
      case 0x04:
        if (!index(Sort::CoreFunc, idx)) return false;
        out.realloc = idx;
        return true;
      case 0x05:
        if (!index(Sort::CoreFunc, idx)) return false;
        out.post_return = idx;
        return true;
      case 0x06: out.async = true; return true;
      default:
        if (!index(Sort::CoreFunc, idx)) return false;
        out.callback = idx;
        return true;
    }
  });
}

bool Decoder::canon(Canon& out) {
  const uint8_t* at = r_.pos();
  uint8_t b = 0;
  if (!r_.u8(b)) return false;
  switch (b) {
    case 0x00:
      out.kind = Canon::Lift;
      if (!byte_is(0x00, "canon lift")) return false;
      if (!index(Sort::CoreFunc, out.func) || !canon_opts(out.opts)) return false;
      return index(Sort::Type, out.type);
    case 0x01:
      out.kind = Canon::Lower;
      if (!byte_is(0x00, "canon lower")) return false;
      return index(Sort::Func, out.func) && canon_opts(out.opts);
    case 0x02:
    case 0x03:
    case 0x04:
      out.kind = b == 0x02 ? Canon::ResourceNew : b == 0x03 ? Canon::ResourceDrop : Canon::ResourceRep;
      return index(Sort::Type, out.type);
    default:
      // The async and thread built-ins (🔀, 🧵) are not supported yet.
      return r_.fail("canonical built-in " + std::to_string(b) + " (async or threads) is not supported", at);
  }
}

}  // namespace

Result<std::shared_ptr<const Component>> decode(const uint8_t* data, size_t size) {
  Decoder d(data, size);
  auto c = std::make_shared<Component>();
  if (!d.component(data + size, *c)) return d.error();
  return std::shared_ptr<const Component>(std::move(c));
}

}  // namespace wisp::component
