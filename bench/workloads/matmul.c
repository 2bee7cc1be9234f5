/* matmul: dense double-precision matrix multiply C = A * B (i-k-j loop
 * order, row-major), then C2 = C * A to chain results.  Stresses f64 mul/add,
 * f64 loads/stores and address arithmetic.  n = matrix dimension.
 * No FMA contraction anywhere (wasm has none; native uses -ffp-contract=off),
 * so the checksum is bit-identical across targets. */
#include "bench.h"

BENCH_SIZES(230, 24)

static void mul(const double *a, const double *b, double *c, uint32_t n) {
  for (uint32_t i = 0; i < n * n; i++) c[i] = 0.0;
  for (uint32_t i = 0; i < n; i++) {
    double *ci = c + (size_t)i * n;
    for (uint32_t k = 0; k < n; k++) {
      double aik = a[(size_t)i * n + k];
      const double *bk = b + (size_t)k * n;
      for (uint32_t j = 0; j < n; j++) ci[j] += aik * bk[j];
    }
  }
}

uint64_t bench_kernel(int32_t n) {
  if (n < 1) n = 1;
  uint32_t d = (uint32_t)n;
  size_t cells = (size_t)d * d;
  double *a = bench_alloc(cells * sizeof(double));
  double *b = bench_alloc(cells * sizeof(double));
  double *c = bench_alloc(cells * sizeof(double));
  double *c2 = bench_alloc(cells * sizeof(double));
  bench_rng r = {12345};
  for (size_t i = 0; i < cells; i++) {
    /* values in [-1, 1) with 20 significant bits */
    a[i] = (double)((int32_t)(bench_next32(&r) >> 12) - (1 << 19)) / (double)(1 << 19);
    b[i] = (double)((int32_t)(bench_next32(&r) >> 12) - (1 << 19)) / (double)(1 << 19);
  }
  mul(a, b, c, d);
  mul(c, a, c2, d);
  uint64_t h = 0;
  double trace = 0.0;
  for (uint32_t i = 0; i < d; i++) trace += c2[(size_t)i * d + i];
  for (size_t i = 0; i < cells; i += 7) h = bench_mix(h, bench_f64_bits(c2[i]));
  h = bench_mix(h, bench_f64_bits(trace));
  bench_free(a);
  bench_free(b);
  bench_free(c);
  bench_free(c2);
  return bench_final(h);
}
