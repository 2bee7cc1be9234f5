/* i64math: 64-bit integer arithmetic: xorshift/rotate PRNG, multiply-high by
 * 32-bit limbs, unsigned and signed 64-bit division and remainder by
 * variable divisors, modular exponentiation (modulus < 2^32 so products fit
 * in 64 bits), clz/ctz/popcount.  Stresses i64 mul/div/rem/rotl/rotr/shifts
 * and i64.clz/ctz/popcnt.  n = iterations, in thousands. */
#include "bench.h"

BENCH_SIZES(3400, 2)

static inline uint64_t mulhi64(uint64_t a, uint64_t b) {
  uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
  uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
  uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;
  return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

static BENCH_NOINLINE uint64_t powmod(uint64_t base, uint64_t exp, uint64_t mod) {
  uint64_t result = 1 % mod;
  base %= mod;
  while (exp) {
    if (exp & 1) result = result * base % mod;
    base = base * base % mod;
    exp >>= 1;
  }
  return result;
}

uint64_t bench_kernel(int32_t n) {
  if (n < 1) n = 1;
  uint64_t s0 = 0x0123456789abcdefull, s1 = 0xfedcba9876543210ull;
  uint64_t acc = 0, acc2 = 0;
  int64_t sacc = 0;
  uint64_t iters = (uint64_t)n * 1000u;
  for (uint64_t i = 0; i < iters; i++) {
    /* xoroshiro128-style step, written out with rotates */
    uint64_t x = s0 + s1;
    s1 ^= s0;
    s0 = bench_rotl64(s0, 24) ^ s1 ^ (s1 << 16);
    s1 = bench_rotl64(s1, 37);

    uint64_t hi = mulhi64(x, 0x9e3779b97f4a7c15ull);
    uint64_t d = (x >> 40) | 1;                  /* 24-bit odd divisor */
    acc += x / d + x % (d + 2);
    int64_t sx = (int64_t)(x ^ hi);
    int64_t sd = (int64_t)((hi & 0xfffff) + 3) * ((x & 1) ? -1 : 1);
    sacc += sx / sd - sx % sd;
    acc2 ^= (uint64_t)__builtin_clzll(x | 1) + ((uint64_t)__builtin_ctzll(hi | (1ull << 63)) << 8) +
            ((uint64_t)__builtin_popcountll(x ^ hi) << 16);
    acc2 = (acc2 >> 19) | (acc2 << 45); /* rotr */
    if ((i & 63) == 0) {
      uint64_t mod = (x >> 33) | 0x80000001u; /* odd, in [2^31, 2^32) */
      acc += powmod(hi, x | 0x100000000ull, mod);
    }
  }
  uint64_t h = bench_mix(0, acc);
  h = bench_mix(h, acc2);
  h = bench_mix(h, (uint64_t)sacc);
  h = bench_mix(h, s0 ^ s1);
  return bench_final(h);
}
