/* sieve: sieve of Eratosthenes over a byte array.  Stresses i32 loads and
 * stores with strided access, tight loops and memory bandwidth.
 * n = upper limit (numbers below n are sieved). */
#include "bench.h"

BENCH_SIZES(12000000, 10000)

uint64_t bench_kernel(int32_t n) {
  if (n < 2) n = 2;
  uint32_t limit = (uint32_t)n;
  unsigned char *composite = bench_alloc(limit);
  bench_memset(composite, 0, limit);
  for (uint32_t i = 2; (uint64_t)i * i < limit; i++) {
    if (composite[i]) continue;
    for (uint32_t j = i * i; j < limit; j += i) composite[j] = 1;
  }
  uint64_t count = 0, sum = 0, h = 0;
  for (uint32_t i = 2; i < limit; i++) {
    if (!composite[i]) {
      count++;
      sum += i;
      if ((count & 1023) == 0) h = bench_mix(h, i);
    }
  }
  bench_free(composite);
  h = bench_mix(h, count);
  h = bench_mix(h, sum);
  return bench_final(h);
}
