// A WASI command that exercises what a component gets through WASI 0.2's
// filesystem, streams, poll and clocks (and, as a core module, preview 1):
// run with a preopened directory "data" holding in.txt. Its output does not
// depend on the runtime (listings are sorted, times are compared, not
// printed), so wisp (core and component) and `jco run` must print the same.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int cmp(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

static void list(const char* dir) {
  DIR* d = opendir(dir);
  if (!d) {
    printf("opendir %s: %s\n", dir, strerror(errno));
    return;
  }
  char* names[64];
  int n = 0;
  struct dirent* e;
  while ((e = readdir(d)) && n < 64)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names[n++] = strdup(e->d_name);
  closedir(d);
  qsort(names, n, sizeof names[0], cmp);
  printf("%s:", dir);
  for (int i = 0; i < n; ++i) {
    struct stat st;
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    stat(path, &st);
    printf(" %s%s(%lld)", names[i], S_ISDIR(st.st_mode) ? "/" : "", S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_size);
    free(names[i]);
  }
  printf("\n");
}

int main(void) {
  // Read a file line by line.
  FILE* in = fopen("data/in.txt", "r");
  if (!in) {
    printf("open data/in.txt: %s\n", strerror(errno));
    return 2;
  }
  char line[256];
  int lines = 0;
  long sum = 0;
  while (fgets(line, sizeof line, in)) {
    ++lines;
    for (char* p = line; *p; ++p) sum += (unsigned char)*p;
  }
  fclose(in);
  printf("in.txt: %d lines, byte sum %ld\n", lines, sum);

  // Write, append, read back, seek.
  FILE* out = fopen("data/out.txt", "w");
  for (int i = 0; i < 1000; ++i) fprintf(out, "line %d\n", i);
  fclose(out);
  out = fopen("data/out.txt", "a");
  fputs("appended\n", out);
  fclose(out);
  int fd = open("data/out.txt", O_RDONLY);
  char buf[32] = {0};
  lseek(fd, -9, SEEK_END);
  ssize_t n = read(fd, buf, sizeof buf - 1);
  printf("tail: %zd bytes: %s", n, buf);
  n = pread(fd, buf, 7, 7);
  buf[n] = 0;
  printf("pread at 7: %s\n", buf);
  close(fd);

  // Directories: create, list, rename, remove.
  mkdir("data/sub", 0755);
  FILE* f = fopen("data/sub/a.txt", "w");
  fputs("a", f);
  fclose(f);
  rename("data/sub/a.txt", "data/sub/b.txt");
  list("data");
  list("data/sub");
  unlink("data/sub/b.txt");
  printf("rmdir sub: %d\n", rmdir("data/sub"));
  printf("rmdir again: %s\n", rmdir("data/sub") == 0 ? "ok" : strerror(errno));
  truncate("data/out.txt", 5);
  struct stat st;
  stat("data/out.txt", &st);
  printf("after truncate: %lld bytes\n", (long long)st.st_size);
  unlink("data/out.txt");
  list("data");

  // What is refused.
  printf("missing: %s\n", fopen("data/nope.txt", "r") ? "opened" : strerror(errno));
  printf("outside: %s\n", fopen("data/../../etc/passwd", "r") ? "opened" : "refused");
  printf("not granted: %s\n", fopen("/etc/passwd", "r") ? "opened" : "refused");

  // Sleeping waits on a pollable (poll_oneoff under preview 1).
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  usleep(20000);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
  printf("slept at least 20 ms: %s\n", ms >= 20 ? "yes" : "no");

  // A CPU-heavy loop.
  unsigned h = 2166136261u;
  for (int i = 0; i < 3000000; ++i) h = (h ^ (unsigned)i) * 16777619u;
  printf("hash: %08x\n", h);
  return 0;
}
