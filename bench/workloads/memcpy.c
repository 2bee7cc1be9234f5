/* memcpy: a mix of memcpy (small, medium and 64 KiB), overlapping memmove in
 * both directions and memset on a 1 MiB buffer, with PRNG-chosen sizes and
 * offsets.  In the wasm builds (-mbulk-memory) these are memory.copy and
 * memory.fill, so this stresses the runtime's bulk-memory paths and bounds
 * checks, plus the call overhead of many small copies.
 * n = number of operations, in thousands. */
#include "bench.h"

BENCH_SIZES(4000, 10)

#define BUF_SIZE (1u << 20)
#define HALF (BUF_SIZE / 2)

static inline uint64_t load64(const unsigned char *p) {
  uint64_t v;
  bench_memcpy(&v, p, 8);
  return v;
}

uint64_t bench_kernel(int32_t n) {
  if (n < 1) n = 1;
  unsigned char *buf = bench_alloc(BUF_SIZE);
  bench_rng r = {31337};
  for (uint32_t i = 0; i < BUF_SIZE; i += 8) {
    uint64_t v = bench_next(&r);
    bench_memcpy(buf + i, &v, 8);
  }
  uint64_t h = 0;
  uint64_t ops = (uint64_t)n * 1000u;
  for (uint64_t i = 0; i < ops; i++) {
    uint64_t rnd = bench_next(&r);
    uint32_t kind = (uint32_t)(rnd & 15);
    uint32_t a = (uint32_t)(rnd >> 8) & (HALF - 1);
    uint32_t b = (uint32_t)(rnd >> 32) & (HALF - 1);
    uint32_t len;
    if (kind < 7) { /* small copy, first half -> second half */
      len = 1 + (uint32_t)((rnd >> 4) & 63);
      if (a + len > HALF) a = HALF - len;
      bench_memcpy(buf + HALF + b % (HALF - len), buf + a, len);
    } else if (kind < 11) { /* medium copy, second half -> first half */
      len = 64 + (uint32_t)((rnd >> 20) & 4095);
      if (a + len > HALF) a = HALF - len;
      bench_memcpy(buf + a, buf + HALF + b % (HALF - len), len);
    } else if (kind < 14) { /* overlapping move, either direction */
      len = 16 + (uint32_t)((rnd >> 20) & 4095);
      uint32_t delta = 1 + (uint32_t)((rnd >> 4) & 255);
      uint32_t base = a % (BUF_SIZE - len - 2 * delta) + delta;
      if (kind & 1)
        bench_memmove(buf + base + delta, buf + base, len);
      else
        bench_memmove(buf + base - delta, buf + base, len);
    } else if (kind == 14) { /* fill */
      len = 16 + (uint32_t)((rnd >> 20) & 2047);
      bench_memset(buf + b, (int)(rnd >> 56), len);
    } else if ((rnd >> 12 & 7) == 0) { /* occasional 64 KiB block copy */
      len = 65536;
      bench_memcpy(buf + HALF + (b & (HALF - 65536 - 1)), buf + (a & (HALF - 65536 - 1)), len);
    } else {
      len = 0;
    }
    if ((i & 255) == 0) h = bench_mix(h, load64(buf + (a & ~7u)) + len);
  }
  for (uint32_t i = 0; i < BUF_SIZE; i += 64) h = bench_mix(h, load64(buf + i));
  bench_free(buf);
  return bench_final(h);
}
