// kHandlers: sub-opcode -> handler of this backend, built from the 0xFD rows of
// opcodes.def so a row and its handler cannot drift apart (a row without a
// handler is a link error).
#include <array>

#include "runtime/interp/simd_impl.hpp"

namespace wisp {
namespace {

struct Table {
  std::array<SimdHandler, 256> handler{};
  unsigned codes = 0;  // distinct sub-opcodes filled
};

constexpr Table build_table() {
  Table t;
  [[maybe_unused]] bool seen[256] = {};
  // Counted by code rather than by comparing function pointers with null,
  // which GCC refuses to fold under -fsanitize=undefined.
  [[maybe_unused]] auto set = [&](unsigned code, SimdHandler h) {
    t.handler[code] = h;
    if (!seen[code]) ++t.codes;
    seen[code] = true;
  };
#define WISP_SIMD_ENTRY_0x00(name, code)
#define WISP_SIMD_ENTRY_0xFC(name, code)
#define WISP_SIMD_ENTRY_0xFD(name, code) set(code, &WISP_SIMD_NS::name);
#define WISP_OP(name, text, prefix, code, imm, size, p1, p2, p3, r) WISP_SIMD_ENTRY_##prefix(name, code)
#include "runtime/wasm/opcodes.def"
#undef WISP_OP
#undef WISP_SIMD_ENTRY_0x00
#undef WISP_SIMD_ENTRY_0xFC
#undef WISP_SIMD_ENTRY_0xFD
  return t;
}

constexpr Table kBuilt = build_table();
constexpr const std::array<SimdHandler, 256>& kTable = kBuilt.handler;
// Wasm 2.0 has 236 fixed-width SIMD instructions, each at its own
// sub-opcode.
static_assert(kBuilt.codes == 236);

}  // namespace

// This backend's table and name, for simd_select.cpp. Constant
// initialization, so it is ready before any dynamic initializer could call
// through it (constinit checks).
namespace WISP_SIMD_NS {
#define WISP_R4(i) kTable[i], kTable[i + 1], kTable[i + 2], kTable[i + 3]
#define WISP_R16(i) WISP_R4(i), WISP_R4(i + 4), WISP_R4(i + 8), WISP_R4(i + 12)
#define WISP_R64(i) WISP_R16(i), WISP_R16(i + 16), WISP_R16(i + 32), WISP_R16(i + 48)
extern constinit const SimdHandler kHandlers[256];
constinit const SimdHandler kHandlers[256] = {WISP_R64(0), WISP_R64(64), WISP_R64(128), WISP_R64(192)};
#undef WISP_R4
#undef WISP_R16
#undef WISP_R64

#if WISP_DISP_REG
// The tail-call twins (simd_impl.hpp), [fuel][sub-opcode]; sub-opcodes that
// are not instructions trap, as the interpreter does for a null kHandlers
// entry.
namespace {
WISP_CC void tail_illegal(WISP_ARGS) { return interp_trap_exit(t, pc, TrapKind::Unreachable); }
struct TailTable {
  Handler h[2][256];
};
constexpr TailTable build_tails() {
  TailTable t{};
  for (auto& row : t.h)
    for (auto& h : row) h = &tail_illegal;
#define WISP_SIMD_TAIL_0x00(name, code)
#define WISP_SIMD_TAIL_0xFC(name, code)
#define WISP_SIMD_TAIL_0xFD(name, code) t.h[0][code] = &name##_tail0, t.h[1][code] = &name##_tail1;
#define WISP_OP(name, text, prefix, code, imm, size, p1, p2, p3, r) WISP_SIMD_TAIL_##prefix(name, code)
#include "runtime/wasm/opcodes.def"
#undef WISP_OP
#undef WISP_SIMD_TAIL_0x00
#undef WISP_SIMD_TAIL_0xFC
#undef WISP_SIMD_TAIL_0xFD
  return t;
}
}  // namespace
extern constinit const SimdTailTable kTailHandlers;
constinit const TailTable kTails = build_tails();
constinit const SimdTailTable kTailHandlers = kTails.h;
#endif

#if WISP_SIMD_SSE41
extern const char* const kName;
constinit const char* const kName = "sse4.1";
#else
extern const char* const kName;
constinit const char* const kName = "portable";
#endif
}  // namespace WISP_SIMD_NS

}  // namespace wisp
