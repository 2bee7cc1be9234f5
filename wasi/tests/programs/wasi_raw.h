/* Raw wasi_snapshot_preview1 imports with exact (pointer, length)
   arguments, so tests can pass paths libc would rewrite and pointers libc
   would never produce. */
#ifndef WISP_WASI_RAW_H
#define WISP_WASI_RAW_H
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define RAW(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))

RAW(path_open) int32_t raw_path_open(int32_t fd, int32_t dirflags, uint32_t path, uint32_t len,
                                     int32_t oflags, int64_t base, int64_t inheriting,
                                     int32_t fdflags, uint32_t fd_out);
RAW(path_filestat_get) int32_t raw_path_filestat_get(int32_t fd, int32_t flags, uint32_t path,
                                                     uint32_t len, uint32_t out);
RAW(path_filestat_set_times) int32_t raw_path_filestat_set_times(int32_t fd, int32_t flags,
                                                                 uint32_t path, uint32_t len,
                                                                 int64_t atim, int64_t mtim,
                                                                 int32_t fst);
RAW(path_create_directory) int32_t raw_path_create_directory(int32_t fd, uint32_t path, uint32_t len);
RAW(path_remove_directory) int32_t raw_path_remove_directory(int32_t fd, uint32_t path, uint32_t len);
RAW(path_unlink_file) int32_t raw_path_unlink_file(int32_t fd, uint32_t path, uint32_t len);
RAW(path_rename) int32_t raw_path_rename(int32_t fd, uint32_t old, uint32_t old_len, int32_t new_fd,
                                         uint32_t new_path, uint32_t new_len);
RAW(path_link) int32_t raw_path_link(int32_t old_fd, int32_t flags, uint32_t old, uint32_t old_len,
                                     int32_t new_fd, uint32_t new_path, uint32_t new_len);
RAW(path_symlink) int32_t raw_path_symlink(uint32_t old, uint32_t old_len, int32_t fd,
                                           uint32_t new_path, uint32_t new_len);
RAW(path_readlink) int32_t raw_path_readlink(int32_t fd, uint32_t path, uint32_t len, uint32_t buf,
                                             uint32_t buf_len, uint32_t used);
RAW(fd_read) int32_t raw_fd_read(int32_t fd, uint32_t iovs, uint32_t n, uint32_t nread);
RAW(fd_write) int32_t raw_fd_write(int32_t fd, uint32_t iovs, uint32_t n, uint32_t nwritten);
RAW(fd_close) int32_t raw_fd_close(int32_t fd);
RAW(fd_prestat_get) int32_t raw_fd_prestat_get(int32_t fd, uint32_t out);
RAW(poll_oneoff) int32_t raw_poll_oneoff(uint32_t in, uint32_t out, uint32_t n, uint32_t nevents);

#define PTR(p) ((uint32_t)(uintptr_t)(p))
#define LOOKUP_FOLLOW 1
#define E_PERM 63
#define E_NOTCAPABLE 76
#define E_FAULT 21
#define E_BADF 8
#define E_NOENT 44
#define RIGHTS_READ ((int64_t)1 << 1)
#define RIGHTS_WRITE ((int64_t)1 << 6)

static int g_failures;

/* A sandbox violation attempt must fail with one of the allowed errnos. */
__attribute__((unused)) static void expect_err(const char* what, int32_t got, int32_t want1, int32_t want2) {
  if (got == want1 || got == want2) {
    printf("denied   %-48s errno %d\n", what, got);
  } else {
    printf("ESCAPED? %-48s errno %d (wanted %d or %d)\n", what, got, want1, want2);
    g_failures++;
  }
}
__attribute__((unused)) static void expect_denied(const char* what, int32_t got) {
  expect_err(what, got, E_NOTCAPABLE, E_PERM);
}

__attribute__((unused)) static int32_t open_path(int32_t dir, const char* path, int32_t follow, int32_t oflags,
                         int32_t* fd) {
  return raw_path_open(dir, follow, PTR(path), (uint32_t)strlen(path), oflags, RIGHTS_READ, 0, 0,
                       PTR(fd));
}

/* The first preopened directory's fd (3 unless nothing was granted). */
__attribute__((unused)) static int32_t first_preopen(void) {
  uint8_t prestat[8];
  for (int32_t fd = 3; fd < 64; fd++)
    if (raw_fd_prestat_get(fd, PTR(prestat)) == 0) return fd;
  return -1;
}
#endif
