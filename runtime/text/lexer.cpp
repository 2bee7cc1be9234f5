#include "runtime/text/lexer.hpp"

#include <algorithm>

#include "runtime/wasm/reader.hpp"

namespace wisp::text {
namespace {

// idchar of the text format: printable ASCII except space " , ; ( ) [ ] { }
struct IdCharTable {
  bool t[256] = {};
  constexpr IdCharTable() {
    for (int c = '0'; c <= '9'; ++c) t[c] = true;
    for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
    for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
    for (char c : std::string_view("!#$%&'*+-./:<=>?@\\^_`|~")) t[static_cast<unsigned char>(c)] = true;
  }
};
constexpr IdCharTable kIdChars;

inline bool is_idchar(unsigned char c) { return kIdChars.t[c]; }
inline bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
inline int hex_val(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

class Lexer {
 public:
  explicit Lexer(std::string_view src) : s_(src) {}

  Result<TokenStream> run() {
    TokenStream ts;
    ts.src = s_;
    if (s_.size() >= UINT32_MAX) return text_error(s_, 0, "input too large");
    ts.toks.reserve(s_.size() / 4 + 1);
    while (true) {
      if (auto e = skip_space(); !e.empty()) return text_error(s_, err_at_, e);
      if (p_ >= s_.size()) break;
      unsigned char c = s_[p_];
      if (c == '(' && p_ + 1 < s_.size() && s_[p_ + 1] == '@' && p_ + 2 < s_.size() &&
          is_idchar(static_cast<unsigned char>(s_[p_ + 2]))) {
        if (auto e = skip_annotation(); !e.empty()) return text_error(s_, err_at_, e);
        continue;
      }
      if (c == '(' || c == ')') {
        ts.toks.push_back({c == '(' ? Tok::LParen : Tok::RParen, uint32_t(p_), 1});
        ++p_;
        continue;
      }
      Token t;
      if (auto e = scan_atom(t); !e.empty()) return text_error(s_, err_at_, e);
      ts.toks.push_back(t);
    }
    ts.toks.push_back({Tok::Eof, uint32_t(s_.size()), 0});
    return ts;
  }

 private:
  // Returns an error message, empty on success.
  std::string skip_space() {
    while (p_ < s_.size()) {
      unsigned char c = s_[p_];
      if (is_space(c)) {
        ++p_;
      } else if (c == ';' && p_ + 1 < s_.size() && s_[p_ + 1] == ';') {
        while (p_ < s_.size() && s_[p_] != '\n' && s_[p_] != '\r') ++p_;  // CR ends it too
      } else if (c == '(' && p_ + 1 < s_.size() && s_[p_ + 1] == ';') {
        // Block comments nest; a depth counter keeps this iterative.
        size_t start = p_;
        size_t depth = 1;
        p_ += 2;
        while (depth > 0) {
          if (p_ + 1 >= s_.size()) {
            err_at_ = start;
            return "unclosed comment";
          }
          if (s_[p_] == '(' && s_[p_ + 1] == ';') {
            ++depth;
            p_ += 2;
          } else if (s_[p_] == ';' && s_[p_ + 1] == ')') {
            --depth;
            p_ += 2;
          } else {
            ++p_;
          }
        }
      } else {
        break;
      }
    }
    return {};
  }

  std::string skip_annotation() {
    size_t start = p_;
    size_t depth = 0;
    while (true) {
      if (auto e = skip_space(); !e.empty()) return e;
      if (p_ >= s_.size()) {
        err_at_ = start;
        return "unclosed annotation";
      }
      unsigned char c = s_[p_];
      if (c == '(') {
        ++depth;
        ++p_;
      } else if (c == ')') {
        ++p_;
        if (--depth == 0) return {};
      } else {
        Token t;
        if (auto e = scan_atom(t); !e.empty()) return e;
      }
    }
  }

  // A maximal run of idchars and strings. Only a run that is exactly one
  // string, or only idchars, is a proper token; anything glued together
  // (`$l"a"`, `"a""b"`) or containing other characters is Reserved, which the
  // parser reports as an unknown operator, as the reference interpreter does.
  std::string scan_atom(Token& t) {
    size_t start = p_;
    int strings = 0;
    bool idchars = false, other = false;
    while (p_ < s_.size()) {
      unsigned char c = s_[p_];
      if (is_space(c) || c == '(' || c == ')') break;
      if (c == ';' && p_ + 1 < s_.size() && s_[p_ + 1] == ';') break;
      if (c == '"') {
        if (auto e = scan_string(); !e.empty()) return e;
        ++strings;
      } else {
        if (is_idchar(c)) idchars = true;
        else other = true;
        ++p_;
      }
    }
    t.begin = uint32_t(start);
    t.len = uint32_t(p_ - start);
    if (strings == 1 && !idchars && !other) {
      t.kind = Tok::String;
    } else if (strings > 0 || other) {
      t.kind = Tok::Reserved;
    } else {
      unsigned char c = s_[start];
      if (c >= 'a' && c <= 'z') t.kind = Tok::Keyword;
      else if (c == '$' && t.len > 1) t.kind = Tok::Id;
      else if ((c >= '0' && c <= '9') || c == '+' || c == '-') t.kind = Tok::Number;
      else t.kind = Tok::Reserved;
    }
    return {};
  }

  // Validates one string literal starting at the opening quote.
  std::string scan_string() {
    size_t start = p_;
    ++p_;
    while (true) {
      if (p_ >= s_.size()) {
        err_at_ = start;
        return "unclosed string";
      }
      unsigned char c = s_[p_];
      if (c == '"') {
        ++p_;
        return {};
      }
      if (c == '\n') {
        err_at_ = p_;
        return "unclosed string";
      }
      if (c < 0x20 || c == 0x7F) {
        err_at_ = p_;
        return "illegal control character in string";
      }
      if (c != '\\') {
        ++p_;
        continue;
      }
      size_t esc = p_;
      ++p_;
      if (p_ >= s_.size()) continue;  // reported as unclosed
      c = s_[p_];
      switch (c) {
        case 't': case 'n': case 'r': case '"': case '\'': case '\\':
          ++p_;
          break;
        case 'u': {
          ++p_;
          if (p_ >= s_.size() || s_[p_] != '{') {
            err_at_ = esc;
            return "illegal escape";
          }
          ++p_;
          uint32_t v = 0;
          size_t digits = 0;
          bool prev_digit = false;
          while (p_ < s_.size() && s_[p_] != '}') {
            unsigned char d = s_[p_];
            if (d == '_' && prev_digit) {
              prev_digit = false;
              ++p_;
              continue;
            }
            int h = hex_val(d);
            if (h < 0) {
              err_at_ = esc;
              return "illegal escape";
            }
            v = v < 0x110000 ? v * 16 + uint32_t(h) : v;
            ++digits;
            prev_digit = true;
            ++p_;
          }
          if (p_ >= s_.size() || digits == 0 || !prev_digit || v >= 0x110000 ||
              (v >= 0xD800 && v < 0xE000)) {
            err_at_ = esc;
            return "illegal escape";
          }
          ++p_;
          break;
        }
        default:
          if (hex_val(c) >= 0 && p_ + 1 < s_.size() && hex_val(s_[p_ + 1]) >= 0) {
            p_ += 2;
            break;
          }
          err_at_ = esc;
          return "illegal escape";
      }
    }
  }

  std::string_view s_;
  size_t p_ = 0;
  size_t err_at_ = 0;
};

}  // namespace

Result<TokenStream> lex(std::string_view src) { return Lexer(src).run(); }

void append_string(std::string_view q, std::string& out) {
  size_t n = q.size() >= 2 ? q.size() - 1 : q.size();
  size_t i = 1;
  while (i < n) {
    size_t j = i;
    while (j < n && q[j] != '\\') ++j;
    out.append(q.data() + i, j - i);
    i = j;
    if (i >= n) break;
    char c = q[i + 1];
    i += 2;
    switch (c) {
      case 't': out += '\t'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case '"': out += '"'; break;
      case '\'': out += '\''; break;
      case '\\': out += '\\'; break;
      case 'u': {
        ++i;  // '{'
        uint32_t v = 0;
        while (i < n && q[i] != '}') {
          if (q[i] != '_') v = v * 16 + uint32_t(hex_val(q[i]));
          ++i;
        }
        ++i;  // '}'
        append_utf8(v, out);
        break;
      }
      default:
        out += char(hex_val(c) * 16 + hex_val(q[i]));
        ++i;
    }
  }
}

std::string decode_string(std::string_view q) {
  std::string out;
  out.reserve(q.size());
  append_string(q, out);
  return out;
}

bool is_valid_utf8(std::string_view s) {
  size_t i = 0, n = s.size();
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; }
    else return false;
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      unsigned char d = s[i + k];
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF.
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp < 0xE000))
      return false;
    i += len;
  }
  return true;
}

size_t line_of(std::string_view src, size_t offset) {
  offset = std::min(offset, src.size());
  return 1 + size_t(std::count(src.begin(), src.begin() + offset, '\n'));
}

Error text_error(std::string_view src, size_t offset, std::string message) {
  Error e = make_error(ErrorKind::Malformed, std::move(message), offset);
  e.line = line_of(src, offset);
  offset = std::min(offset, src.size());
  const size_t nl = src.rfind('\n', offset == 0 ? 0 : offset - 1);
  e.column = offset - (nl == std::string_view::npos || offset == 0 ? 0 : nl + 1) + 1;
  return e;
}

}  // namespace wisp::text
