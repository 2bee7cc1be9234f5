// describe.hpp. Types are looked up in the index space of the scope they
// are written in: the component's own, or an instance or component type's
// declarator list. A type known only through an alias prints as `type N`.
#include "runtime/component/describe.hpp"

#include <vector>

namespace wisp::component {

namespace {

// One entry of a scope's type index space, as far as printing needs it.
struct TypeEntry {
  const Type* def = nullptr;  // a structural definition, if known
  std::string name;           // an exported or imported name, if any
  bool resource = false;      // an abstract resource (sub resource)
};
using TypeSpace = std::vector<TypeEntry>;

std::string val(const TypeSpace& ts, const ValType& v);

std::string type_body(const TypeSpace& ts, const Type& t) {
  auto list = [&](const char* open, const auto& items, auto each) {
    std::string s = open;
    for (size_t i = 0; i < items.size(); ++i) s += (i ? ", " : "") + each(items[i]);
    return s + (*open ? ">" : "");
  };
  switch (t.kind) {
    case Type::Prim: return prim_name(t.prim.prim);
    case Type::List: return "list<" + val(ts, *t.a) + ">";
    case Type::FixedList: return "list<" + val(ts, *t.a) + ", " + std::to_string(t.length) + ">";
    case Type::Option: return "option<" + val(ts, *t.a) + ">";
    case Type::Result: {
      if (!t.a && !t.b) return "result";
      if (!t.b) return "result<" + val(ts, *t.a) + ">";
      return "result<" + (t.a ? val(ts, *t.a) : std::string("_")) + ", " + val(ts, *t.b) + ">";
    }
    case Type::Tuple: return list("tuple<", t.types, [&](const ValType& v) { return val(ts, v); });
    case Type::Own:
    case Type::Borrow: {
      std::string r = t.idx < ts.size() && !ts[t.idx].name.empty() ? ts[t.idx].name : "type " + std::to_string(t.idx);
      return t.kind == Type::Own ? "own<" + r + ">" : "borrow<" + r + ">";
    }
    case Type::Stream: return t.a ? "stream<" + val(ts, *t.a) + ">" : "stream";
    case Type::Future: return t.a ? "future<" + val(ts, *t.a) + ">" : "future";
    case Type::Map: return "map<" + val(ts, *t.a) + ", " + val(ts, *t.b) + ">";
    case Type::Record: {
      std::string s = "record { ";
      for (size_t i = 0; i < t.fields.size(); ++i)
        s += (i ? ", " : "") + t.fields[i].name + ": " + val(ts, t.fields[i].type);
      return s + " }";
    }
    case Type::Variant: {
      std::string s = "variant { ";
      for (size_t i = 0; i < t.cases.size(); ++i)
        s += (i ? ", " : "") + t.cases[i].name + (t.cases[i].type ? "(" + val(ts, *t.cases[i].type) + ")" : "");
      return s + " }";
    }
    case Type::Flags:
    case Type::Enum: {
      std::string s = t.kind == Type::Flags ? "flags { " : "enum { ";
      for (size_t i = 0; i < t.labels.size(); ++i) s += (i ? ", " : "") + t.labels[i];
      return s + " }";
    }
    case Type::Func: {
      std::string s = t.async ? "async func(" : "func(";
      for (size_t i = 0; i < t.fields.size(); ++i)
        s += (i ? ", " : "") + t.fields[i].name + ": " + val(ts, t.fields[i].type);
      s += ")";
      if (t.result) s += " -> " + val(ts, *t.result);
      return s;
    }
    case Type::Resource: return "resource";
    case Type::Component: return "component { ... }";
    case Type::Instance: return "instance { ... }";
  }
  return "?";
}

std::string val(const TypeSpace& ts, const ValType& v) {
  if (v.is_prim) return prim_name(v.prim);
  if (v.idx >= ts.size()) return "type " + std::to_string(v.idx);
  const TypeEntry& e = ts[v.idx];
  if (!e.name.empty()) return e.name;
  if (e.def) return type_body(ts, *e.def);
  return "type " + std::to_string(v.idx);
}

// The name a type gets from its import or export: the plain name, without
// an interface's package and version.
std::string short_name(const std::string& n) {
  size_t slash = n.rfind('/');
  std::string s = slash == std::string::npos ? n : n.substr(slash + 1);
  size_t at = s.find('@');
  return at == std::string::npos ? s : s.substr(0, at);
}

void describe_extern(const TypeSpace& ts, const ExternType& et, const std::string& indent, std::string& out);

// The body of an instance or component type, its declarations in order.
void describe_decls(const Type& t, const std::string& indent, std::string& out) {
  TypeSpace ts;
  for (const Decl& d : t.decls) {
    switch (d.kind) {
      case Decl::CoreType: break;
      case Decl::Type: ts.push_back({d.type.get(), "", false}); break;
      case Decl::Alias:
        if (d.alias->sort == Sort::Type) ts.push_back({nullptr, "", false});
        break;
      case Decl::Import:
      case Decl::Export:
        if (d.extern_type.kind == ExternKind::Type) {
          TypeEntry e;
          e.name = short_name(d.name);
          e.resource = d.extern_type.type_sub_resource;
          if (!e.resource && d.extern_type.idx < ts.size()) e.def = ts[d.extern_type.idx].def;
          ts.push_back(e);
          // A type from an alias (another interface's) has no body here.
          const std::string body = e.resource ? " = resource" : e.def ? " = " + type_body(ts, *e.def) : "";
          out += indent + (d.kind == Decl::Import ? "import " : "") + "type " + e.name + body + "\n";
        } else {
          out += indent + (d.kind == Decl::Import ? "import " : "") + d.name + ": ";
          describe_extern(ts, d.extern_type, indent, out);
        }
        break;
    }
  }
}

void describe_extern(const TypeSpace& ts, const ExternType& et, const std::string& indent, std::string& out) {
  const Type* t = et.idx < ts.size() ? ts[et.idx].def : nullptr;
  switch (et.kind) {
    case ExternKind::CoreModule: out += "core module\n"; return;
    case ExternKind::Value: out += "value\n"; return;
    case ExternKind::Type: out += "type\n"; return;
    case ExternKind::Func: out += (t ? type_body(ts, *t) : "func (type " + std::to_string(et.idx) + ")") + "\n"; return;
    case ExternKind::Component:
    case ExternKind::Instance:
      if (!t || (t->kind != Type::Instance && t->kind != Type::Component)) {
        out += std::string(et.kind == ExternKind::Instance ? "instance" : "component") + " (type " +
               std::to_string(et.idx) + ")\n";
        return;
      }
      out += std::string(et.kind == ExternKind::Instance ? "instance" : "component") + " {\n";
      describe_decls(*t, indent + "  ", out);
      out += indent + "}\n";
      return;
  }
}

}  // namespace

std::string describe(const Component& c) {
  TypeSpace ts(c.types.size());
  for (size_t i = 0; i < c.types.size(); ++i) ts[i].def = c.types[i];
  // The func index space's types, where known: lifted functions and
  // imports (exports add an index for the same function).
  std::vector<const Type*> func_types;
  for (const Definition& d : c.defs) {
    if (d.kind == Definition::Canon && d.canon->kind == Canon::Lift) func_types.push_back(c.type(d.canon->type));
    if (d.kind == Definition::Import && d.import->type.kind == ExternKind::Func)
      func_types.push_back(c.type(d.import->type.idx));
    if (d.kind == Definition::Alias && d.alias->sort == Sort::Func) func_types.push_back(nullptr);
    if (d.kind == Definition::Export && d.export_->item.sort == Sort::Func)
      func_types.push_back(d.export_->item.idx < func_types.size() ? func_types[d.export_->item.idx] : nullptr);
  }
  std::string out;
  for (const Import* im : c.imports()) {
    out += "import " + im->name + ": ";
    describe_extern(ts, im->type, "", out);
  }
  for (const Export* ex : c.exports()) {
    out += "export " + ex->name + ": ";
    if (ex->type) {
      describe_extern(ts, *ex->type, "", out);
    } else if (ex->item.sort == Sort::Func && ex->item.idx < func_types.size() && func_types[ex->item.idx]) {
      out += type_body(ts, *func_types[ex->item.idx]) + "\n";
    } else {
      out += std::string(sort_name(ex->item.sort)) + " " + std::to_string(ex->item.idx) + "\n";
    }
  }
  return out;
}

}  // namespace wisp::component
