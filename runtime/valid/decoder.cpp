#include "runtime/valid/decoder.hpp"

#include <algorithm>

#include "runtime/valid/body_syntax.hpp"
#include "runtime/wasm/instr_reader.hpp"
#include "runtime/wasm/reader.hpp"

namespace wisp {
namespace {

enum SectionId : uint8_t {
  kCustom = 0,
  kType = 1,
  kImport = 2,
  kFunction = 3,
  kTable = 4,
  kMemory = 5,
  kGlobal = 6,
  kExport = 7,
  kStart = 8,
  kElement = 9,
  kCode = 10,
  kData = 11,
  kDataCount = 12,
  kTag = 13,  // Wasm 3.0, not decoded yet
};

// Position of each section in the required order (DataCount sits between
// Element and Code).
int section_rank(uint8_t id) {
  static const int8_t rank[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10};
  return rank[id];
}

// Bounds what a count may pre-allocate: every element takes at least one
// byte, so a count beyond the bytes left cannot be honest. Even a count the
// bytes could hold is only trusted up to kMaxReserve: elements are far
// larger than their one-byte minimum encoding, so reserving for all of them
// up front would let a large input declare gigabytes it does not contain.
// Past that, vectors grow as elements are actually read.
constexpr size_t kMaxReserve = 1 << 16;
size_t reserve_bound(uint32_t count, const Reader& r) {
  return std::min({size_t(count), r.remaining(), kMaxReserve});
}

class Decoder {
 public:
  Decoder(Module& m) : m_(m), r_(m.bytes, m.bytes, m.bytes + m.size) { r_.set_limit(m.bytes + m.size); }

  Status run();
  // Offset just past the code section, 0 if none was read.
  size_t code_end() const { return code_end_; }

 private:
  bool header();
  bool section(uint8_t id, const uint8_t* end);
  bool type_section();
  bool import_section();
  bool function_section();
  bool table_section();
  bool memory_section();
  bool global_section();
  bool export_section();
  bool start_section();
  bool element_section();
  bool code_section();
  bool data_section();
  bool data_count_section();
  bool custom_section(const uint8_t* end);
  void name_section(const uint8_t* begin, const uint8_t* end);

  bool val_types(std::vector<ValType>& out);
  bool limits(Limits& l, uint64_t max_bound);
  bool table_type(TableType& t);
  bool global_type(GlobalType& g);
  bool const_expr(ConstExpr& e);
  uint32_t off(const uint8_t* p) const { return uint32_t(p - m_.bytes); }

