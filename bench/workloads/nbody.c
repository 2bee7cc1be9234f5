/* nbody: gravitational N-body simulation (8 bodies, all pairs, symplectic
 * Euler steps).  Stresses f64 arithmetic, f64.sqrt and f64.div, and loads
 * and stores of small structs.  n = number of time steps.
 * Bodies are made by the PRNG; there is no FMA contraction, so the result is
 * bit-identical across targets. */
#include "bench.h"

BENCH_SIZES(150000, 1000)

#define NBODIES 8

typedef struct {
  double x, y, z;
  double vx, vy, vz;
  double mass;
} body;

static double unit(bench_rng *r) { /* [-1, 1) with 24 significant bits */
  return (double)((int32_t)(bench_next32(r) >> 8) - (1 << 23)) / (double)(1 << 23);
}

static void step(body *b, double dt) {
  for (int i = 0; i < NBODIES; i++) {
    body *bi = &b[i];
    for (int j = i + 1; j < NBODIES; j++) {
      body *bj = &b[j];
      double dx = bi->x - bj->x, dy = bi->y - bj->y, dz = bi->z - bj->z;
      double d2 = dx * dx + dy * dy + dz * dz + 0.01; /* softened */
      double mag = dt / (d2 * __builtin_sqrt(d2));
      double mi = bi->mass * mag, mj = bj->mass * mag;
      bi->vx -= dx * mj;
      bi->vy -= dy * mj;
      bi->vz -= dz * mj;
      bj->vx += dx * mi;
      bj->vy += dy * mi;
      bj->vz += dz * mi;
    }
  }
  for (int i = 0; i < NBODIES; i++) {
    b[i].x += dt * b[i].vx;
    b[i].y += dt * b[i].vy;
    b[i].z += dt * b[i].vz;
  }
}

static double energy(const body *b) {
  double e = 0.0;
  for (int i = 0; i < NBODIES; i++) {
    const body *bi = &b[i];
    e += 0.5 * bi->mass * (bi->vx * bi->vx + bi->vy * bi->vy + bi->vz * bi->vz);
    for (int j = i + 1; j < NBODIES; j++) {
      double dx = bi->x - b[j].x, dy = bi->y - b[j].y, dz = bi->z - b[j].z;
      e -= bi->mass * b[j].mass / __builtin_sqrt(dx * dx + dy * dy + dz * dz + 0.01);
    }
  }
  return e;
}

uint64_t bench_kernel(int32_t n) {
  body b[NBODIES];
  bench_rng r = {2024};
  for (int i = 0; i < NBODIES; i++) {
    b[i].x = 10.0 * unit(&r);
    b[i].y = 10.0 * unit(&r);
    b[i].z = 2.0 * unit(&r);
    b[i].vx = 0.1 * unit(&r);
    b[i].vy = 0.1 * unit(&r);
    b[i].vz = 0.02 * unit(&r);
    b[i].mass = 1.25 + unit(&r) * 0.75;
  }
  uint64_t h = bench_mix(0, bench_f64_bits(energy(b)));
  for (int32_t s = 0; s < n; s++) step(b, 0.001);
  h = bench_mix(h, bench_f64_bits(energy(b)));
  for (int i = 0; i < NBODIES; i++) {
    h = bench_mix(h, bench_f64_bits(b[i].x));
    h = bench_mix(h, bench_f64_bits(b[i].vy));
  }
  return bench_final(h);
}
