// kSimdHandlers: sub-opcode -> handler, built from the 0xFD rows of
// opcodes.def so a row and its handler cannot drift apart (a row without a
// handler is a link error).
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif
#include <array>

#include "runtime/interp/simd.hpp"
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
#if WISP_SIMD
#define WISP_SIMD_ENTRY_0x00(name, code)
#define WISP_SIMD_ENTRY_0xFC(name, code)
#define WISP_SIMD_ENTRY_0xFD(name, code) set(code, &simd::name);
#define WISP_OP(name, text, prefix, code, imm, size, p1, p2, p3, r) WISP_SIMD_ENTRY_##prefix(name, code)
#include "runtime/opcodes.def"
#undef WISP_OP
#undef WISP_SIMD_ENTRY_0x00
#undef WISP_SIMD_ENTRY_0xFC
#undef WISP_SIMD_ENTRY_0xFD
#endif
  return t;
}

constexpr Table kBuilt = build_table();
constexpr const std::array<SimdHandler, 256>& kTable = kBuilt.handler;
// Wasm 2.0 has 236 fixed-width SIMD instructions, each at its own
// sub-opcode; without WISP_SIMD the table is empty.
static_assert(kBuilt.codes == (WISP_SIMD ? 236 : 0));

}  // namespace

// The interface fixes a plain array; spell out its 256 constant
// initializers from kTable (constant initialization, so the table is ready
// before any dynamic initializer could call through it; constinit checks).
#define WISP_R4(i) kTable[i], kTable[i + 1], kTable[i + 2], kTable[i + 3]
#define WISP_R16(i) WISP_R4(i), WISP_R4(i + 4), WISP_R4(i + 8), WISP_R4(i + 12)
#define WISP_R64(i) WISP_R16(i), WISP_R16(i + 16), WISP_R16(i + 32), WISP_R16(i + 48)
constinit const SimdHandler kSimdHandlers[256] = {WISP_R64(0), WISP_R64(64), WISP_R64(128), WISP_R64(192)};
#undef WISP_R4
#undef WISP_R16
#undef WISP_R64

#if !WISP_SIMD
const char* const kSimdBackend = "none";
#elif WISP_SIMD_SSE41
const char* const kSimdBackend = "sse4.1";
#else
const char* const kSimdBackend = "portable";
#endif

bool simd_backend_supported() {
#if WISP_SIMD && WISP_SIMD_SSE41
  // One CPUID, on demand. __builtin_cpu_supports would link libgcc's CPU
  // model constructor, which runs dozens of CPUIDs at every process start;
  // each traps to the hypervisor in a VM, and process start-up is one of
  // wisp's headline numbers.
  unsigned eax, ebx, ecx, edx;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return false;
  return (ecx & bit_SSE4_1) != 0;
#else
  return true;
#endif
}

}  // namespace wisp
