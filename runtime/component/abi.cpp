// The synchronous canonical ABI for calls into a component's exports
// (instance.hpp): component values lowered into core values and linear
// memory, core results lifted back, as CanonicalABI.md's definitions.py
// does it (lower_flat, lift_flat, store, load; strings in UTF-8, UTF-16 or
// latin1+utf16 as the function's string-encoding option says).
// Every rule a callee can break is a Trap error naming the function.
#include <cmath>
#include <cstring>

#include "runtime/component/instance.hpp"
#include "runtime/valid/validator.hpp"
#include "runtime/vm/instances.hpp"
#include "runtime/wasm/reader.hpp"

namespace wisp::component {

namespace {

using abi::Flat;
using CoreVal = wisp::Value;

using abi::cases_of;
using abi::fields_of;
using abi::is_variant;

Value::Kind kind_of(const Type& t) {
  switch (t.kind) {
    case Type::Record: return Value::Record;
    case Type::Tuple: return Value::Tuple;
    case Type::Variant: return Value::Variant;
    case Type::Enum: return Value::Enum;
    case Type::Option: return Value::Option;
    case Type::Result: return Value::Result;
    case Type::Flags: return Value::Flags;
    case Type::Own: return Value::Own;
    case Type::Borrow: return Value::Borrow;
    default: return Value::List;
  }
}

CoreVal core(Flat f, uint64_t bits) {
  switch (f) {
    case Flat::I32: return CoreVal::i32(uint32_t(bits));
    case Flat::I64: return CoreVal::i64(bits);
    case Flat::F32: return CoreVal::f32_bits(uint32_t(bits));
    case Flat::F64: return CoreVal::f64_bits(bits);
  }
  return CoreVal::i32(0);
}
uint64_t bits_of(const CoreVal& v) { return v.type == wisp::ValType::I32 || v.type == wisp::ValType::F32 ? v.bits.u32 : v.bits.u64; }

uint32_t align_to(uint32_t n, uint32_t a) { return (n + a - 1) / a * a; }

class Abi {
 public:
  Abi(Store& store, const LiftedFunc& f) : store_(store), f_(f) {}
  bool failed() const { return failed_; }
  Error error() const { return error_; }

  bool trap(const std::string& rule) {
    if (!failed_) {
      failed_ = true;
      error_ = make_error(ErrorKind::Trap, "component function `" + f_.name + "`: " + rule);
    }
    return false;
  }

  // A value (from the host) whose shape is not its type's: a component
  // that declared an import with another type than the host implements.
  bool shape_mismatch() { return trap("a value does not match its type (an import of another type than the host's?)"); }

  // [ptr, ptr+len) of the function's memory, or null (trapped).
  uint8_t* bytes(uint64_t ptr, uint64_t len) {
    if (!f_.memory) return trap("a value in memory needs the `memory` option"), nullptr;
    const LinearMemory& m = f_.memory->mem;
    if (ptr > m.size() || len > m.size() - ptr) return trap("pointer out of bounds of memory"), nullptr;
    return m.base() + ptr;
  }
  bool aligned(uint32_t ptr, uint32_t align) {
    return ptr % align == 0 || trap("pointer " + std::to_string(ptr) + " not aligned to " + std::to_string(align));
  }
  // Memory from the callee's realloc(0, 0, align, size).
  bool alloc(uint32_t align, uint32_t size, uint32_t& out) {
    if (!f_.realloc) return trap("a value in memory needs the `realloc` option");
    CallResult r = store_.call(f_.realloc, {CoreVal::i32(0), CoreVal::i32(0), CoreVal::i32(align), CoreVal::i32(size)});
    if (auto* t = std::get_if<Trap>(&r)) return trap("realloc trapped: " + t->message);
    out = std::get<std::vector<CoreVal>>(r)[0].bits.u32;
    return aligned(out, align) && bytes(out, size) != nullptr;
  }

