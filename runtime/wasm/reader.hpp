// A bounds-checked cursor over module bytes with first-error capture.
// Used by the decoder and the validator; every read either succeeds or
// records a malformed-module error with its byte offset.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "runtime/wasm/leb128.hpp"
#include "runtime/wasm/result.hpp"
#include "runtime/wasm/types.hpp"

namespace wisp {

bool valid_utf8(const uint8_t* p, size_t n);
// Appends code point cp (a Unicode scalar value) to out as UTF-8.
void append_utf8(uint32_t cp, std::string& out);

class Reader {
 public:
  Reader(const uint8_t* base, const uint8_t* begin, const uint8_t* end)
      : base_(base), p_(begin), end_(end), limit_(end) {}

  const uint8_t* pos() const { return p_; }
  const uint8_t* end() const { return end_; }
  size_t offset() const { return size_t(p_ - base_); }
  size_t offset_of(const uint8_t* q) const { return size_t(q - base_); }
  size_t remaining() const { return p_ < end_ ? size_t(end_ - p_) : 0; }
  bool at_end() const { return p_ >= end_; }
  void set_pos(const uint8_t* q) { p_ = q; }
  void set_end(const uint8_t* e) { end_ = e; }

  bool failed() const { return failed_; }
  Error& error() { return error_; }

  // Records the first error only; always returns false so callers can
  // `return r.fail(...)`.
  bool fail(std::string msg, const uint8_t* at = nullptr) {
    if (!failed_) {
      failed_ = true;
      error_ = make_error(ErrorKind::Malformed, std::move(msg), offset_of(at ? at : p_));
    }
    return false;
  }
  bool fail_end() {
    return fail(end_msg_, p_);
  }
  // The message for running off the end: "unexpected end" for the whole
  // input, "unexpected end of section or function" inside a section.
  void set_end_message(const char* m) { end_msg_ = m; }

  bool u8(uint8_t& out) {
    if (p_ >= end_) return fail_end();
    out = *p_++;
    return true;
  }
  bool bytes(size_t n, const uint8_t*& out) {
    // p_ > end_ after a length read past the section's end (length()).
    if (p_ > end_ || remaining() < n) return fail_end();
    out = p_;
    p_ += n;
    return true;
  }
  // One-byte LEBs are inline at every call site; the rest (and all error
  // handling) is out of line, which keeps the validator's loop small.
  template <unsigned Bits = 32, class T>
  [[gnu::always_inline]] bool uleb(T& out) {
    if constexpr (Bits >= 7) {
      if (p_ < end_ && *p_ < 0x80) [[likely]] {
        out = *p_++;
        return true;
      }
    }
    return uleb_slow<Bits>(out);
  }
  template <unsigned Bits = 32, class T>
  [[gnu::always_inline]] bool sleb(T& out) {
    if constexpr (Bits >= 7) {
      if (p_ < end_ && *p_ < 0x80) [[likely]] {
        out = T(int8_t(uint8_t(*p_++ << 1)) >> 1);  // sign-extend 7 bits
        return true;
      }
    }
    return sleb_slow<Bits>(out);
  }
  template <unsigned Bits = 32, class T>
  [[gnu::noinline]] bool uleb_slow(T& out) {
    const uint8_t* start = p_;
    LebStatus s = read_uleb<Bits>(p_, end_, out);
    if (s == LebStatus::Ok) [[likely]] return true;
    if (s == LebStatus::End) {
      // The reference decoder reads on past a section's end and reports
      // an overlong integer as such; match it when the bytes are there.
      const uint8_t* q = start;
      T ignored;
      s = read_uleb<Bits>(q, limit_, ignored);
      if (s == LebStatus::Ok || s == LebStatus::End) return fail_end();
    }
    return fail(leb_message(s), start);
  }
  template <unsigned Bits = 32, class T>
  [[gnu::noinline]] bool sleb_slow(T& out) {
    const uint8_t* start = p_;
    LebStatus s = read_sleb<Bits>(p_, end_, out);
    if (s == LebStatus::Ok) [[likely]] return true;
    if (s == LebStatus::End) {
      const uint8_t* q = start;
      T ignored;
      s = read_sleb<Bits>(q, limit_, ignored);
      if (s == LebStatus::Ok || s == LebStatus::End) return fail_end();
    }
    return fail(leb_message(s), start);
  }
  // The end of all input, which section-bounded readers may peek up to for
  // diagnostics only.
  void set_limit(const uint8_t* limit) { limit_ = limit; }
  bool u32(uint32_t& out) { return uleb<32>(out); }

  // A u32 length that must not exceed the bytes left ("length out of
  // bounds"). For sizes of regions (sections, bodies, subsections), which
  // must lie inside the input.
  bool length(uint32_t& out) {
    const uint8_t* start = p_;
    if (!u32(out)) return false;
    if (out > remaining()) return fail("length out of bounds", start);
    return true;
  }
  // The length of bytes read right away (names, data segment contents), as
  // the reference decoder's len32 reads it, so its messages match: the LEB
  // is read from the whole input (a section does not bound it), and the
  // length must not exceed the bytes left in the whole input counted from
  // the LEB's first byte. The bytes themselves are then read within the
  // section by bytes()/name(), which report running past its end.
  bool payload_length(uint32_t& out) {
    const uint8_t* start = p_;
    const uint8_t* section_end = end_;
    end_ = limit_;
    bool ok = u32(out);
    end_ = section_end;
    if (!ok) return false;
    if (out > size_t(limit_ - start)) return fail("length out of bounds", start);
    return true;
  }

  // A UTF-8 name (vec(byte)).
  bool name(std::string_view& out) {
    uint32_t n{};
    if (!payload_length(n)) return false;
    if (p_ > end_ || n > remaining()) return fail_end();
    if (!valid_utf8(p_, n)) return fail("malformed UTF-8 encoding", p_);
    out = std::string_view(reinterpret_cast<const char*>(p_), n);
    p_ += n;
    return true;
  }

  // Wasm 3.0's (ref ht) and (ref null ht): the type model has them
  // (types.hpp), decoding and validation do not yet.
  static constexpr const char* kTypedRefs = "typed function references not supported yet";

  bool val_type(ValType& out) {
    const uint8_t* start = p_;
    uint8_t b{};
    if (!u8(b)) return false;
    switch (b) {
      case 0x7F: case 0x7E: case 0x7D: case 0x7C: case 0x7B: case 0x70: case 0x6F:
        out = ValType::from_code(b);
        return true;
      case 0x63: case 0x64:
        return fail(kTypedRefs, start);
    }
    return fail("malformed value type", start);
  }
  bool ref_type(ValType& out) {
    const uint8_t* start = p_;
    uint8_t b{};
    if (!u8(b)) return false;
    if (b == 0x70 || b == 0x6F) {
      out = ValType::from_code(b);
      return true;
    }
    if (b == 0x63 || b == 0x64) return fail(kTypedRefs, start);
    return fail("malformed reference type", start);
  }

 private:
  const uint8_t* base_;
  const uint8_t* p_;
  const uint8_t* end_;
  const uint8_t* limit_;
  bool failed_ = false;
  const char* end_msg_ = "unexpected end";
  Error error_;
};

}  // namespace wisp
