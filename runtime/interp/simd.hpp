// Choosing the SIMD backend. Both backends are in every x86-64 build
// (simd.cmake): SSE4.1 intrinsics, and the portable C++ that every other
// target uses. The first SIMD instruction picks one: $WISP_SIMD_BACKEND
// ("sse4.1" or "portable") if set, else SSE4.1 when the CPU has it, else
// portable. See SIMD.md.
#pragma once
#include <atomic>
#include <string_view>

#include "runtime/interp/handler_abi.hpp"
#include "runtime/vm/slot.hpp"

namespace wisp {

namespace detail {
extern std::atomic<const SimdHandler*> g_simd_handlers;
#if WISP_DISP_REG
// The active backend's tail-call handlers; set together with the table above.
extern std::atomic<SimdTailTable> g_simd_tails;
#endif
// preserve_most (slot.hpp): called from an interpreter handler on first use.
WISP_SIMD_CC const SimdHandler* choose_simd_handlers();
}  // namespace detail

// The active handler table, indexed by sub-opcode (nullptr entries for
// sub-opcodes that are not instructions).
inline const SimdHandler* simd_handlers() {
  const SimdHandler* t = detail::g_simd_handlers.load(std::memory_order_acquire);
  return t ? t : detail::choose_simd_handlers();
}

#if WISP_DISP_REG
// The active backend's tail-call handlers, [fuel][sub-opcode].
inline SimdTailTable simd_tail_handlers() {
  SimdTailTable t = detail::g_simd_tails.load(std::memory_order_acquire);
  if (t) [[likely]] return t;
  detail::choose_simd_handlers();
  return detail::g_simd_tails.load(std::memory_order_acquire);
}
#endif

// The table of a named backend ("sse4.1", "portable"), or nullptr if this
// build or this CPU does not have it.
const SimdHandler* simd_backend_table(std::string_view name);
// Makes `name` the active backend; false if unavailable.
bool set_simd_backend(std::string_view name);
// Name of the active backend.
const char* simd_backend_name();

}  // namespace wisp