  // ---- lowering ----
  void lower_flat(const Value& v, const ValType& t, std::vector<CoreVal>& out, const abi::Types& ts) {
    const abi::Resolved ty = abi::resolve(t, ts);
    if (ty.is_prim) {
      switch (ty.prim) {
        case Prim::S64: case Prim::U64: out.push_back(CoreVal::i64(v.bits)); return;
        case Prim::F32: out.push_back(CoreVal::f32(float(v.real))); return;
        case Prim::F64: out.push_back(CoreVal::f64(v.real)); return;
        case Prim::String: {
          uint32_t ptr = 0, units = 0;
          if (!store_string(v.text, ptr, units)) return;
          out.push_back(CoreVal::i32(ptr));
          out.push_back(CoreVal::i32(units));
          return;
        }
        default: out.push_back(CoreVal::i32(uint32_t(v.bits))); return;
      }
    }
    if (!ty.def) {
      trap("a value of a type not known here");
      return;
    }
    const Type& d = *ty.def;
    const abi::Types& in = *ty.scope;  // d's own indices
    switch (d.kind) {
      case Type::List: {
        uint32_t ptr = 0;
        if (abi::is_byte_list(d, in)) {
          if (!alloc(1, uint32_t(v.text.size()), ptr)) return;
          std::memcpy(bytes(ptr, v.text.size()), v.text.data(), v.text.size());
          out.push_back(CoreVal::i32(ptr));
          out.push_back(CoreVal::i32(uint32_t(v.text.size())));
          return;
        }
        const uint32_t size = abi::elem_size(*d.a, in), align = abi::alignment(*d.a, in);
        if (!alloc(align, uint32_t(v.items.size()) * size, ptr)) return;
        for (size_t i = 0; i < v.items.size() && !failed_; ++i) store(v.items[i], *d.a, ptr + uint32_t(i) * size, in);
        out.push_back(CoreVal::i32(ptr));
        out.push_back(CoreVal::i32(uint32_t(v.items.size())));
        return;
      }
      case Type::Record:
      case Type::Tuple: {
        const auto fs = fields_of(d);
        if (v.items.size() != fs.size()) return void(shape_mismatch());
        for (size_t i = 0; i < fs.size(); ++i) lower_flat(v.items[i], *fs[i], out, in);
        return;
      }
      case Type::Flags: out.push_back(CoreVal::i32(uint32_t(v.bits))); return;
      case Type::Own:
      case Type::Borrow: {
        // A resource into the instance's table: owned from now on by the
        // component, or lent for the call (CanonicalABI.md, lower_own and
        // lower_borrow). A borrow of a resource the instance implements
        // itself is its rep, no handle.
        const Type* res = resource_of(d, in);
        if (!res) return;
        if (d.kind == Type::Borrow && f_.owner->implements(res)) {
          out.push_back(CoreVal::i32(uint32_t(v.bits)));
          return;
        }
        const uint32_t index = f_.owner->add_handle(res, uint32_t(v.bits), d.kind == Type::Own);
        if (d.kind == Type::Borrow) {
          f_.owner->handle(index, res)->scope = scope_;
          lent_.push_back(index);
        }
        out.push_back(CoreVal::i32(index));
        return;
      }
      default: break;
    }
    if (!is_variant(d)) {
      trap("this type cannot be passed yet");
      return;
    }
    // The discriminant, then the case's payload coerced into the joined
    // flat types, the rest zero.
    const std::vector<Flat>& joined = abi::flat_of(t, ts);
    const auto cs = cases_of(d);
    if (v.index >= cs.size()) return void(shape_mismatch());
    out.push_back(CoreVal::i32(v.index));
    std::vector<CoreVal> payload;
    if (v.index < cs.size() && cs[v.index] && !v.items.empty()) lower_flat(v.items[0], *cs[v.index], payload, in);
    for (size_t i = 1; i < joined.size(); ++i) {
      if (i - 1 >= payload.size()) {
        out.push_back(core(joined[i], 0));
        continue;
      }
      const CoreVal& p = payload[i - 1];
      out.push_back(core(joined[i], bits_of(p)));  // f32 bits in an i32 or i64, i32 zero-extended
    }
  }