  Module& m_;
  Reader r_;
  uint32_t declared_funcs_ = 0;  // from the function section
  bool saw_function_section_ = false;
  bool saw_code_section_ = false;
  uint32_t code_count_ = 0;
  size_t code_end_ = 0;
};

Status Decoder::run() {
  if (m_.size > 0xFFFFFFFFu) return make_error(ErrorKind::Malformed, "module too large", 0);
  if (!header()) return r_.error();
  int last_rank = 0;
  while (!r_.at_end()) {
    const uint8_t* section_start = r_.pos();
    uint8_t id{};
    if (!r_.u8(id)) return r_.error();
    if (id == kTag) {  // Wasm 3.0's tag section (exception handling)
      r_.fail("exception handling (tag section) not supported yet", section_start);
      return r_.error();
    }
    if (id > kDataCount) {
      r_.fail("malformed section id", section_start);
      return r_.error();
    }
    uint32_t size{};
    if (!r_.length(size)) return r_.error();
    const uint8_t* end = r_.pos() + size;
    if (id != kCustom) {
      int rank = section_rank(id);
      if (rank <= last_rank) {
        r_.fail("unexpected content after last section", section_start);
        return r_.error();
      }
      last_rank = rank;
    }
    const uint8_t* outer_end = r_.end();
    r_.set_end(end);
    r_.set_end_message("unexpected end of section or function");
    if (!section(id, end)) return r_.error();
    if (r_.pos() != end) {
      r_.fail("section size mismatch", r_.pos());
      return r_.error();
    }
    r_.set_end(outer_end);
    r_.set_end_message("unexpected end");
  }
  if (code_count_ != declared_funcs_)
    return make_error(ErrorKind::Malformed, "function and code section have inconsistent lengths",
                      m_.size);
  if (m_.has_data_count && m_.data_count != m_.datas.size())
    return make_error(ErrorKind::Malformed, "data count and data section have inconsistent lengths",
                      m_.size);
  return ok_status();
}

bool Decoder::header() {
  const uint8_t* p = nullptr;
  if (!r_.bytes(4, p)) return false;
  if (std::memcmp(p, "\0asm", 4) != 0) return r_.fail("magic header not detected", p);
  if (!r_.bytes(4, p)) return false;
  if (std::memcmp(p, "\1\0\0\0", 4) != 0) return r_.fail("unknown binary version", p);
  return true;
}

bool Decoder::section(uint8_t id, const uint8_t* end) {
  switch (id) {
    case kCustom: return custom_section(end);
    case kType: return type_section();
    case kImport: return import_section();
    case kFunction: return function_section();
    case kTable: return table_section();
    case kMemory: return memory_section();
    case kGlobal: return global_section();
    case kExport: return export_section();
    case kStart: return start_section();
    case kElement: return element_section();
    case kCode: return code_section();
    case kData: return data_section();
    case kDataCount: return data_count_section();
  }
  return r_.fail("malformed section id");
}

bool Decoder::type_section() {
  uint32_t n{};
  if (!r_.u32(n)) return false;
  m_.types.reserve(reserve_bound(n, r_));
  for (uint32_t i = 0; i < n; ++i) {
    const uint8_t* at = r_.pos();
    int8_t form{};
    // The form is a 7-bit signed LEB: 0x60 is -0x20.
    if (!r_.sleb<7>(form)) return false;
    if (form != -0x20) {
      // Wasm 3.0's GC forms (types.hpp has their model): rec 0x4E, sub 0x50,
      // sub final 0x4F, struct 0x5F, array 0x5E.
      switch (uint8_t(form) & 0x7F) {
        case 0x4E: return r_.fail("recursive type groups (GC) not supported yet", at);
        case 0x50: case 0x4F: return r_.fail("subtypes (GC) not supported yet", at);
        case 0x5F: case 0x5E: return r_.fail("struct and array types (GC) not supported yet", at);
      }
      return r_.fail("malformed function type", at);
    }
    FuncType& ft = m_.types.emplace_back();  // in place: see function_section
    if (!val_types(ft.params) || !val_types(ft.results)) return false;
  }
  return true;
}

// vec(valtype): read one by one, so a bad type before the end of the
// section is reported as such, as the reference decoder does.
bool Decoder::val_types(std::vector<ValType>& out) {
  uint32_t n{};
  if (!r_.u32(n)) return false;
  out.reserve(reserve_bound(n, r_));
  for (uint32_t i = 0; i < n; ++i) {
    ValType t{};
    if (!r_.val_type(t)) return false;
    out.push_back(t);
  }
  return true;
}

bool Decoder::limits(Limits& l, uint64_t /*max_bound*/) {
  uint8_t flags{};
  // The flags byte is a 1-bit LEB in 2.0: 0x81 0x00 is "too long", 0x02
  // "too large". Flags of proposals wisp lacks say so (after the spec's
  // words, which the 2.0 suite matches).
  if (r_.remaining() && (*r_.pos() == 0x02 || *r_.pos() == 0x03))
    return r_.fail("integer too large: limits flags 0x02 and 0x03, shared memories (threads), are not supported", r_.pos());
  if (r_.remaining() && *r_.pos() >= 0x04 && *r_.pos() <= 0x07)
    return r_.fail("integer too large: limits flags 0x04 to 0x07, 64-bit memories and tables (memory64), are not supported yet", r_.pos());
  if (!r_.uleb<1>(flags)) return false;
  uint32_t v{};
  if (!r_.u32(v)) return false;
  l.min = v;
  l.has_max = flags & 1;
  if (l.has_max) {
    if (!r_.u32(v)) return false;
    l.max = v;
  }
  return true;
}

bool Decoder::table_type(TableType& t) {
  return r_.ref_type(t.elem) && limits(t.limits, kMaxTableSize);
}

bool Decoder::global_type(GlobalType& g) {
  if (!r_.val_type(g.type)) return false;
  const uint8_t* at = r_.pos();
  uint8_t mut{};
  if (!r_.u8(mut)) return false;
  if (mut > 1) return r_.fail("malformed mutability", at);
  g.mut = mut;
  return true;
}

bool Decoder::import_section() {
  uint32_t n{};
  if (!r_.u32(n)) return false;
  m_.imports.reserve(reserve_bound(n, r_));
  for (uint32_t i = 0; i < n; ++i) {
    Import im;
    if (!r_.name(im.module) || !r_.name(im.name)) return false;
    const uint8_t* at = r_.pos();
    uint8_t kind{};
    if (!r_.u8(kind)) return false;
    switch (kind) {
      case 0: {
        Function f;
        if (!r_.u32(f.type)) return false;
        f.imported = true;
        im.kind = ExternKind::Func;
        im.index = uint32_t(m_.funcs.size());
        m_.funcs.push_back(f);
        ++m_.num_imported_funcs;
        break;
      }
      case 1: {
        Table t;
        if (!table_type(t.type)) return false;
        t.imported = true;
        im.kind = ExternKind::Table;
        im.index = uint32_t(m_.tables.size());
        m_.tables.push_back(t);
        ++m_.num_imported_tables;
        break;
      }
      case 2: {
        Memory mem;
        if (!limits(mem.type.limits, kMaxPages32)) return false;
        mem.imported = true;
        im.kind = ExternKind::Memory;
        im.index = uint32_t(m_.memories.size());
        m_.memories.push_back(mem);
        ++m_.num_imported_memories;
        break;
      }
      case 3: {
        Global g;
        if (!global_type(g.type)) return false;
        g.imported = true;
        im.kind = ExternKind::Global;
        im.index = uint32_t(m_.globals.size());
        m_.globals.push_back(g);
        ++m_.num_imported_globals;
        break;
      }
      default:
        return r_.fail("malformed import kind", at);
    }
    m_.imports.push_back(im);
  }
  return true;
}

bool Decoder::function_section() {
  uint32_t n{};
  if (!r_.u32(n)) return false;
  saw_function_section_ = true;
  declared_funcs_ = n;
  m_.funcs.reserve(m_.funcs.size() + reserve_bound(n, r_));
  for (uint32_t i = 0; i < n; ++i) {
    // Read into place: a local copied in whole right after its 4-byte
    // field was written stalled on store forwarding.
    if (!r_.u32(m_.funcs.emplace_back().type)) return false;
  }
  return true;
}

bool Decoder::table_section() {
  uint32_t n{};
  if (!r_.u32(n)) return false;
  for (uint32_t i = 0; i < n; ++i) {
    Table t;
    if (!table_type(t.type)) return false;
    m_.tables.push_back(t);
  }
  return true;
}

bool Decoder::memory_section() {
  uint32_t n{};
  if (!r_.u32(n)) return false;
  for (uint32_t i = 0; i < n; ++i) {
    Memory mem;
    if (!limits(mem.type.limits, kMaxPages32)) return false;
    m_.memories.push_back(mem);
  }
  return true;
}

// Reads a constant expression up to its matching `end` (the body walker,
// syntax only). Which instructions are allowed is the validator's call.
bool Decoder::const_expr(ConstExpr& e) {
  const uint8_t* begin = r_.pos();
  if (!read_expr_syntax(m_, r_, nullptr)) return false;
  e.offset = off(begin);
  e.size = uint32_t(r_.pos() - begin);
  return true;
}

bool Decoder::global_section() {
  uint32_t n{};
  if (!r_.u32(n)) return false;
  m_.globals.reserve(m_.globals.size() + reserve_bound(n, r_));
  for (uint32_t i = 0; i < n; ++i) {
    Global& g = m_.globals.emplace_back();
    if (!global_type(g.type) || !const_expr(g.init)) return false;
  }
  return true;
}

bool Decoder::export_section() {
  uint32_t n{};
  if (!r_.u32(n)) return false;
  m_.exports.reserve(reserve_bound(n, r_));
  for (uint32_t i = 0; i < n; ++i) {
    Export& ex = m_.exports.emplace_back();  // in place: see function_section
    if (!r_.name(ex.name)) return false;
    const uint8_t* at = r_.pos();
    uint8_t kind{};
    if (!r_.u8(kind)) return false;
    if (kind > 3) return r_.fail("malformed export kind", at);
    ex.kind = static_cast<ExternKind>(kind);
    if (!r_.u32(ex.index)) return false;
  }
  return true;
}

bool Decoder::start_section() {
  uint32_t idx{};
  if (!r_.u32(idx)) return false;
  m_.start = idx;
  return true;
}

bool Decoder::element_section() {
  uint32_t n{};
  if (!r_.u32(n)) return false;
  m_.elems.reserve(reserve_bound(n, r_));
  for (uint32_t i = 0; i < n; ++i) {
    ElemSegment seg;
    const uint8_t* at = r_.pos();
    uint32_t flags{};
    if (!r_.u32(flags)) return false;
    if (flags > 7) return r_.fail("malformed elements segment kind", at);
    // Bit 0: passive/declarative; bit 1: explicit table (active) or
    // declarative (non-active); bit 2: expressions instead of indices.
    bool non_active = flags & 1;
    bool bit1 = flags & 2;
    seg.uses_exprs = flags & 4;
    seg.mode = non_active ? (bit1 ? SegmentMode::Declarative : SegmentMode::Passive)
                          : SegmentMode::Active;
    if (!non_active) {
      if (bit1 && !r_.u32(seg.table)) return false;
      if (!const_expr(seg.offset)) return false;
    }
    if (non_active || bit1) {
      if (seg.uses_exprs) {
        if (!r_.ref_type(seg.type)) return false;
      } else {
        const uint8_t* kat = r_.pos();
        uint8_t kind{};
        if (!r_.u8(kind)) return false;
        if (kind != 0) return r_.fail("malformed element kind", kat);
        seg.type = ValType::FuncRef;
      }
    }
    uint32_t count{};
    if (!r_.u32(count)) return false;
    if (seg.uses_exprs) {
      seg.exprs.reserve(reserve_bound(count, r_));
      for (uint32_t j = 0; j < count; ++j) {
        ConstExpr e;
        if (!const_expr(e)) return false;
        seg.exprs.push_back(e);
      }
    } else {
      seg.funcs.reserve(reserve_bound(count, r_));
      for (uint32_t j = 0; j < count; ++j) {
        uint32_t f{};
        if (!r_.u32(f)) return false;
        seg.funcs.push_back(f);
      }
    }
    m_.elems.push_back(std::move(seg));
  }
  return true;
}

bool Decoder::code_section() {
  saw_code_section_ = true;
  const uint8_t* at = r_.pos();
  uint32_t n{};
  if (!r_.u32(n)) return false;
  (void)at;
  code_count_ = n;
  // A count that disagrees with the function section is reported after the
  // whole module is read (a later section-order error takes precedence).
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t size{};
    if (!r_.length(size)) return false;
    // Index only within the declared functions: with more bodies than
    // declarations a walking pointer would step past the vector's end (or
    // off a null data() when there are no functions at all).
    if (i < declared_funcs_) {
      Function* f = &m_.funcs[m_.num_imported_funcs + i];
      f->body_offset = off(r_.pos());
      f->body_size = size;
    }
    const uint8_t* skip = nullptr;
    if (!r_.bytes(size, skip)) return false;
  }
  code_end_ = r_.offset();
  return true;
}

bool Decoder::data_section() {
  uint32_t n{};
  if (!r_.u32(n)) return false;
  m_.datas.reserve(reserve_bound(n, r_));
  for (uint32_t i = 0; i < n; ++i) {
    DataSegment seg;
    const uint8_t* at = r_.pos();
    uint32_t flags{};
    if (!r_.u32(flags)) return false;
    if (flags > 2) return r_.fail("malformed data segment kind", at);
    if (flags == 1) {
      seg.mode = SegmentMode::Passive;
    } else {
      seg.mode = SegmentMode::Active;
      if (flags == 2 && !r_.u32(seg.memory)) return false;
      if (!const_expr(seg.offset)) return false;
    }
    uint32_t size{};
    if (!r_.payload_length(size)) return false;
    seg.data_offset = off(r_.pos());
    seg.data_size = size;
    const uint8_t* skip = nullptr;
    if (!r_.bytes(size, skip)) return false;
    m_.datas.push_back(seg);
  }
  return true;
}

bool Decoder::data_count_section() {
  if (!r_.u32(m_.data_count)) return false;
  m_.has_data_count = true;
  return true;
}

bool Decoder::custom_section(const uint8_t* end) {
  CustomSection cs;
  if (!r_.name(cs.name)) return false;
  cs.offset = off(r_.pos());
  cs.size = uint32_t(end - r_.pos());
  m_.customs.push_back(cs);
  if (cs.name == "name") name_section(r_.pos(), end);
  r_.set_pos(end);
  return true;
}

// The name section is advisory: a malformed one is ignored, never an error
// (as the spec's appendix says).
void Decoder::name_section(const uint8_t* begin, const uint8_t* end) {
  Reader r(m_.bytes, begin, end);
  std::vector<NameEntry> funcs;
  std::string_view module_name;
  uint8_t last_id = 0;
  bool first = true;
  while (!r.at_end()) {
    uint8_t id{};
    uint32_t size{};
    if (!r.u8(id) || !r.length(size)) return;
    if (!first && id <= last_id) return;
    first = false;
    last_id = id;
    const uint8_t* sub_end = r.pos() + size;
    Reader s(m_.bytes, r.pos(), sub_end);
    if (id == 0) {
      if (!s.name(module_name)) return;
    } else if (id == 1) {
      uint32_t n{};
      if (!s.u32(n)) return;
      funcs.reserve(reserve_bound(n, s));
      for (uint32_t i = 0; i < n; ++i) {
        NameEntry e;
        if (!s.u32(e.index) || !s.name(e.name)) return;
        if (!funcs.empty() && e.index <= funcs.back().index) return;
        funcs.push_back(e);
      }
    }
    r.set_pos(sub_end);
  }
  m_.name = module_name;
  m_.func_names = std::move(funcs);
}

// Decodes into the Module inside `r` and leaves the error there instead if
// it fails. The Module is built in place and returned by NRVO: moving it
// (once into a helper, once out of it, once into the Result) was a fifth
// of decoding a tiny module.
void decode_into(Result<Module>& r) {
  Module& m = r.value();
  Decoder d(m);
  Status s = d.run();
  if (s.ok()) return;
  // Bodies are only delimited here, but the reference decoder reads them
  // in place: a malformed body before the error wins.
  if (d.code_end() && s.error().offset >= d.code_end()) {
    if (auto e = find_malformed_body(m)) return r.set_error(std::move(*e));
  }
  r.set_error(s.take_error());
}

}  // namespace

Result<Module> decode(std::vector<uint8_t> bytes) {
  Result<Module> r(std::in_place);
  Module& m = r.value();
  m.owned = std::move(bytes);
  m.bytes = m.owned.data();
  m.size = m.owned.size();
  decode_into(r);
  return r;
}

Result<Module> decode_borrowed(const uint8_t* data, size_t size) {
  Result<Module> r(std::in_place);
  Module& m = r.value();
  m.bytes = data;
  m.size = size;
  decode_into(r);
  return r;
}

std::string_view Module::func_name(uint32_t func) const {
  auto it = std::lower_bound(func_names.begin(), func_names.end(), func,
                             [](const NameEntry& e, uint32_t f) { return e.index < f; });
  if (it != func_names.end() && it->index == func) return it->name;
  for (const Export& e : exports)
    if (e.kind == ExternKind::Func && e.index == func) return e.name;
  return {};
}

}  // namespace wisp
