// Run-time choice between the SIMD backends compiled into this binary.
#include <cstdlib>
#include <cstring>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "runtime/interp/simd.hpp"
#include "runtime/vm/tiers.hpp"

namespace wisp {

namespace simd_portable {
extern const SimdHandler kHandlers[256];
extern const char* const kName;
#if WISP_DISP_REG
extern const SimdTailTable kTailHandlers;
#endif
}  // namespace simd_portable
#if WISP_HAVE_SIMD_SSE41
namespace simd_sse41 {
extern const SimdHandler kHandlers[256];
extern const char* const kName;
#if WISP_DISP_REG
extern const SimdTailTable kTailHandlers;
#endif
}  // namespace simd_sse41
#endif

namespace detail {
std::atomic<const SimdHandler*> g_simd_handlers{nullptr};
#if WISP_DISP_REG
std::atomic<SimdTailTable> g_simd_tails{nullptr};
#endif
}

namespace {
// Makes `t` the active backend, with its tail-call twins.
void activate(const SimdHandler* t) {
#if WISP_DISP_REG
  SimdTailTable tails = simd_portable::kTailHandlers;
#if WISP_HAVE_SIMD_SSE41
  if (t == simd_sse41::kHandlers) tails = simd_sse41::kTailHandlers;
#endif
  detail::g_simd_tails.store(tails, std::memory_order_release);
#endif
  detail::g_simd_handlers.store(t, std::memory_order_release);
}
}  // namespace

namespace {

bool cpu_has_sse41() {
#if WISP_HAVE_SIMD_SSE41
  // One CPUID, on demand. __builtin_cpu_supports would link libgcc's CPU
  // model constructor, which runs dozens of CPUIDs at every process start;
  // each traps to the hypervisor in a VM, and process start-up is one of
  // wisp's headline numbers.
  unsigned eax, ebx, ecx, edx;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return false;
  return (ecx & bit_SSE4_1) != 0;
#else
  return false;
#endif
}

}  // namespace

const SimdHandler* simd_backend_table(std::string_view name) {
  if (name == "portable") return simd_portable::kHandlers;
#if WISP_HAVE_SIMD_SSE41
  if (name == "sse4.1" && cpu_has_sse41()) return simd_sse41::kHandlers;
#endif
  return nullptr;
}

bool set_simd_backend(std::string_view name) {
  const SimdHandler* t = simd_backend_table(name);
  if (!t) return false;
  activate(t);
  return true;
}

WISP_SIMD_CC const SimdHandler* detail::choose_simd_handlers() {
  const SimdHandler* t = nullptr;
  if (const char* env = std::getenv("WISP_SIMD_BACKEND")) t = simd_backend_table(env);
  if (!t) t = simd_backend_table("sse4.1");
  if (!t) t = simd_portable::kHandlers;
  // Racing first uses pick the same table; either store is fine.
  activate(t);
  return t;
}

const char* simd_backend_name() {
  const SimdHandler* t = simd_handlers();
#if WISP_HAVE_SIMD_SSE41
  if (t == simd_sse41::kHandlers) return simd_sse41::kName;
#endif
  (void)t;
  return simd_portable::kName;
}

SimdHandler interp_simd_handler(uint8_t code) { return simd_handlers()[code]; }

}  // namespace wisp