  void store(const Value& v, const ValType& t, uint32_t ptr, const abi::Types& ts) {
    if (failed_) return;
    const uint32_t size = abi::elem_size(t, ts);
    if (!aligned(ptr, abi::alignment(t, ts))) return;
    uint8_t* p = bytes(ptr, size);
    if (!p) return;
    const abi::Resolved ty = abi::resolve(t, ts);
    if (ty.is_prim) {
      if (ty.prim == Prim::F32) {
        const float f = float(v.real);
        std::memcpy(p, &f, 4);
      } else if (ty.prim == Prim::F64) {
        std::memcpy(p, &v.real, 8);
      } else if (ty.prim == Prim::String) {
        std::vector<CoreVal> pl;
        lower_flat(v, t, pl, ts);
        if (failed_) return;
        p = bytes(ptr, 8);  // memory may have grown
        uint32_t w[2] = {pl[0].bits.u32, pl[1].bits.u32};
        std::memcpy(p, w, 8);
      } else {
        std::memcpy(p, &v.bits, size);  // little-endian: the low bytes
      }
      return;
    }
    if (!ty.def) {
      trap("a value of a type not known here");
      return;
    }
    const Type& d = *ty.def;
    const abi::Types& in = *ty.scope;
    switch (d.kind) {
      case Type::List: {
        std::vector<CoreVal> pl;
        lower_flat(v, t, pl, ts);
        if (failed_) return;
        uint32_t w[2] = {pl[0].bits.u32, pl[1].bits.u32};
        std::memcpy(bytes(ptr, 8), w, 8);
        return;
      }
      case Type::Record:
      case Type::Tuple: {
        uint32_t off = 0;
        const auto fs = fields_of(d);
        if (v.items.size() != fs.size()) return void(shape_mismatch());
        for (size_t i = 0; i < fs.size(); ++i) {
          off = align_to(off, abi::alignment(*fs[i], in));
          store(v.items[i], *fs[i], ptr + off, in);
          off += abi::elem_size(*fs[i], in);
        }
        return;
      }
      case Type::Flags: std::memcpy(p, &v.bits, size); return;
      case Type::Own:
      case Type::Borrow: {
        std::vector<CoreVal> h;
        lower_flat(v, t, h, ts);
        if (!failed_) std::memcpy(bytes(ptr, 4), &h[0].bits.u32, 4);
        return;
      }
      default: break;
    }
    if (!is_variant(d)) {
      trap("this type cannot be passed yet");
      return;
    }
    const auto cs = cases_of(d);
    if (v.index >= cs.size()) return void(shape_mismatch());
    const uint32_t disc = abi::discriminant_size(cs.size());
    std::memcpy(p, &v.index, disc);
    uint32_t max_align = 1;
    for (const ValType* c : cs)
      if (c) max_align = std::max(max_align, abi::alignment(*c, in));
    if (v.index < cs.size() && cs[v.index] && !v.items.empty())
      store(v.items[0], *cs[v.index], ptr + align_to(disc, max_align), in);
  }

  // ---- lifting ----
  Value lift_flat(const ValType& t, const std::vector<CoreVal>& vals, size_t& i, const abi::Types& ts) {
    Value v;
    auto next = [&]() -> CoreVal {
      if (i < vals.size()) return vals[i++];
      trap("too few core results");
      return CoreVal::i32(0);
    };
    const abi::Resolved ty = abi::resolve(t, ts);
    if (ty.is_prim) {
      v.kind = Value::Kind(unsigned(ty.prim));
      const CoreVal c = ty.prim == Prim::String ? CoreVal::i32(0) : next();
      switch (ty.prim) {
        case Prim::Bool: v.bits = c.bits.u32 != 0; break;
        case Prim::S8: v.bits = uint64_t(int64_t(int8_t(c.bits.u32))); break;
        case Prim::U8: v.bits = uint8_t(c.bits.u32); break;
        case Prim::S16: v.bits = uint64_t(int64_t(int16_t(c.bits.u32))); break;
        case Prim::U16: v.bits = uint16_t(c.bits.u32); break;
        case Prim::S32: v.bits = uint64_t(int64_t(int32_t(c.bits.u32))); break;
        case Prim::U32: v.bits = c.bits.u32; break;
        case Prim::S64: case Prim::U64: v.bits = c.bits.u64; break;
        case Prim::F32: v.real = c.bits.f32; break;
        case Prim::F64: v.real = c.bits.f64; break;
        case Prim::Char:
          v.bits = c.bits.u32;
          if (v.bits > 0x10FFFF || (v.bits >= 0xD800 && v.bits <= 0xDFFF)) trap("invalid char");
          break;
        case Prim::String: {
          const uint32_t ptr = next().bits.u32, len = next().bits.u32;
          v.text = lift_string(ptr, len);
          break;
        }
        case Prim::ErrorContext: trap("error-context is not supported"); break;
      }
      return v;
    }
    if (!ty.def) {
      trap("a value of a type not known here");
      return v;
    }
    const Type& d = *ty.def;
    const abi::Types& in = *ty.scope;
    v.kind = kind_of(d);
    switch (d.kind) {
      case Type::List: {
        const uint32_t ptr = next().bits.u32, n = next().bits.u32;
        lift_list(*d.a, ptr, n, v, in);
        return v;
      }
      case Type::Record:
      case Type::Tuple:
        for (const ValType* f : fields_of(d)) v.items.push_back(lift_flat(*f, vals, i, in));
        return v;
      case Type::Flags: v.bits = next().bits.u32; return v;
      case Type::Own:
      case Type::Borrow: {
        // A handle of the instance's table out to the host: an own one
        // leaves the table (its resource goes with it), a borrow stays.
        const Type* res = resource_of(d, in);
        const uint32_t index = next().bits.u32;
        if (!res) return v;
        ComponentInstance::Handle* h = f_.owner->handle(index, res);
        if (!h) {
          trap("unknown handle " + std::to_string(index) + " (or one of another resource type)");
          return v;
        }
        v.bits = h->rep;
        if (d.kind == Type::Own) {
          if (!h->own) {
            trap("handle " + std::to_string(index) + " is borrowed: it cannot be passed as own");
          } else if (h->lends) {
            trap("handle " + std::to_string(index) + " has borrows still out");
          } else {
            f_.owner->remove_handle(index);
          }
        }
        return v;
      }
      default: break;
    }
    if (!is_variant(d)) {
      trap("this type cannot be returned yet");
      return v;
    }
    const std::vector<Flat>& joined = abi::flat_of(t, ts);
    const auto cs = cases_of(d);
    v.index = next().bits.u32;
    if (v.index >= cs.size()) {
      trap("variant discriminant " + std::to_string(v.index) + " out of range");
      return v;
    }
    const size_t payload_start = i;
    if (cs[v.index]) {
      const std::vector<Flat>& own = abi::flat_of(*cs[v.index], in);
      std::vector<CoreVal> coerced;  // the joined values back in the case's own types
      for (size_t k = 0; k < own.size() && payload_start + k < vals.size(); ++k)
        coerced.push_back(core(own[k], bits_of(vals[payload_start + k])));
      size_t j = 0;
      v.items.push_back(lift_flat(*cs[v.index], coerced, j, in));
    }
    i = payload_start + (joined.size() - 1);
    return v;
  }

