/* brtable: a dense 32-way switch on a pseudo-random selector, each case a
 * different small update of an 8-word state, so clang emits a br_table (not
 * a lookup table) and the target is unpredictable.  Stresses br_table
 * dispatch and block/branch handling.  n = number of dispatches, in
 * thousands. */
#include "bench.h"

BENCH_SIZES(10000, 50)

static BENCH_NOINLINE void dispatch(uint32_t *s, uint32_t sel, uint32_t x) {
  switch (sel) {
    case 0: s[0] += x; break;
    case 1: s[1] ^= x; break;
    case 2: s[2] -= x; break;
    case 3: s[3] = s[3] * 3 + x; break;
    case 4: s[4] += s[0] ^ x; break;
    case 5: s[5] ^= s[1] + x; break;
    case 6: s[6] = (s[6] << 3) | (s[6] >> 29); break;
    case 7: s[7] += x >> 3; break;
    case 8: s[0] ^= s[7] * 5; break;
    case 9: s[1] += s[6] | x; break;
    case 10: s[2] ^= s[5] & x; break;
    case 11: s[3] -= s[4] >> 1; break;
    case 12: s[4] = s[4] * 0x9e3779b1u; break;
    case 13: s[5] += (x << 7) ^ s[3]; break;
    case 14: s[6] ^= s[2] >> 5; break;
    case 15: s[7] = s[7] + s[0] + 1; break;
    case 16: s[0] = (s[0] >> 7) | (s[0] << 25); break;
    case 17: s[1] -= x * 3; break;
    case 18: s[2] += s[1] << 2; break;
    case 19: s[3] ^= x + 0x1234567u; break;
    case 20: s[4] -= s[7] ^ 0x55aa55aau; break;
    case 21: s[5] = s[5] * 7 - x; break;
    case 22: s[6] += s[5] >> 9; break;
    case 23: s[7] ^= s[6] << 11; break;
    case 24: s[0] += s[1] + s[2]; break;
    case 25: s[1] ^= s[3] - s[4]; break;
    case 26: s[2] = (s[2] ^ x) >> 1; break;
    case 27: s[3] += x & 0xffffu; break;
    case 28: s[4] ^= s[4] >> 13; break;
    case 29: s[5] -= s[6] & 0xff00ff00u; break;
    case 30: s[6] = s[6] + (x | 1) * 9; break;
    case 31: s[7] ^= s[0] ^ s[4]; break;
    default: __builtin_unreachable();
  }
}

uint64_t bench_kernel(int32_t n) {
  if (n < 1) n = 1;
  uint32_t s[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  uint32_t x = 0x12345678u;
  uint64_t total = (uint64_t)n * 1000u;
  for (uint64_t i = 0; i < total; i++) {
    /* xorshift32 selector: cheap, so dispatch dominates */
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    dispatch(s, x & 31, x);
  }
  uint64_t h = 0;
  for (int i = 0; i < 8; i++) h = bench_mix(h, s[i]);
  return bench_final(h);
}
