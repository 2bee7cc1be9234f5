/* Entry points for the workloads; see bench.h.  Compiled together with one
 * workload .c file:
 *   hosted (native, WASI command): main(argc, argv)
 *   -DKERNEL_ONLY (freestanding wasm): exported run(i32) -> i64 and
 *     run_default() -> i64, no imports.
 */
#include "bench.h"

static int32_t bench_pick_n(int32_t n) {
  if (n == 0) return bench_default_n;
  if (n < 0) return bench_quick_n;
  return n;
}

#ifdef KERNEL_ONLY

#ifndef __wasm__
#error "KERNEL_ONLY is meant for freestanding wasm32 builds"
#endif

/* Bump allocator over the linear memory after the data/stack (__heap_base),
 * growing memory as needed.  Reset at the start of every run() call. */
extern unsigned char __heap_base;
static uintptr_t heap_ptr;

void *bench_alloc(size_t size) {
  uintptr_t p = (heap_ptr + 15) & ~(uintptr_t)15;
  uintptr_t end = p + size;
  if (end < p) __builtin_trap();
  uintptr_t have = __builtin_wasm_memory_size(0) * 65536u;
  if (end > have) {
    uintptr_t pages = (end - have + 65535u) / 65536u;
    if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) __builtin_trap();
  }
  heap_ptr = end;
  return (void *)p;
}

void bench_free(void *p) { (void)p; }

#ifndef __wasm_bulk_memory__
/* Without bulk memory clang emits calls for these; keep the module
 * self-contained.  no_builtin stops the loops being turned back into calls. */
__attribute__((no_builtin)) void *memcpy(void *d, const void *s, size_t n) {
  unsigned char *dp = d;
  const unsigned char *sp = s;
  while (n--) *dp++ = *sp++;
  return d;
}
__attribute__((no_builtin)) void *memmove(void *d, const void *s, size_t n) {
  unsigned char *dp = d;
  const unsigned char *sp = s;
  if (dp < sp) {
    while (n--) *dp++ = *sp++;
  } else {
    while (n--) dp[n] = sp[n];
  }
  return d;
}
__attribute__((no_builtin)) void *memset(void *d, int c, size_t n) {
  unsigned char *dp = d;
  while (n--) *dp++ = (unsigned char)c;
  return d;
}
#endif

__attribute__((export_name("run"))) int64_t run(int32_t n) {
  heap_ptr = (uintptr_t)&__heap_base;
  return (int64_t)bench_kernel(bench_pick_n(n));
}

/* run(0) for runners that cannot pass arguments (e.g. wabt's
 * `wasm-interp --run-all-exports`, which only calls parameterless exports). */
__attribute__((export_name("run_default"))) int64_t run_default(void) { return run(0); }

#else /* hosted */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef BENCH_NATIVE
#include <time.h>
static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
/* CPU time of the process: on a shared, loaded machine it moves much less
 * than wall time (compare.py --clock cpu). */
static double cpu_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
#endif

void *bench_alloc(size_t size) {
  void *p = malloc(size ? size : 1);
  if (!p) {
    fputs("bench_alloc: out of memory\n", stderr);
    abort();
  }
  return p;
}

void bench_free(void *p) { free(p); }

int main(int argc, char **argv) {
  int32_t n = 0;
  if (argc > 1) {
    char *end;
    long v = strtol(argv[1], &end, 0);
    if (*end != '\0' || v > INT32_MAX || v < INT32_MIN) {
      fprintf(stderr, "usage: %s [n]   (n>0 size, 0 default, <0 quick)\n", argv[0]);
      return 2;
    }
    n = (int32_t)v;
  }
  n = bench_pick_n(n);
#ifdef BENCH_NATIVE
  double c0 = cpu_s();
  double t0 = now_s();
  uint64_t sum = bench_kernel(n);
  double t1 = now_s();
  double c1 = cpu_s();
  fprintf(stderr, "n: %" PRId32 "\ntime-s: %.6f\ncpu-s: %.6f\n", n, t1 - t0, c1 - c0);
#else
  uint64_t sum = bench_kernel(n);
#endif
  printf("checksum: %016" PRIx64 "\n", sum);
  return 0;
}

#endif
