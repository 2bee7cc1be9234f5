/* Clocks: realtime agrees with the host (argument: host time in seconds),
   monotonic never goes back, resolutions are sane, sleeping takes at least
   as long as asked. Prints "clocks ok". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHECK(c)                                                   \
  do {                                                             \
    if (!(c)) {                                                    \
      printf("FAILED line %d: %s\n", __LINE__, #c);                \
      exit(1);                                                     \
    }                                                              \
  } while (0)

static long long ns(clockid_t c) {
  struct timespec ts;
  CHECK(clock_gettime(c, &ts) == 0);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char** argv) {
  CHECK(argc == 2);
  long long host = atoll(argv[1]);
  long long now = ns(CLOCK_REALTIME) / 1000000000LL;
  CHECK(now >= host - 5 && now <= host + 60);
  long long prev = ns(CLOCK_MONOTONIC);
  for (int i = 0; i < 10000; ++i) {
    long long t = ns(CLOCK_MONOTONIC);
    CHECK(t >= prev);
    prev = t;
  }
  struct timespec res;
  CHECK(clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0 &&
        res.tv_nsec <= 1000000);
  CHECK(clock_getres(CLOCK_REALTIME, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0);
  CHECK(ns(CLOCK_PROCESS_CPUTIME_ID) > 0);
  long long t0 = ns(CLOCK_MONOTONIC);
  struct timespec nap = {0, 50 * 1000000};
  CHECK(nanosleep(&nap, NULL) == 0);
  long long slept = ns(CLOCK_MONOTONIC) - t0;
  CHECK(slept >= 50 * 1000000LL && slept < 2000 * 1000000LL);
  printf("clocks ok (slept %lld ms)\n", slept / 1000000);
  return 0;
}
