/* Opens swap/secret in a loop while the harness keeps swapping "swap"
   between a directory inside the sandbox and a symlink to the outside.
   Prints how many opens read the inside file and how many the outside one;
   the harness requires the latter to be 0. Runs at least argv[1] times, and
   on until it has seen the inside file 100 times (the swapping thread may
   be slow to get going on a loaded machine), at most 50x argv[1]. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "wasi_raw.h"

int main(int argc, char** argv) {
  int iterations = argc > 1 ? atoi(argv[1]) : 20000;
  int32_t root = first_preopen();
  int inside = 0, outside = 0, failed = 0;
  for (int i = 0; i < iterations || (inside < 100 && i < 50 * iterations); ++i) {
    int32_t fd;
    if (open_path(root, "swap/secret", 1, 0, &fd) != 0) {
      ++failed;
      continue;
    }
    char buf[16] = {0};
    read(fd, buf, sizeof buf - 1);
    raw_fd_close(fd);
    if (!strcmp(buf, "SECRET")) ++outside;
    else ++inside;
  }
  printf("inside %d outside %d failed %d\n", inside, outside, failed);
  return outside != 0;
}
