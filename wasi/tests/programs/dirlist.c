/* Directory listing: creates many entries (more than one fd_readdir buffer
   holds) in the directory given as argument, lists them with readdir and
   checks every one shows up exactly once with the right type; also checks
   rewinddir. Prints "dirlist ok N". */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define N 300
#define CHECK(c)                                                                       \
  do {                                                                                 \
    if (!(c)) {                                                                        \
      printf("FAILED line %d: %s (errno %s)\n", __LINE__, #c, strerror(errno));        \
      exit(1);                                                                         \
    }                                                                                  \
  } while (0)

static int count_entries(DIR* d, int* seen, int* dots) {
  int total = 0;
  struct dirent* e;
  errno = 0;
  while ((e = readdir(d))) {
    ++total;
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) {
      CHECK(e->d_type == DT_DIR);
      ++*dots;
      continue;
    }
    int i;
    char kind;
    CHECK(sscanf(e->d_name, "entry-with-a-longish-name-%c-%d", &kind, &i) == 2);
    CHECK(i >= 0 && i < N);
    seen[i]++;
    CHECK(e->d_type == (kind == 'd' ? DT_DIR : DT_REG));
  }
  CHECK(errno == 0);
  return total;
}

int main(int argc, char** argv) {
  CHECK(argc == 2);
  CHECK(mkdir(argv[1], 0755) == 0);
  CHECK(chdir(argv[1]) == 0);
  char name[64];
  for (int i = 0; i < N; ++i) {
    if (i % 10 == 0) {
      snprintf(name, sizeof name, "entry-with-a-longish-name-d-%d", i);
      CHECK(mkdir(name, 0755) == 0);
    } else {
      snprintf(name, sizeof name, "entry-with-a-longish-name-f-%d", i);
      int fd = open(name, O_WRONLY | O_CREAT, 0644);
      CHECK(fd >= 0);
      close(fd);
    }
  }
  DIR* d = opendir(".");
  CHECK(d);
  int seen[N] = {0}, dots = 0;
  int total = count_entries(d, seen, &dots);
  for (int i = 0; i < N; ++i) CHECK(seen[i] == 1);
  CHECK(dots == 2 && total == N + 2);
  rewinddir(d);
  memset(seen, 0, sizeof seen);
  dots = 0;
  CHECK(count_entries(d, seen, &dots) == N + 2);
  for (int i = 0; i < N; ++i) CHECK(seen[i] == 1);
  closedir(d);
  printf("dirlist ok %d\n", total);
  return 0;
}
