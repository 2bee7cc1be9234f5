// The glue between wisp's host-function ABI and the WASI implementations.
//
// Each WASI function is written as a plain C++ function
//     Errno name(Call& c, uint32_t a, uint64_t b, ...)
// taking the wasm parameters as uint32_t (i32) and uint64_t (i64). thunk<F>
// adapts it to HostFn: it unpacks the argument slots, runs F, and writes the
// errno as the single i32 result. wasm_type<F>() derives the FuncType the
// import must have from F's parameter list, so the signature is written once.
#pragma once
#include <cstdint>
#include <new>
#include <utility>

#include "runtime/vm/instances.hpp"
#include "runtime/wasm/types.hpp"
#include "wasi/preview1/abi.hpp"
#include "wasi/preview1/guest_memory.hpp"

namespace wisp::wasi {

class WasiCtx;

struct Call {
  WasiCtx& ctx;
  GuestMemory mem;
  // Set by proc_exit: the call ends the program instead of returning.
  TrapKind trap = TrapKind::None;
  int exit_code = 0;
};

using WasiFn0 = Errno (*)(Call&);

namespace detail {

template <class T>
T arg(const Slot& s);
template <>
inline uint32_t arg<uint32_t>(const Slot& s) { return s.u32; }
template <>
inline uint64_t arg<uint64_t>(const Slot& s) { return s.u64; }

template <class T>
constexpr ValType val_type() {
  static_assert(std::is_same_v<T, uint32_t> || std::is_same_v<T, uint64_t>);
  return std::is_same_v<T, uint32_t> ? ValType::I32 : ValType::I64;
}

template <class... A, size_t... I>
inline Errno apply(Errno (*f)(Call&, A...), Call& c, const Slot* s, std::index_sequence<I...>) {
  return f(c, arg<A>(s[I])...);
}

template <class... A>
inline Errno apply(Errno (*f)(Call&, A...), Call& c, const Slot* s) {
  return apply(f, c, s, std::index_sequence_for<A...>{});
}

template <class... A>
FuncType type_of(Errno (*)(Call&, A...)) {
  return FuncType{{val_type<A>()...}, {ValType::I32}};
}

}  // namespace detail

template <auto F>
TrapKind thunk(HostContext& hc, Slot* s) {
  LinearMemory* lm = hc.memory();
  Call c{*static_cast<WasiCtx*>(hc.data), lm ? GuestMemory(lm->base(), lm->size()) : GuestMemory()};
  Errno e;
  // Sizes come from the guest (a poll with millions of subscriptions, a huge
  // directory); running out of host memory is the guest's ENOMEM, not an
  // exception unwinding through the interpreter.
  try {
    e = detail::apply(F, c, s);
  } catch (const std::bad_alloc&) {
    e = Errno::NoMem;
  }
  if (c.trap != TrapKind::None) [[unlikely]] {
    hc.exit_code = c.exit_code;
    return c.trap;
  }
  s[0].u64 = 0;
  s[0].u32 = uint32_t(e);
  return TrapKind::None;
}

template <auto F>
FuncType wasm_type() {
  return detail::type_of(F);
}

}  // namespace wisp::wasi
