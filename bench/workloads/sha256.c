/* sha256: SHA-256 (FIPS 180-4) of a PRNG-generated buffer, written here from
 * the specification.  Stresses i32 rotates, shifts, and/xor/add, big-endian
 * byte loads and a 64-entry message schedule.  n = buffer size in KiB.
 * The checksum folds the 32-byte digest (see sha256_digest_check below). */
#include "bench.h"

BENCH_SIZES(3072, 16)

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static inline uint32_t rotr(uint32_t x, unsigned r) {
  return (x >> r) | (x << (32 - r));
}

static void compress(uint32_t st[8], const unsigned char *p) {
  uint32_t w[64];
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
           (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = st[0], b = st[1], c = st[2], d = st[3];
  uint32_t e = st[4], f = st[5], g = st[6], h = st[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) +
                  ((e & f) ^ (~e & g)) + K[i] + w[i];
    uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) +
                  ((a & b) ^ (a & c) ^ (b & c));
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  st[0] += a;
  st[1] += b;
  st[2] += c;
  st[3] += d;
  st[4] += e;
  st[5] += f;
  st[6] += g;
  st[7] += h;
}

static void sha256(const unsigned char *msg, size_t len, unsigned char out[32]) {
  uint32_t st[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  size_t full = len / 64;
  for (size_t i = 0; i < full; i++) compress(st, msg + 64 * i);
  unsigned char tail[128];
  size_t rest = len - full * 64;
  bench_memset(tail, 0, sizeof tail);
  bench_memcpy(tail, msg + full * 64, rest);
  tail[rest] = 0x80;
  size_t tlen = rest + 1 + 8 <= 64 ? 64 : 128;
  uint64_t bits = (uint64_t)len * 8;
  for (int i = 0; i < 8; i++) tail[tlen - 1 - i] = (unsigned char)(bits >> (8 * i));
  compress(st, tail);
  if (tlen == 128) compress(st, tail + 64);
  for (int i = 0; i < 8; i++) {
    out[4 * i] = (unsigned char)(st[i] >> 24);
    out[4 * i + 1] = (unsigned char)(st[i] >> 16);
    out[4 * i + 2] = (unsigned char)(st[i] >> 8);
    out[4 * i + 3] = (unsigned char)st[i];
  }
}

/* The buffer: bytes of successive splitmix64 outputs (seed 7), little-endian.
 * The checksum is bench_final of bench_mix over the digest's four big-endian
 * 64-bit words; the digest itself can be checked with any sha256 tool. */
uint64_t bench_kernel(int32_t n) {
  if (n < 1) n = 1;
  size_t len = (size_t)n * 1024;
  unsigned char *buf = bench_alloc(len);
  bench_rng r = {7};
  for (size_t i = 0; i < len; i += 8) {
    uint64_t v = bench_next(&r);
    for (int k = 0; k < 8; k++) buf[i + k] = (unsigned char)(v >> (8 * k));
  }
  unsigned char d[32];
  sha256(buf, len, d);
  /* a second, unaligned, odd-length message exercises the padding paths */
  unsigned char d2[32];
  sha256(buf + 3, len > 1020 ? 1017 : len - 3, d2); /* 1017 % 64 = 57: two-block tail */
  uint64_t h = 0;
  for (int i = 0; i < 4; i++) {
    uint64_t v = 0;
    for (int k = 0; k < 8; k++) v = v << 8 | d[8 * i + k];
    h = bench_mix(h, v);
  }
  for (int i = 0; i < 32; i++) h = bench_mix(h, d2[i]);
  bench_free(buf);
  return bench_final(h);
}
