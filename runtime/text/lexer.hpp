// Tokens of the WebAssembly text format (and of .wast scripts, which share
// the lexical grammar).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/wasm/result.hpp"

namespace wisp::text {

enum class Tok : uint8_t {
  LParen,
  RParen,
  Keyword,   // idchars starting with a lowercase letter: `func`, `i32.add`, `nan:0x1`, `offset=4`
  Id,        // `$` followed by idchars
  Number,    // idchars starting with a digit or a sign; may still be a bad number
  String,    // "..." with valid escapes; text() includes the quotes
  Reserved,  // anything else: glued strings, stray characters, ...
  Eof,
};

struct Token {
  Tok kind;
  uint32_t begin;  // offset in the source
  uint32_t len;
};

// The lexed form of one source text. Annotations `(@id ...)` and comments
// are dropped; the token vector always ends with an Eof token.
struct TokenStream {
  std::string_view src;
  std::vector<Token> toks;

  std::string_view text(const Token& t) const { return src.substr(t.begin, t.len); }
};

// Fails only on unterminated strings and block comments, and on malformed
// string escapes.
Result<TokenStream> lex(std::string_view src);

// The bytes a String token denotes (escapes resolved). The token must have
// come from lex(), which has validated it.
std::string decode_string(std::string_view quoted);
// Appends to `out` instead of returning a new string.
void append_string(std::string_view quoted, std::string& out);

bool is_valid_utf8(std::string_view s);

// 1-based line of a source offset (for error messages).
size_t line_of(std::string_view src, size_t offset);

// Builds a Malformed error at a source offset.
Error text_error(std::string_view src, size_t offset, std::string message);

}  // namespace wisp::text