  // The resource an own or borrow type refers to (its identity).
  const Type* resource_of(const Type& handle, const abi::Types& ts) {
    const Type* r = handle.idx < ts.size() ? ts[handle.idx] : nullptr;
    if (!r || r->kind != Type::Resource) return trap("a handle of an unknown resource type"), nullptr;
    if (!f_.owner) return trap("no handle table here"), nullptr;
    return r;
  }
  // Borrows lent to the callee for this call (their handles carry scope),
  // to be dropped before it returns.
  const std::vector<uint32_t>& lent() const { return lent_; }
  void set_scope(uint32_t scope) { scope_ = scope; }

  // A string out of memory in the function's encoding (CanonicalABI.md,
  // load_string): UTF-8 bytes; UTF-16 code units; or, for latin1+utf16,
  // Latin-1 bytes unless the top bit of the length tags UTF-16 units.
  std::string lift_string(uint32_t ptr, uint32_t tagged) {
    const CanonOptions::Encoding enc = f_.opts.encoding;
    bool utf16 = enc == CanonOptions::Utf16;
    uint32_t units = tagged;
    if (enc == CanonOptions::Latin1Utf16 && (tagged & kUtf16Tag)) {
      utf16 = true;
      units = tagged ^ kUtf16Tag;
    }
    const uint64_t size = utf16 ? uint64_t(units) * 2 : units;
    if (size > kMaxStringBytes) return trap("string longer than 2^31-1 bytes"), std::string();
    if (enc != CanonOptions::Utf8 && !aligned(ptr, 2)) return {};
    const uint8_t* p = bytes(ptr, size);
    if (!p) return {};
    std::string out;
    if (enc == CanonOptions::Utf8) {
      if (!valid_utf8(p, units)) return trap("string is not valid UTF-8"), std::string();
      return std::string(reinterpret_cast<const char*>(p), units);
    }
    if (!utf16) {  // Latin-1: each byte its code point
      for (uint32_t i = 0; i < units; ++i) append_utf8(p[i], out);
      return out;
    }
    for (uint32_t i = 0; i < units; ++i) {
      uint32_t c = p[2 * i] | uint32_t(p[2 * i + 1]) << 8;
      if (c >= 0xD800 && c < 0xDC00 && i + 1 < units) {
        const uint32_t lo = p[2 * i + 2] | uint32_t(p[2 * i + 3]) << 8;
        if (lo >= 0xDC00 && lo < 0xE000) {
          c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
          ++i;
        }
      }
      if (c >= 0xD800 && c < 0xE000) return trap("string is not valid UTF-16 (an unpaired surrogate)"), std::string();
      append_utf8(c, out);
    }
    return out;
  }

