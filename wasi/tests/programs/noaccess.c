/* With nothing (or only an unrelated directory) granted, nothing else of the
   host file system is reachable: every attempt must fail. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "wasi_raw.h"

static void attempt(const char* path) {
  FILE* f = fopen(path, "r");
  if (f) {
    printf("OPENED %s\n", path);
    g_failures++;
    fclose(f);
  } else {
    printf("denied fopen(\"%s\"): %s\n", path, strerror(errno));
  }
}

int main(void) {
  attempt("/etc/passwd");
  attempt("/proc/self/environ");
  attempt("secret.txt");
  attempt("./secret.txt");
  attempt("../secret.txt");
  DIR* d = opendir("/");
  if (d) {
    /* Only acceptable when a directory was granted as "/" */
    printf("opendir(\"/\") succeeded\n");
    closedir(d);
  } else {
    printf("denied opendir(\"/\"): %s\n", strerror(errno));
  }
  int32_t fd;
  for (int32_t dir = 3; dir < 10; ++dir) {
    int32_t e = open_path(dir, "etc/passwd", 0, 0, &fd);
    if (e == 0) {
      printf("OPENED etc/passwd via fd %d\n", dir);
      g_failures++;
    }
  }
  printf(g_failures ? "FAILED\n" : "nothing reachable\n");
  return g_failures != 0;
}
