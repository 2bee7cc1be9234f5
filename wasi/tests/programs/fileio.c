/* File I/O through libc and WASI: create, write, read back, seek, pread and
   pwrite, append, truncate, stat, rename, unlink. Argument: the directory
   to work in. Prints "fileio ok" on success. */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHECK(c)                                                        \
  do {                                                                  \
    if (!(c)) {                                                         \
      printf("FAILED line %d: %s (errno %s)\n", __LINE__, #c, strerror(errno)); \
      exit(1);                                                          \
    }                                                                   \
  } while (0)

int main(int argc, char** argv) {
  CHECK(argc == 2);
  CHECK(chdir(argv[1]) == 0);

  /* stdio round trip, larger than any buffer */
  FILE* f = fopen("data.bin", "wb");
  CHECK(f);
  for (int i = 0; i < 100000; ++i) CHECK(fputc(i * 7 & 0xFF, f) != EOF);
  CHECK(fclose(f) == 0);
  f = fopen("data.bin", "rb");
  CHECK(f);
  for (int i = 0; i < 100000; ++i) CHECK(fgetc(f) == (i * 7 & 0xFF));
  CHECK(fgetc(f) == EOF);
  CHECK(fclose(f) == 0);

  /* seek, tell, pread, pwrite */
  int fd = open("data.bin", O_RDWR);
  CHECK(fd >= 0);
  CHECK(lseek(fd, 0, SEEK_END) == 100000);
  CHECK(lseek(fd, 1000, SEEK_SET) == 1000);
  unsigned char b[4];
  CHECK(read(fd, b, 4) == 4 && b[0] == (1000 * 7 & 0xFF));
  CHECK(lseek(fd, 0, SEEK_CUR) == 1004);
  CHECK(pread(fd, b, 2, 10) == 2 && b[0] == 70 && b[1] == 77);
  CHECK(lseek(fd, 0, SEEK_CUR) == 1004);  /* pread leaves the offset alone */
  CHECK(pwrite(fd, "XY", 2, 50) == 2);
  CHECK(pread(fd, b, 2, 50) == 2 && b[0] == 'X' && b[1] == 'Y');
  CHECK(lseek(fd, -1, SEEK_SET) == -1 && errno == EINVAL);

  /* stat, truncate */
  struct stat st;
  CHECK(fstat(fd, &st) == 0 && st.st_size == 100000 && S_ISREG(st.st_mode));
  CHECK(ftruncate(fd, 10) == 0);
  CHECK(fstat(fd, &st) == 0 && st.st_size == 10);
  CHECK(close(fd) == 0);
  CHECK(truncate("data.bin", 3) == 0);
  CHECK(stat("data.bin", &st) == 0 && st.st_size == 3);

  /* append mode */
  fd = open("log.txt", O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
  CHECK(fd >= 0);
  CHECK(write(fd, "one\n", 4) == 4);
  CHECK(lseek(fd, 0, SEEK_SET) == 0);
  CHECK(write(fd, "two\n", 4) == 4);
  CHECK(close(fd) == 0);
  f = fopen("log.txt", "r");
  char line[32];
  CHECK(fgets(line, sizeof line, f) && strcmp(line, "one\n") == 0);
  CHECK(fgets(line, sizeof line, f) && strcmp(line, "two\n") == 0);
  fclose(f);

  /* exclusive create, read-only enforcement */
  CHECK(open("log.txt", O_WRONLY | O_CREAT | O_EXCL, 0644) == -1 && errno == EEXIST);
  fd = open("log.txt", O_RDONLY);
  CHECK(fd >= 0);
  CHECK(write(fd, "x", 1) == -1);
  CHECK(close(fd) == 0);

  /* directories, rename, unlink */
  CHECK(mkdir("d", 0755) == 0);
  CHECK(mkdir("d", 0755) == -1 && errno == EEXIST);
  CHECK(rename("log.txt", "d/log2.txt") == 0);
  CHECK(access("log.txt", F_OK) == -1 && errno == ENOENT);
  CHECK(access("d/log2.txt", F_OK) == 0);
  CHECK(rmdir("d") == -1 && errno == ENOTEMPTY);
  CHECK(unlink("d/log2.txt") == 0);
  CHECK(rmdir("d") == 0);
  CHECK(symlink("data.bin", "alias") == 0);
  char target[64] = {0};
  CHECK(readlink("alias", target, sizeof target) == 8 && strcmp(target, "data.bin") == 0);
  CHECK(lstat("alias", &st) == 0 && S_ISLNK(st.st_mode));
  CHECK(stat("alias", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 3);
  CHECK(link("data.bin", "hard") == 0);
  CHECK(stat("hard", &st) == 0 && st.st_nlink == 2);
  CHECK(unlink("alias") == 0 && unlink("hard") == 0 && unlink("data.bin") == 0);
  printf("fileio ok\n");
  return 0;
}
