// Helpers shared by the fuzz targets.
#pragma once
#include <cstdio>
#include <cstdlib>

// A broken invariant: print why and abort, which libFuzzer reports as a
// crash with the input saved. (assert() would vanish under NDEBUG.)
#define FUZZ_CHECK(cond, ...)                                     \
  do {                                                            \
    if (!(cond)) {                                                \
      std::fprintf(stderr, "FUZZ_CHECK failed: %s: ", #cond);     \
      std::fprintf(stderr, __VA_ARGS__);                          \
      std::fprintf(stderr, "\n");                                 \
      std::abort();                                               \
    }                                                             \
  } while (0)
