// The calling convention of the interpreter's handlers, shared by
// interp_loop.cpp and the SIMD handler files (which, under clang, have
// tail-call twins that join the same chain). See INTERPRETER.md.
#pragma once
#include <cstdint>

#include "runtime/vm/exec.hpp"
#include "runtime/vm/slot.hpp"
#include "runtime/wasm/side_table.hpp"

#if defined(__clang__) && __clang_major__ >= 19 && (defined(__x86_64__) || defined(__aarch64__))
// preserve_none: every register carries arguments and none is callee-saved,
// so handlers neither spill the state nor push/pop around it.
#define WISP_CC __attribute__((preserve_none))
#define WISP_DISP_REG 1
#else
#define WISP_CC
// Without preserve_none a seventh argument goes on the stack: the handlers
// then index the table by its address instead.
#define WISP_DISP_REG 0
#endif
#if defined(__clang__)
#define WISP_MUSTTAIL [[clang::musttail]]
#else
// GCC turns these calls into jumps at -O2 (sibling-call optimisation); the
// unit test InterpTailCalls checks that a long run does not grow the stack.
#define WISP_MUSTTAIL
#endif

// Handlers that do not touch some of the state still pass it on.
#define WISP_ARGS                                                                     \
  const uint8_t *pc, [[maybe_unused]] Slot *sp, [[maybe_unused]] Slot *fp,      \
      [[maybe_unused]] uint8_t *mem, [[maybe_unused]] const SideEntry *stp, ExecContext *t \
      WISP_DISP_PARAM
#if WISP_DISP_REG
#define WISP_DISP_PARAM , [[maybe_unused]] const void *disp
#define WISP_DISP_ARG(...) , (__VA_ARGS__)
#define WISP_PASS pc, sp, fp, mem, stp, t, disp
#else
#define WISP_DISP_PARAM
#define WISP_DISP_ARG(...)
#define WISP_PASS pc, sp, fp, mem, stp, t
#endif

namespace wisp {

using Handler = WISP_CC void (*)(WISP_ARGS);
// A SIMD backend's tail-call handlers, [fuel][sub-opcode] (simd_impl.hpp).
using SimdTailTable = const Handler (*)[256];

// Leaves the handler chain: records where and why.
[[gnu::noinline, gnu::cold]] void interp_trap_exit(ExecContext* t, const uint8_t* pc, TrapKind k);

// Where to go on after the fuel counter ran out (tier_up.cpp): the pc to
// dispatch and the stack pointer there, or pc null to leave the handler
// chain (a trap, recorded). With fuel, that is "all fuel consumed"; under
// Tier::Auto it is a tier-up sample, and possibly on-stack replacement,
// after which the function has returned in compiled code and the
// interpreter goes on at its final `end` with the results in place.
struct Resume {
  const uint8_t* pc;
  Slot* sp;
};
[[gnu::noinline, gnu::cold]] Resume interp_fuel_empty(ExecContext* t, const uint8_t* pc, Slot* sp,
                                                      Slot* fp);

}  // namespace wisp

// Before every dispatch of a fuel-counting handler: each instruction costs
// one, and an empty tank traps (or, under Tier::Auto, samples for tiering
// up). No code at all when FUEL is false.
#define WISP_CHARGE_FUEL(FUEL)                                          \
  if constexpr (FUEL) {                                                 \
    if (t->fuel == 0) [[unlikely]] {                                    \
      ::wisp::Resume r_ = ::wisp::interp_fuel_empty(t, pc, sp, fp);     \
      if (!r_.pc) return;                                               \
      pc = r_.pc;                                                       \
      sp = r_.sp;                                                       \
    }                                                                   \
    --t->fuel;                                                          \
  }
