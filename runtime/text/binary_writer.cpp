// Section layout and segment encodings follow wabt's wat2wasm so that the
// spec suite's modules come out byte-identical to wast2json's.
#include "runtime/text/module_builder.hpp"

namespace wisp::text {
namespace {

void put_limits(Bytes& out, const Limits& l) {
  out.push_back(l.has_max ? 0x01 : 0x00);
  put_u32(out, l.min);
  if (l.has_max) put_u32(out, l.max);
}

void put_table_type(Bytes& out, const TableType& t) {
  out.push_back(uint8_t(t.elem));
  put_limits(out, t.limits);
}

void put_global_type(Bytes& out, const GlobalType& g) {
  out.push_back(uint8_t(g.type));
  out.push_back(g.mut ? 1 : 0);
}

void put_section(Bytes& out, uint8_t id, const Bytes& body) {
  out.push_back(id);
  put_u32(out, body.size());
  put_bytes(out, body);
}

// An item that is exactly `ref.func x end` can use the compact
// function-index encoding; returns the length of x's LEB or 0.
size_t ref_func_item(const Bytes& item) {
  if (item.size() < 3 || item[0] != 0xD2 || item.back() != 0x0B) return 0;
  size_t i = 1;
  while (i < item.size() - 1 && (item[i] & 0x80)) ++i;
  return i + 2 == item.size() ? i : 0;
}

void put_elem(Bytes& out, const BuiltElem& e) {
  bool func_indices = e.type == ValType::FuncRef;
  for (const Bytes& item : e.items)
    if (!ref_func_item(item)) func_indices = false;
  uint8_t flags = 0;
  switch (e.mode) {
    case SegmentMode::Active:
      if (e.table != 0 || e.type != ValType::FuncRef) flags |= 2;
      break;
    case SegmentMode::Passive: flags |= 1; break;
    case SegmentMode::Declarative: flags |= 3; break;
  }
  if (!func_indices) flags |= 4;
  out.push_back(flags);
  if (e.mode == SegmentMode::Active) {
    if (flags & 2) put_u32(out, e.table);
    put_bytes(out, e.offset);
  }
  if (flags & 3) out.push_back(func_indices ? 0x00 : uint8_t(e.type));
  put_u32(out, e.items.size());
  for (const Bytes& item : e.items) {
    if (func_indices) out.insert(out.end(), item.begin() + 1, item.end() - 1);
    else put_bytes(out, item);
  }
}

void put_data(Bytes& out, const BuiltData& d) {
  if (d.mode == SegmentMode::Passive) {
    out.push_back(0x01);
  } else if (d.memory == 0) {
    out.push_back(0x00);
    put_bytes(out, d.offset);
  } else {
    out.push_back(0x02);
    put_u32(out, d.memory);
    put_bytes(out, d.offset);
  }
  put_name(out, d.bytes);
}

}  // namespace

Bytes write_binary(const BuiltModule& m, bool with_names) {
  Bytes out = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  Bytes s;
  auto section = [&](uint8_t id) {
    put_section(out, id, s);
    s.clear();
  };

  if (!m.types.empty()) {
    put_u32(s, m.types.size());
    for (const FuncType& t : m.types) {
      s.push_back(0x60);
      put_u32(s, t.params.size());
      for (ValType v : t.params) s.push_back(uint8_t(v));
      put_u32(s, t.results.size());
      for (ValType v : t.results) s.push_back(uint8_t(v));
    }
    section(1);
  }
  if (!m.imports.empty()) {
    put_u32(s, m.imports.size());
    for (const BuiltImport& i : m.imports) {
      put_name(s, i.module);
      put_name(s, i.name);
      s.push_back(uint8_t(i.kind));
      switch (i.kind) {
        case ExternKind::Func: put_u32(s, i.type); break;
        case ExternKind::Table: put_table_type(s, i.table); break;
        case ExternKind::Memory: put_limits(s, i.memory.limits); break;
        case ExternKind::Global: put_global_type(s, i.global); break;
        case ExternKind::Tag: break;  // the text parser makes no tags yet
      }
    }
    section(2);
  }
  if (!m.funcs.empty()) {
    put_u32(s, m.funcs.size());
    for (uint32_t t : m.funcs) put_u32(s, t);
    section(3);
  }
  if (!m.tables.empty()) {
    put_u32(s, m.tables.size());
    for (const TableType& t : m.tables) put_table_type(s, t);
    section(4);
  }
  if (!m.memories.empty()) {
    put_u32(s, m.memories.size());
    for (const MemoryType& t : m.memories) put_limits(s, t.limits);
    section(5);
  }
  if (!m.globals.empty()) {
    put_u32(s, m.globals.size());
    for (const BuiltGlobal& g : m.globals) {
      put_global_type(s, g.type);
      put_bytes(s, g.init);
    }
    section(6);
  }
  if (!m.exports.empty()) {
    put_u32(s, m.exports.size());
    for (const BuiltExport& e : m.exports) {
      put_name(s, e.name);
      s.push_back(uint8_t(e.kind));
      put_u32(s, e.index);
    }
    section(7);
  }
  if (m.has_start) {
    put_u32(s, m.start);
    section(8);
  }
  if (!m.elems.empty()) {
    put_u32(s, m.elems.size());
    for (const BuiltElem& e : m.elems) put_elem(s, e);
    section(9);
  }
  // DataCount only when the code needs it, as wabt does; but unlike wabt
  // also when there are no segments at all, or `data.drop 0` in a module
  // without data would be malformed instead of invalid.
  if (m.uses_data_count) {
    put_u32(s, m.datas.size());
    section(12);
  }
  if (!m.code.empty()) {
    put_u32(s, m.code.size());
    for (const Bytes& body : m.code) {
      put_u32(s, body.size());
      put_bytes(s, body);
    }
    section(10);
  }
  if (!m.datas.empty()) {
    put_u32(s, m.datas.size());
    for (const BuiltData& d : m.datas) put_data(s, d);
    section(11);
  }
  if (with_names && (!m.module_name.empty() || !m.func_names.empty())) {
    auto put_name = [](Bytes& b, const std::string& n) {
      put_u32(b, n.size());
      b.insert(b.end(), n.begin(), n.end());
    };
    put_name(s, "name");
    Bytes sub;
    if (!m.module_name.empty()) {
      put_name(sub, m.module_name);
      s.push_back(0);
      put_u32(s, sub.size());
      put_bytes(s, sub);
      sub.clear();
    }
    if (!m.func_names.empty()) {
      put_u32(sub, m.func_names.size());
      for (const auto& [idx, n] : m.func_names) {
        put_u32(sub, idx);
        put_name(sub, n);
      }
      s.push_back(1);
      put_u32(s, sub.size());
      put_bytes(s, sub);
    }
    section(0);
  }
  return out;
}

}  // namespace wisp::text