  // A host (UTF-8) string into memory from realloc in the function's
  // encoding (CanonicalABI.md, store_string): the pointer and the (tagged)
  // length in code units. Over-allocates for the worst case and shrinks.
  bool store_string(const std::string& s, uint32_t& ptr, uint32_t& units) {
    if (s.size() > kMaxStringBytes) return trap("string longer than 2^31-1 bytes");
    const uint32_t n = uint32_t(s.size());
    const CanonOptions::Encoding enc = f_.opts.encoding;
    if (enc == CanonOptions::Utf8) {
      if (!alloc(1, n, ptr)) return false;
      std::memcpy(bytes(ptr, n), s.data(), n);
      units = n;
      return true;
    }
    std::vector<uint32_t> cps;  // the code points (s is valid UTF-8: host strings are)
    for (size_t i = 0; i < s.size();) {
      const unsigned char c = static_cast<unsigned char>(s[i]);
      const int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
      uint32_t cp = len == 1 ? c : c & (0x7F >> len);
      for (int k = 1; k < len && i + size_t(k) < s.size(); ++k) cp = cp << 6 | (s[i + size_t(k)] & 0x3F);
      cps.push_back(cp);
      i += size_t(len);
    }
    bool latin1 = enc == CanonOptions::Latin1Utf16;
    if (latin1)
      for (uint32_t cp : cps) latin1 = latin1 && cp < 0x100;
    if (latin1) {
      if (!alloc(2, n, ptr)) return false;
      uint8_t* p = bytes(ptr, cps.size());
      for (size_t i = 0; i < cps.size(); ++i) p[i] = uint8_t(cps[i]);
      units = uint32_t(cps.size());
      return shrink(ptr, n, units);
    }
    std::vector<uint16_t> u16;
    for (uint32_t cp : cps) {
      if (cp < 0x10000) {
        u16.push_back(uint16_t(cp));
      } else {
        u16.push_back(uint16_t(0xD800 + ((cp - 0x10000) >> 10)));
        u16.push_back(uint16_t(0xDC00 + ((cp - 0x10000) & 0x3FF)));
      }
    }
    if (uint64_t(n) * 2 > kMaxStringBytes) return trap("string longer than 2^31-1 bytes");
    if (!alloc(2, 2 * n, ptr)) return false;
    uint8_t* p = bytes(ptr, 2 * u16.size());
    for (size_t i = 0; i < u16.size(); ++i) {
      p[2 * i] = uint8_t(u16[i]);
      p[2 * i + 1] = uint8_t(u16[i] >> 8);
    }
    units = uint32_t(u16.size());
    if (!shrink(ptr, 2 * n, 2 * units)) return false;
    if (enc == CanonOptions::Latin1Utf16) units |= kUtf16Tag;
    return true;
  }
  // realloc(ptr, old, 2, size) when the worst case was not needed.
  bool shrink(uint32_t& ptr, uint32_t old_size, uint32_t size) {
    if (size == old_size) return true;
    CallResult r = store_.call(f_.realloc, {CoreVal::i32(ptr), CoreVal::i32(old_size), CoreVal::i32(2),
                                            CoreVal::i32(size)});
    if (auto* t = std::get_if<Trap>(&r)) return trap("realloc trapped: " + t->message);
    ptr = std::get<std::vector<CoreVal>>(r)[0].bits.u32;
    return aligned(ptr, 2) && bytes(ptr, size) != nullptr;
  }
  static constexpr uint32_t kUtf16Tag = 1u << 31;
  static constexpr uint64_t kMaxStringBytes = (1u << 31) - 1;

  void lift_list(const ValType& elem, uint32_t ptr, uint32_t n, Value& v, const abi::Types& ts) {
    const uint32_t size = abi::elem_size(elem, ts);
    if (!aligned(ptr, abi::alignment(elem, ts)) || !bytes(ptr, uint64_t(n) * size)) return;
    const abi::Resolved e = abi::resolve(elem, ts);
    if (e.is_prim && e.prim == Prim::U8) {  // list<u8>: one block into text
      v.text.assign(reinterpret_cast<const char*>(bytes(ptr, n)), n);
      return;
    }
    for (uint32_t k = 0; k < n && !failed_; ++k) v.items.push_back(load(elem, ptr + k * size, ts));
  }

