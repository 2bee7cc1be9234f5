/* stdout_heavy MODE N: writes N lines to stdout.
     printf  snprintf-formatted lines through stdio: formatting dominates,
             so this mostly measures the engine running libc code
     puts    a line with an in-place decimal counter, through stdio's buffer:
             the usual shape of output-heavy programs (one fd_write per
             buffer-full)
     write   the same lines with one write() each: N fd_write calls, the
             host-call path itself
   The harness compares the bytes each runtime produced. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* "record 0000000000 of the output\n"; digits at [7, 17) */
static char g_line[] = "record 0000000000 of the output stream\n";

static void next_line(void) {
  for (int i = 16; i >= 7; --i) {
    if (g_line[i] != '9') {
      g_line[i]++;
      return;
    }
    g_line[i] = '0';
  }
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: stdout_heavy printf|puts|write N\n");
    return 2;
  }
  const char* mode = argv[1];
  long n = atol(argv[2]);
  if (!strcmp(mode, "printf")) {
    for (long i = 0; i < n; ++i)
      printf("line %ld: value %08x, half %ld, text %s\n", i, (unsigned)i * 2654435761u, i / 2,
             (i & 1) ? "odd" : "even");
  } else if (!strcmp(mode, "puts")) {
    for (long i = 0; i < n; ++i) {
      fputs(g_line, stdout);
      next_line();
    }
  } else if (!strcmp(mode, "write")) {
    size_t len = strlen(g_line);
    for (long i = 0; i < n; ++i) {
      if (write(1, g_line, len) != (ssize_t)len) return 1;
      next_line();
    }
  } else {
    return 2;
  }
  return fflush(stdout) != 0;
}
