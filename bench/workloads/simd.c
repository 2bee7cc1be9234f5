/* simd: two kernels written with wasm_simd128.h intrinsics when compiled
 * with -msimd128, and as plain C otherwise (native; a wasm build without
 * -msimd128 also gets the plain C):
 *   - a 3x3 weighted blur of a 256x256 8-bit image (i16x8 adds, shifts,
 *     load8x8 widening loads, narrowing, 64-bit lane stores), ping-ponging
 *     between two images;
 *   - an f32 dot product and saxpy over 4096 floats with four lane
 *     accumulators (f32x4 mul/add, no FMA).
 * The plain C does exactly the same arithmetic lane by lane, so the checksum
 * is identical for both.  n = number of passes. */
#include "bench.h"

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define USE_WASM_SIMD 1
#else
#define USE_WASM_SIMD 0
#endif

BENCH_SIZES(650, 3)

#define W 256
#define H 256
#define NF 4096

/* out = (sum of the 3x3 neighbourhood + 7 * centre) >> 4; borders copied */
static void blur_scalar_span(const uint8_t *in, uint8_t *out, uint32_t y, uint32_t x0,
                             uint32_t x1) {
  for (uint32_t x = x0; x < x1; x++) {
    const uint8_t *p = in + y * W + x;
    uint32_t s = (uint32_t)p[-W - 1] + p[-W] + p[-W + 1] + p[-1] + p[0] + p[1] + p[W - 1] +
                 p[W] + p[W + 1] + 7u * p[0];
    out[y * W + x] = (uint8_t)(s >> 4);
  }
}

static BENCH_NOINLINE void blur(const uint8_t *in, uint8_t *out) {
  bench_memcpy(out, in, W);
  bench_memcpy(out + (H - 1) * W, in + (H - 1) * W, W);
  for (uint32_t y = 1; y < H - 1; y++) {
    out[y * W] = in[y * W];
    out[y * W + W - 1] = in[y * W + W - 1];
#if USE_WASM_SIMD
    uint32_t x = 1;
    for (; x + 8 <= W - 1; x += 8) {
      const uint8_t *p = in + y * W + x;
      v128_t s = wasm_u16x8_load8x8(p - W - 1);
      s = wasm_i16x8_add(s, wasm_u16x8_load8x8(p - W));
      s = wasm_i16x8_add(s, wasm_u16x8_load8x8(p - W + 1));
      s = wasm_i16x8_add(s, wasm_u16x8_load8x8(p - 1));
      v128_t c = wasm_u16x8_load8x8(p);
      s = wasm_i16x8_add(s, wasm_u16x8_load8x8(p + 1));
      s = wasm_i16x8_add(s, wasm_u16x8_load8x8(p + W - 1));
      s = wasm_i16x8_add(s, wasm_u16x8_load8x8(p + W));
      s = wasm_i16x8_add(s, wasm_u16x8_load8x8(p + W + 1));
      s = wasm_i16x8_add(s, wasm_i16x8_shl(c, 3)); /* + 8 * centre = centre + 7 * centre */
      s = wasm_u16x8_shr(s, 4);
      v128_t packed = wasm_u8x16_narrow_i16x8(s, s);
      wasm_v128_store64_lane(out + y * W + x, packed, 0);
    }
    blur_scalar_span(in, out, y, x, W - 1);
#else
    blur_scalar_span(in, out, y, 1, W - 1);
#endif
  }
}

/* returns the dot product of a and b, then does y += alpha * x */
static BENCH_NOINLINE float dot_saxpy(const float *a, const float *b, float *y, float alpha) {
#if USE_WASM_SIMD
  v128_t acc = wasm_f32x4_splat(0.0f);
  v128_t va = wasm_f32x4_splat(alpha);
  for (uint32_t i = 0; i < NF; i += 4) {
    v128_t x = wasm_v128_load(a + i);
    acc = wasm_f32x4_add(acc, wasm_f32x4_mul(x, wasm_v128_load(b + i)));
    wasm_v128_store(y + i, wasm_f32x4_add(wasm_v128_load(y + i), wasm_f32x4_mul(va, x)));
  }
  float l0 = wasm_f32x4_extract_lane(acc, 0), l1 = wasm_f32x4_extract_lane(acc, 1);
  float l2 = wasm_f32x4_extract_lane(acc, 2), l3 = wasm_f32x4_extract_lane(acc, 3);
#else
  float l0 = 0.0f, l1 = 0.0f, l2 = 0.0f, l3 = 0.0f;
  for (uint32_t i = 0; i < NF; i += 4) {
    float p0 = a[i] * b[i], p1 = a[i + 1] * b[i + 1];
    float p2 = a[i + 2] * b[i + 2], p3 = a[i + 3] * b[i + 3];
    l0 = l0 + p0;
    l1 = l1 + p1;
    l2 = l2 + p2;
    l3 = l3 + p3;
    float q0 = alpha * a[i], q1 = alpha * a[i + 1];
    float q2 = alpha * a[i + 2], q3 = alpha * a[i + 3];
    y[i] = y[i] + q0;
    y[i + 1] = y[i + 1] + q1;
    y[i + 2] = y[i + 2] + q2;
    y[i + 3] = y[i + 3] + q3;
  }
#endif
  return (l0 + l1) + (l2 + l3);
}

uint64_t bench_kernel(int32_t n) {
  if (n < 1) n = 1;
  uint8_t *img0 = bench_alloc(W * H);
  uint8_t *img1 = bench_alloc(W * H);
  float *a = bench_alloc(NF * sizeof(float));
  float *b = bench_alloc(NF * sizeof(float));
  float *y = bench_alloc(NF * sizeof(float));
  bench_rng r = {4242};
  for (uint32_t i = 0; i < W * H; i++) img0[i] = (uint8_t)bench_next32(&r);
  for (uint32_t i = 0; i < NF; i++) {
    a[i] = (float)((int32_t)(bench_next32(&r) >> 20) - 2048) / 256.0f;
    b[i] = (float)((int32_t)(bench_next32(&r) >> 20) - 2048) / 1024.0f;
    y[i] = 0.0f;
  }
  uint64_t h = 0;
  for (int32_t pass = 0; pass < n; pass++) {
    blur(img0, img1);
    /* re-seed a few pixels so the image does not converge to flat */
    img1[(uint32_t)pass * 7919u % (W * H)] ^= 0xa5;
    uint8_t *t = img0;
    img0 = img1;
    img1 = t;
    float d = dot_saxpy(a, b, y, (pass & 1) ? 0.5f : -0.25f);
    h = bench_mix(h, bench_f32_bits(d));
  }
  for (uint32_t i = 0; i < W * H; i += 8) {
    uint64_t v;
    bench_memcpy(&v, img0 + i, 8);
    h = bench_mix(h, v);
  }
  for (uint32_t i = 0; i < NF; i += 16) h = bench_mix(h, bench_f32_bits(y[i]));
  bench_free(img0);
  bench_free(img1);
  bench_free(a);
  bench_free(b);
  bench_free(y);
  return bench_final(h);
}