  Value load(const ValType& t, uint32_t ptr, const abi::Types& ts) {
    Value v;
    const uint32_t size = abi::elem_size(t, ts);
    if (!aligned(ptr, abi::alignment(t, ts))) return v;
    const uint8_t* p = bytes(ptr, size);
    if (!p) return v;
    const abi::Resolved ty = abi::resolve(t, ts);
    if (ty.is_prim) {
      std::vector<CoreVal> flat;
      if (ty.prim == Prim::String) {
        uint32_t w[2];
        std::memcpy(w, p, 8);
        flat = {CoreVal::i32(w[0]), CoreVal::i32(w[1])};
      } else if (ty.prim == Prim::S64 || ty.prim == Prim::U64 || ty.prim == Prim::F64) {
        uint64_t x;
        std::memcpy(&x, p, 8);
        flat = {ty.prim == Prim::F64 ? CoreVal::f64_bits(x) : CoreVal::i64(x)};
      } else {
        uint32_t x = 0;
        std::memcpy(&x, p, size);
        flat = {ty.prim == Prim::F32 ? CoreVal::f32_bits(x) : CoreVal::i32(x)};
      }
      size_t i = 0;
      return lift_flat(t, flat, i, ts);
    }
    if (!ty.def) {
      trap("a value of a type not known here");
      return v;
    }
    const Type& d = *ty.def;
    const abi::Types& in = *ty.scope;
    v.kind = kind_of(d);
    switch (d.kind) {
      case Type::List: {
        uint32_t w[2];
        std::memcpy(w, p, 8);
        lift_list(*d.a, w[0], w[1], v, in);
        return v;
      }
      case Type::Record:
      case Type::Tuple: {
        uint32_t off = 0;
        for (const ValType* f : fields_of(d)) {
          off = align_to(off, abi::alignment(*f, in));
          v.items.push_back(load(*f, ptr + off, in));
          off += abi::elem_size(*f, in);
        }
        return v;
      }
      case Type::Flags: std::memcpy(&v.bits, p, size); return v;
      case Type::Own:
      case Type::Borrow: {
        uint32_t index = 0;
        std::memcpy(&index, p, 4);
        const std::vector<CoreVal> h = {CoreVal::i32(index)};
        size_t i = 0;
        return lift_flat(t, h, i, ts);
      }
      default: break;
    }
    if (!is_variant(d)) {
      trap("this type cannot be returned yet");
      return v;
    }
    const auto cs = cases_of(d);
    const uint32_t disc = abi::discriminant_size(cs.size());
    std::memcpy(&v.index, p, disc);
    if (v.index >= cs.size()) {
      trap("variant discriminant " + std::to_string(v.index) + " out of range");
      return v;
    }
    uint32_t max_align = 1;
    for (const ValType* c : cs)
      if (c) max_align = std::max(max_align, abi::alignment(*c, in));
    if (cs[v.index]) v.items.push_back(load(*cs[v.index], ptr + align_to(disc, max_align), in));
    return v;
  }

