/* poll_oneoff: relative and absolute clock timeouts fire on time, the
   earliest of several clocks wins, an fd subscription on a silent stdin
   (the harness gives it a pipe nobody writes) times out, and one on a
   readable stdin reports the bytes. Argument: "silent" or "ready". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wasi/api.h>

#define CHECK(c)                                                   \
  do {                                                             \
    if (!(c)) {                                                    \
      printf("FAILED line %d: %s\n", __LINE__, #c);                \
      exit(1);                                                     \
    }                                                              \
  } while (0)

static long long mono(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static __wasi_subscription_t clock_sub(__wasi_userdata_t ud, __wasi_timestamp_t t, int abs) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = ud;
  s.u.tag = __WASI_EVENTTYPE_CLOCK;
  s.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  s.u.u.clock.timeout = t;
  s.u.u.clock.flags = abs ? __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME : 0;
  return s;
}

int main(int argc, char** argv) {
  CHECK(argc == 2);
  __wasi_event_t ev[4];
  __wasi_size_t n;

  /* one relative clock */
  __wasi_subscription_t s[3] = {clock_sub(7, 100000000, 0)};
  long long t0 = mono();
  CHECK(__wasi_poll_oneoff(s, ev, 1, &n) == 0);
  long long dt = mono() - t0;
  CHECK(n == 1 && ev[0].userdata == 7 && ev[0].error == 0 && ev[0].type == __WASI_EVENTTYPE_CLOCK);
  CHECK(dt >= 100000000 && dt < 1500000000);

  /* an absolute deadline */
  t0 = mono();
  s[0] = clock_sub(8, (__wasi_timestamp_t)(t0 + 80000000), 1);
  CHECK(__wasi_poll_oneoff(s, ev, 1, &n) == 0);
  dt = mono() - t0;
  CHECK(n == 1 && ev[0].userdata == 8 && dt >= 79000000 && dt < 1500000000);

  /* the earliest of three */
  s[0] = clock_sub(1, 900000000, 0);
  s[1] = clock_sub(2, 50000000, 0);
  s[2] = clock_sub(3, 600000000, 0);
  t0 = mono();
  CHECK(__wasi_poll_oneoff(s, ev, 3, &n) == 0);
  dt = mono() - t0;
  CHECK(n == 1 && ev[0].userdata == 2 && dt >= 50000000 && dt < 500000000);

  /* stdin plus a timeout */
  memset(&s[0], 0, sizeof s[0]);
  s[0].userdata = 42;
  s[0].u.tag = __WASI_EVENTTYPE_FD_READ;
  s[0].u.u.fd_read.file_descriptor = 0;
  s[1] = clock_sub(43, 150000000, 0);
  t0 = mono();
  CHECK(__wasi_poll_oneoff(s, ev, 2, &n) == 0);
  dt = mono() - t0;
  if (!strcmp(argv[1], "silent")) {
    CHECK(n == 1 && ev[0].userdata == 43 && dt >= 150000000);
  } else {
    CHECK(n == 1 && ev[0].userdata == 42 && ev[0].type == __WASI_EVENTTYPE_FD_READ);
    CHECK(ev[0].error == 0 && ev[0].fd_readwrite.nbytes == 6);
  }

  /* a bad descriptor is an event with an error, not a failed call */
  s[0].u.u.fd_read.file_descriptor = 77;
  CHECK(__wasi_poll_oneoff(s, ev, 2, &n) == 0);
  CHECK(n == 1 && ev[0].userdata == 42 && ev[0].error == __WASI_ERRNO_BADF);
  printf("poll ok\n");
  return 0;
}
