/* Common support for the wisp benchmark workloads.
 *
 * Every workload is one .c file that defines
 *
 *     BENCH_SIZES(default_n, quick_n)
 *     uint64_t bench_kernel(int32_t n);
 *
 * and includes this header.  driver.c turns that into one of three programs:
 *
 *   - hosted (native or WASI command): `main` reads n from argv[1] and prints
 *     "checksum: <16 hex digits>" on stdout.  The native build (BENCH_NATIVE)
 *     additionally prints "n: <n>" and "time-s: <seconds of bench_kernel>" on
 *     stderr.
 *   - KERNEL_ONLY (freestanding wasm, no imports): exports `run(i32 n) -> i64`
 *     returning the same 64-bit checksum, `run_default() -> i64` (= run(0)),
 *     and `memory`.
 *
 * Size convention, shared by argv[1] and run(n): n > 0 is the size, n == 0 (or
 * no argument) is the workload's default (tuned for an interpreter run of
 * roughly 0.5-3 s), n < 0 is a small "quick" size for correctness checks.
 */
#ifndef WISP_BENCH_H
#define WISP_BENCH_H

#include <stddef.h>
#include <stdint.h>

#define BENCH_SIZES(default_n, quick_n)          \
  const int32_t bench_default_n = (default_n);   \
  const int32_t bench_quick_n = (quick_n);

extern const int32_t bench_default_n;
extern const int32_t bench_quick_n;
uint64_t bench_kernel(int32_t n);

#define BENCH_NOINLINE __attribute__((noinline))
#define BENCH_UNUSED __attribute__((unused))

/* ---- memory ------------------------------------------------------------ */
/* bench_alloc never fails (it aborts / traps instead).  In KERNEL_ONLY builds
 * it is a bump allocator over the wasm heap that run() resets on every call,
 * and bench_free does nothing. */
void *bench_alloc(size_t size);
void bench_free(void *p);

/* memcpy/memmove/memset: clang turns these builtins into memory.copy/fill
 * when compiled with -mbulk-memory (both wasm flavours use it), into libc
 * calls natively. */
#define bench_memcpy(d, s, n) __builtin_memcpy((d), (s), (n))
#define bench_memmove(d, s, n) __builtin_memmove((d), (s), (n))
#define bench_memset(d, c, n) __builtin_memset((d), (c), (n))

/* ---- deterministic PRNG and checksum mixing ----------------------------- */
typedef struct {
  uint64_t s;
} bench_rng;

static inline uint64_t bench_rotl64(uint64_t x, unsigned r) {
  return (x << (r & 63)) | (x >> ((64 - r) & 63));
}

/* splitmix64 step: a 64-bit add, two xor-shift-multiply rounds. */
static inline uint64_t bench_next(bench_rng *r) {
  uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static inline uint32_t bench_next32(bench_rng *r) {
  return (uint32_t)(bench_next(r) >> 32);
}

/* uniform-ish value in [0, bound) (bound > 0); modulo bias is irrelevant. */
static inline uint32_t bench_below(bench_rng *r, uint32_t bound) {
  return (uint32_t)(((bench_next(r) >> 32) * (uint64_t)bound) >> 32);
}

/* Order-dependent 64-bit checksum accumulator. */
static inline uint64_t bench_mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h * 0x100000001b3ull;
}

static inline uint64_t bench_final(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

static inline uint64_t bench_f64_bits(double d) {
  uint64_t u;
  __builtin_memcpy(&u, &d, sizeof u);
  return u;
}

static inline uint32_t bench_f32_bits(float f) {
  uint32_t u;
  __builtin_memcpy(&u, &f, sizeof u);
  return u;
}

#endif /* WISP_BENCH_H */