 private:
  Store& store_;
  const LiftedFunc& f_;
  bool failed_ = false;
  Error error_;
  std::vector<uint32_t> lent_;
  uint32_t scope_ = 0;
};

// What a `canon lower` trampoline needs: the import, its core signature,
// and the options as a LiftedFunc (an Abi's view of its side).
struct LoweredImport {
  Store* store = nullptr;  // (HostContext::store is null when no wasm code is the caller)
  LiftedFunc site;
  const HostFunc* host = nullptr;
  std::shared_ptr<const InstanceCache::Lowered> lowered;  // the core signature
};

CoreVal from_slot(const Slot& s, Flat f) { return core(f, f == Flat::I32 || f == Flat::F32 ? s.u32 : s.u64); }

// The host side of a lowered call: the core arguments lifted into
// component values (from memory past 16 flat ones), the host function
// called, its result lowered (into the return pointer past one flat value).
TrapKind lowered_call(HostContext& ctx, Slot* args) {
  auto* li = static_cast<LoweredImport*>(ctx.data);
  const Type& ft = *li->site.type;
  const abi::Types& ts = *li->site.types;
  Abi abi(*li->store, li->site);
  std::vector<CoreVal> in;
  const abi::CoreSignature& sig = li->lowered->sig;
  for (size_t k = 0; k < sig.params.size(); ++k) in.push_back(from_slot(args[k], sig.params[k]));
  std::vector<Value> vals;
  if (sig.params_in_memory) {
    uint32_t off = 0;
    for (const Field& p : ft.fields) {
      off = align_to(off, abi::alignment(p.type, ts));
      vals.push_back(abi.load(p.type, in[0].bits.u32 + off, ts));
      off += abi::elem_size(p.type, ts);
    }
  } else {
    size_t i = 0;
    for (const Field& p : ft.fields) vals.push_back(abi.lift_flat(p.type, in, i, ts));
  }
  if (abi.failed()) {
    ctx.message = abi.error().message;
    return TrapKind::HostError;
  }
  auto r = (*li->host)(vals);
  if (!r.ok()) {
    ctx.message = "import `" + li->site.name + "`: " + r.error().message;
    return TrapKind::HostError;
  }
  if (ft.result) {
    if (r.value().empty()) {
      ctx.message = "import `" + li->site.name + "` returned no value";
      return TrapKind::HostError;
    }
    if (sig.results_in_memory) {
      abi.store(r.value()[0], *ft.result, in.back().bits.u32, ts);
    } else {
      std::vector<CoreVal> out;
      abi.lower_flat(r.value()[0], *ft.result, out, ts);
      if (!out.empty()) args[0].u64 = bits_of(out[0]);
    }
    if (abi.failed()) {
      ctx.message = abi.error().message;
      return TrapKind::HostError;
    }
  }
  return TrapKind::None;
}

wisp::ValType core_type_of(Flat f) {
  switch (f) {
    case Flat::I32: return wisp::ValType::I32;
    case Flat::I64: return wisp::ValType::I64;
    case Flat::F32: return wisp::ValType::F32;
    case Flat::F64: return wisp::ValType::F64;
  }
  return wisp::ValType::I32;
}

}  // namespace

std::shared_ptr<const InstanceCache::Lowered> ComponentInstance::lowered_signature(const ComponentFunc& f) {
  auto l = std::make_shared<InstanceCache::Lowered>();
  l->sig = abi::flatten_func(*f.type, *f.types, true);
  for (Flat p : l->sig.params) l->core_type.params.push_back(core_type_of(p));
  for (Flat r : l->sig.results) l->core_type.results.push_back(core_type_of(r));
  l->type_id = canonical_type_id(l->core_type);
  return l;
}

FuncInst* ComponentInstance::lower(const ComponentFunc& f, const CanonOptions& opts, MemoryInst* memory,
                                   FuncInst* realloc, std::shared_ptr<const InstanceCache::Lowered> sig) {
  auto owned = std::make_shared<LoweredImport>();
  keep_.push_back(owned);
  LoweredImport* li = owned.get();
  li->store = &store_;
  li->site.owner = this;
  li->site.name = f.import_name;
  li->site.type = f.type;
  li->site.types = f.types;
  li->site.opts = opts;
  li->site.memory = memory;
  li->site.realloc = realloc;
  li->host = f.host;
  li->lowered = std::move(sig);
  return store_.host_func(li->lowered->core_type, li->lowered->type_id, &lowered_call, li, f.import_name);
}

ComponentInstance::~ComponentInstance() = default;

// ---- handles -------------------------------------------------------------------

uint32_t ComponentInstance::add_handle(const Type* resource, uint32_t rep, bool own) {
  uint32_t i;
  if (!free_handles_.empty()) {
    i = free_handles_.back();
    free_handles_.pop_back();
  } else {
    i = uint32_t(handles_.size());
    handles_.emplace_back();
  }
  handles_[i] = Handle{resource, rep, own, 0, 0};
  return i;
}

ComponentInstance::Handle* ComponentInstance::handle(uint32_t index, const Type* resource) {
  if (index == 0 || index >= handles_.size() || !handles_[index].resource) return nullptr;
  if (resource && handles_[index].resource != resource) return nullptr;
  return &handles_[index];
}

void ComponentInstance::remove_handle(uint32_t index) {
  if (index == 0 || index >= handles_.size() || !handles_[index].resource) return;
  handles_[index] = Handle{};
  free_handles_.push_back(index);
}

size_t ComponentInstance::live_handles() const {
  size_t n = 0;
  for (const Handle& h : handles_) n += h.resource != nullptr;
  return n;
}

namespace {

struct ResourceBuiltin {
  ComponentInstance* ci = nullptr;
  Store* store = nullptr;
  Canon::Kind kind{};
  const Type* type = nullptr;
  FuncInst* dtor = nullptr;
  const HostFunc* host_drop = nullptr;
  std::string name;
  FuncType core_type;
};

TrapKind resource_call(HostContext& ctx, Slot* args) {
  auto* rb = static_cast<ResourceBuiltin*>(ctx.data);
  if (rb->kind == Canon::ResourceNew) {
    args[0].u64 = rb->ci->add_handle(rb->type, args[0].u32, true);
    return TrapKind::None;
  }
  const uint32_t index = args[0].u32;
  ComponentInstance::Handle* h = rb->ci->handle(index, rb->type);
  if (!h) {
    ctx.message = rb->name + ": unknown handle " + std::to_string(index) + " (or one of another resource type)";
    return TrapKind::HostError;
  }
  if (rb->kind == Canon::ResourceRep) {
    args[0].u64 = h->rep;
    return TrapKind::None;
  }
  // resource.drop: an own handle's resource is destroyed too.
  if (h->own && h->lends) {
    ctx.message = rb->name + ": handle " + std::to_string(index) + " has borrows still out";
    return TrapKind::HostError;
  }
  const bool own = h->own;
  const uint32_t rep = h->rep;
  rb->ci->remove_handle(index);
  if (!own) return TrapKind::None;
  if (rb->dtor) {
    CallResult r = rb->store->call(rb->dtor, {CoreVal::i32(rep)});
    if (auto* t = std::get_if<Trap>(&r)) {
      ctx.message = rb->name + ": destructor trapped: " + t->message;
      return TrapKind::HostError;
    }
  } else if (rb->host_drop) {
    Value v;
    v.kind = Value::U32;
    v.bits = rep;
    auto r = (*rb->host_drop)({v});
    if (!r.ok()) {
      ctx.message = rb->name + ": " + r.error().message;
      return TrapKind::HostError;
    }
  }
  return TrapKind::None;
}

}  // namespace

FuncInst* ComponentInstance::resource_builtin(Canon::Kind kind, const Type* t, FuncInst* dtor,
                                              const HostFunc* host_drop, std::string name) {
  auto rb = std::make_shared<ResourceBuiltin>();
  keep_.push_back(rb);
  rb->ci = this;
  rb->store = &store_;
  rb->kind = kind;
  rb->type = t;
  rb->dtor = dtor;
  rb->host_drop = host_drop;
  rb->name = std::move(name);
  rb->core_type.params = {wisp::ValType::I32};
  if (kind != Canon::ResourceDrop) rb->core_type.results = {wisp::ValType::I32};
  return store_.host_func(rb->core_type, &resource_call, rb.get(), rb->name);
}

Result<std::vector<Value>> ComponentInstance::call(const LiftedFunc& f, const std::vector<Value>& args) {
  const Type& ft = *f.type;
  if (args.size() != ft.fields.size())
    return make_error(ErrorKind::Other, "`" + f.name + "` takes " + std::to_string(ft.fields.size()) +
                                            " arguments, not " + std::to_string(args.size()));
  // No reentrance: a host function the component called may not call back
  // into it while its export runs.
  ComponentInstance* owner = f.owner ? f.owner : this;
  if (owner->on_stack_)
    return make_error(ErrorKind::Trap, "component function `" + f.name +
                                           "`: its instance is already running an export (reentrance)");
  owner->on_stack_ = true;
  struct Leave {
    ComponentInstance* ci;
    ~Leave() { ci->on_stack_ = false; }
  } leave{owner};
  Abi abi(store_, f);
  const uint32_t scope = ++owner->next_scope_;
  abi.set_scope(scope);
  const abi::CoreSignature& sig = f.sig;
  std::vector<CoreVal> core_args;
  if (sig.params_in_memory) {
    // The parameters as one record in memory from realloc.
    uint32_t size = 0, align = 1;
    for (const Field& p : ft.fields) {
      size = align_to(size, abi::alignment(p.type, *f.types)) + abi::elem_size(p.type, *f.types);
      align = std::max(align, abi::alignment(p.type, *f.types));
    }
    uint32_t ptr = 0;
    if (abi.alloc(align, align_to(size, align), ptr)) {
      uint32_t off = 0;
      for (size_t i = 0; i < args.size(); ++i) {
        off = align_to(off, abi::alignment(ft.fields[i].type, *f.types));
        abi.store(args[i], ft.fields[i].type, ptr + off, *f.types);
        off += abi::elem_size(ft.fields[i].type, *f.types);
      }
    }
    core_args.push_back(CoreVal::i32(ptr));
  } else {
    for (size_t i = 0; i < args.size(); ++i) abi.lower_flat(args[i], ft.fields[i].type, core_args, *f.types);
  }
  if (abi.failed()) return abi.error();
  CallResult r = store_.call(f.core, core_args);
  // Borrows end with the call: the callee must have dropped each one.
  uint32_t kept = 0;
  for (uint32_t index : abi.lent()) {
    const Handle* h = owner->handle(index, nullptr);
    if (h && !h->own && h->scope == scope) {
      ++kept;
      owner->remove_handle(index);
    }
  }
  if (auto* t = std::get_if<Trap>(&r)) return make_error(ErrorKind::Trap, t->message);
  if (kept)
    return make_error(ErrorKind::Trap, "component function `" + f.name + "`: " + std::to_string(kept) +
                                           " borrowed handle(s) not dropped before it returned");
  const std::vector<CoreVal>& out = std::get<std::vector<CoreVal>>(r);
  std::vector<Value> results;
  if (ft.result) {
    if (sig.results_in_memory) {
      results.push_back(abi.load(*ft.result, out.at(0).bits.u32, *f.types));
    } else {
      size_t i = 0;
      results.push_back(abi.lift_flat(*ft.result, out, i, *f.types));
    }
  }
  if (abi.failed()) return abi.error();
  if (f.post_return) {
    CallResult pr = store_.call(f.post_return, out);
    if (auto* t = std::get_if<Trap>(&pr)) return make_error(ErrorKind::Trap, t->message);
  }
  return results;
}

}  // namespace wisp::component
