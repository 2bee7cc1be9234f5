/* rss_of PROGRAM [ARGS...]: runs PROGRAM with stdout on /dev/null, waits,
 * and prints its peak resident set size in KiB (wait4's ru_maxrss).
 *
 * Why a separate, statically linked program: Linux carries the peak RSS of
 * the image a process exec'ed from into ru_maxrss, and a child spawned by a
 * Python (or node) parent starts out as that big parent, so the parent's
 * 20+ MiB would hide a 1 MiB hello world. This helper is a few hundred KiB. */
#include <spawn.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
extern char **environ;
int main(int argc, char **argv) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid;
  if (argc < 2) {
    fputs("usage: rss_of PROGRAM [ARGS...]\n", stderr);
    return 2;
  }
  if (posix_spawn(&pid, argv[1], &fa, NULL, argv + 1, environ)) {
    perror(argv[1]);
    return 2;
  }
  int st;
  struct rusage ru;
  if (wait4(pid, &st, 0, &ru) < 0) return 2;
  printf("%ld\n", ru.ru_maxrss);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
