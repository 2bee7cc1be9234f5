/* stdio behaviours, by mode (argv[1]):
     cat        copy stdin to stdout with read/write (pipes and terminals)
     lines      read stdin line by line with fgets, echo "got: <line>"
     exit       printf without a newline, then exit(7): libc must flush
     trap       print with write() and printf+fflush, then trap
     isatty     print isatty() for 0, 1, 2
     exitcode N return N from main (proc_exit(N))
     nonblock   make stdin non-blocking (fd_fdstat_set_flags), try a read
                (EAGAIN with no input), and exit without undoing it */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "cat";
  if (!strcmp(mode, "cat")) {
    char buf[4096];
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0)
      if (write(1, buf, (size_t)n) != n) return 1;
    return n < 0;
  }
  if (!strcmp(mode, "lines")) {
    char line[256];
    while (fgets(line, sizeof line, stdin)) {
      printf("got: %s", line);
      fflush(stdout);
    }
    return 0;
  }
  if (!strcmp(mode, "exit")) {
    printf("buffered output, no newline");
    exit(7);
  }
  if (!strcmp(mode, "trap")) {
    write(1, "unbuffered\n", 11);
    printf("flushed\n");
    fflush(stdout);
    __builtin_trap();
  }
  if (!strcmp(mode, "isatty")) {
    printf("%d %d %d\n", isatty(0), isatty(1), isatty(2));
    return 0;
  }
  if (!strcmp(mode, "exitcode") && argc > 2) return atoi(argv[2]);
  if (!strcmp(mode, "nonblock")) {
    if (fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK) != 0) return 3;
    char c;
    ssize_t n = read(0, &c, 1);
    printf("read %zd %s\n", n, n < 0 && errno == EAGAIN ? "EAGAIN" : "");
    return 0;
  }
  return 2;
}
