/* sort: sorts n PRNG-generated 32-bit keys twice, with a quicksort
 * (median-of-three, insertion sort below 16 elements, recursing on the
 * smaller side) and with a bottom-up mergesort of 64-bit key/index pairs.
 * Stresses unpredictable branches, i32/i64 loads/stores, recursion.
 * n = number of elements. */
#include "bench.h"

BENCH_SIZES(350000, 2000)

static void insertion(uint32_t *a, int32_t lo, int32_t hi) {
  for (int32_t i = lo + 1; i <= hi; i++) {
    uint32_t v = a[i];
    int32_t j = i - 1;
    while (j >= lo && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

static inline void swap32(uint32_t *a, int32_t i, int32_t j) {
  uint32_t t = a[i];
  a[i] = a[j];
  a[j] = t;
}

static void quicksort(uint32_t *a, int32_t lo, int32_t hi) {
  while (hi - lo >= 16) {
    int32_t mid = lo + (hi - lo) / 2;
    if (a[mid] < a[lo]) swap32(a, mid, lo);
    if (a[hi] < a[lo]) swap32(a, hi, lo);
    if (a[hi] < a[mid]) swap32(a, hi, mid);
    uint32_t pivot = a[mid];
    int32_t i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap32(a, i, j);
        i++;
        j--;
      }
    }
    if (j - lo < hi - i) {
      quicksort(a, lo, j);
      lo = i;
    } else {
      quicksort(a, i, hi);
      hi = j;
    }
  }
  insertion(a, lo, hi);
}

/* keys in the high 32 bits, original index in the low: a stable total order */
static void mergesort64(uint64_t *a, uint64_t *tmp, uint32_t n) {
  uint64_t *src = a, *dst = tmp;
  for (uint32_t width = 1; width < n; width *= 2) {
    for (uint32_t lo = 0; lo < n; lo += 2 * width) {
      uint32_t mid = lo + width < n ? lo + width : n;
      uint32_t hi = lo + 2 * width < n ? lo + 2 * width : n;
      uint32_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) dst[k++] = src[i] <= src[j] ? src[i++] : src[j++];
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
    }
    uint64_t *t = src;
    src = dst;
    dst = t;
  }
  if (src != a) bench_memcpy(a, src, (size_t)n * sizeof *a);
}

uint64_t bench_kernel(int32_t n) {
  if (n < 1) n = 1;
  uint32_t cnt = (uint32_t)n;
  uint32_t *q = bench_alloc((size_t)cnt * sizeof *q);
  uint64_t *m = bench_alloc((size_t)cnt * sizeof *m);
  uint64_t *tmp = bench_alloc((size_t)cnt * sizeof *tmp);
  bench_rng r = {99};
  for (uint32_t i = 0; i < cnt; i++) {
    /* a limited key range so there are duplicates */
    uint32_t key = bench_next32(&r) % (cnt * 4u + 1u);
    q[i] = key;
    m[i] = (uint64_t)key << 32 | i;
  }
  quicksort(q, 0, (int32_t)cnt - 1);
  mergesort64(m, tmp, cnt);
  uint64_t h = 0, bad = 0;
  for (uint32_t i = 0; i < cnt; i++) {
    if (q[i] != (uint32_t)(m[i] >> 32)) bad++;
    if (i && q[i - 1] > q[i]) bad++;
    if ((i & 63) == 0) h = bench_mix(h, m[i]);
  }
  h = bench_mix(h, bad);
  bench_free(q);
  bench_free(m);
  bench_free(tmp);
  return bench_final(h);
}
