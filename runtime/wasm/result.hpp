// Errors as values for the front end (decoder, validator, text parser).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace wisp {

// Which phase rejected the input; the spec tests tell them apart.
// Limit: a StoreLimits limit (limits.hpp) or the host ran out of memory.
enum class ErrorKind : uint8_t { Malformed, Invalid, Link, Trap, Limit, Other };

struct Error {
  ErrorKind kind = ErrorKind::Other;
  std::string message;
  size_t offset = SIZE_MAX;  // byte offset in the binary (or text), SIZE_MAX if none
  int64_t func = -1;         // function index the error is in, -1 if none
  size_t line = 0;           // 1-based line for text input, 0 if none
  size_t column = 0;         // 1-based column (byte) in that line, 0 if none
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error e) : v_(std::move(e)) {}
  // Builds the value in place (a Module is big, and every move of it walks
  // all its vectors).
  template <class... A>
  explicit Result(std::in_place_t, A&&... args) : v_(std::in_place_index<0>, std::forward<A>(args)...) {}
  void set_error(Error e) { v_.template emplace<1>(std::move(e)); }
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T& value() const& { return std::get<0>(v_); }
  T* operator->() { return &value(); }
  T& operator*() { return value(); }
  const Error& error() const { return std::get<1>(v_); }
  Error&& take_error() { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

struct Ok {};
using Status = Result<Ok>;
inline Status ok_status() { return Ok{}; }

inline Error make_error(ErrorKind kind, std::string msg, size_t offset = SIZE_MAX) {
  Error e;
  e.kind = kind;
  e.message = std::move(msg);
  e.offset = offset;
  return e;
}

// One-line rendering used by the CLI: "<offset>: <message>" plus context.
std::string format_error(const Error& e);

// `text` with every byte a terminal would act on escaped: C0/C1 controls
// (newline and ESC included), DEL and bidi overrides as \xNN or \u{N},
// bytes that are not UTF-8 as \xNN. Names and strings that come from a
// module go through it before they reach a message or a backtrace.
// Idempotent: its output passes through unchanged.
std::string printable(std::string_view text);

}  // namespace wisp
