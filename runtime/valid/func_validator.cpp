// The body walker instantiated for validation, the side table and
// syntax-only walks, and the syntax-only entry points (body_syntax.hpp).
#include "runtime/valid/func_validator_impl.hpp"

#include "runtime/valid/decoder.hpp"

namespace wisp::detail {

template class BodyWalker<NoSideTable>;
template class BodyWalker<SideTableHooks>;
template class BodyWalker<SyntaxOnly>;

}  // namespace wisp::detail

namespace wisp {

using detail::BodyWalker;
using detail::SyntaxOnly;

std::optional<Error> read_body_syntax(const Module& m, uint32_t func, InstrSink* sink) {
  BodyWalker<SyntaxOnly> walker(m, SyntaxOnly{{}, sink});
  if (walker.run(func)) return std::nullopt;
  if (walker.error().message.empty()) return std::nullopt;  // the sink stopped it
  Error e = walker.error();
  e.kind = ErrorKind::Malformed;
  e.func = func;
  return e;
}

bool read_expr_syntax(const Module& m, Reader& r, InstrSink* sink) {
  BodyWalker<SyntaxOnly> walker(m, SyntaxOnly{{}, sink});
  return walker.expr_syntax(r);
}

std::optional<Error> find_malformed_body(const Module& m) {
  for (uint32_t i = m.num_imported_funcs; i < m.funcs.size(); ++i) {
    if (m.funcs[i].body_offset == 0) continue;  // no code entry was read for it
    if (auto e = read_body_syntax(m, i, nullptr)) return e;
  }
  return std::nullopt;
}

}  // namespace wisp
