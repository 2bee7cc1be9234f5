/* fib: naive doubly-recursive Fibonacci.  Stresses calls/returns, small
 * stack frames and i64 adds.  n = the Fibonacci index. */
#include "bench.h"

BENCH_SIZES(34, 20)

static BENCH_NOINLINE uint64_t fib(int32_t n) {
  if (n < 2) return (uint64_t)n;
  return fib(n - 1) + fib(n - 2);
}

uint64_t bench_kernel(int32_t n) {
  uint64_t h = 0;
  /* Also hash a couple of smaller values so the result depends on more than
   * one call tree; this costs < 40% on top of fib(n). */
  h = bench_mix(h, fib(n));
  h = bench_mix(h, fib(n - 2));
  return bench_final(h);
}
