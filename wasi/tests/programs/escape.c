/* Tries every way out of a preopened directory; each must be refused and
   the program must keep running. Run as
     wisp run --dir <tmp>/root::/sandbox escape.wasm
   with the layout made by run_programs.py:
     <tmp>/outside/secret, <tmp>/outside/dir/
     <tmp>/root/file, <tmp>/root/sub/
     <tmp>/root/link_out     -> ../outside/secret
     <tmp>/root/link_abs     -> <tmp>/outside/secret
     <tmp>/root/link_dir     -> ../outside
     <tmp>/root/sub/link_up2 -> ../../outside/secret
     <tmp>/root/chain        -> link_out
     <tmp>/root/dangling_out -> ../outside/created_by_guest
   Prints one line per attempt and "all N attempts denied" at the end. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wasi_raw.h"

static void try_open(int32_t dir, const char* path, int32_t follow) {
  int32_t fd = -1;
  char what[128];
  snprintf(what, sizeof what, "open %s%s", path, follow ? " (follow)" : "");
  int32_t e = open_path(dir, path, follow, 0, &fd);
  if (e == 0) {
    char buf[64] = {0};
    read(fd, buf, sizeof buf - 1);
    printf("ESCAPED  %-48s read \"%s\"\n", what, buf);
    g_failures++;
    return;
  }
  /* Not following a final symlink is ELOOP, which is also a refusal. */
  if (!follow && e == 32) e = E_NOTCAPABLE;
  expect_denied(what, e);
}

static void try_libc(const char* path) {
  char what[128];
  snprintf(what, sizeof what, "fopen(\"%s\")", path);
  FILE* f = fopen(path, "r");
  if (f) {
    printf("ESCAPED  %-48s\n", what);
    g_failures++;
    fclose(f);
    return;
  }
  printf("denied   %-48s %s\n", what, strerror(errno));
}

int main(void) {
  int32_t root = first_preopen();
  if (root < 0) {
    puts("no preopen");
    return 2;
  }
  int attempts = 0;
#define A(x) (attempts++, (x))

  /* ".." past the root, at any depth */
  A(try_open(root, "..", 0));
  A(try_open(root, "../outside/secret", 0));
  A(try_open(root, "sub/../../outside/secret", 0));
  A(try_open(root, "sub/./../sub/../../outside/secret", 1));
  /* absolute host paths */
  A(try_open(root, "/etc/passwd", 0));
  A(try_open(root, "/", 0));
  /* symlinks that lead out: relative, absolute, through a directory, chained */
  A(try_open(root, "link_out", 1));
  A(try_open(root, "link_out", 0));
  A(try_open(root, "link_abs", 1));
  A(try_open(root, "link_dir/secret", 0));
  A(try_open(root, "sub/link_up2", 1));
  A(try_open(root, "chain", 1));
  /* creating through a dangling symlink that points out */
  {
    int32_t fd;
    A(expect_denied("create via dangling_out",
                    raw_path_open(root, LOOKUP_FOLLOW, PTR("dangling_out"), 12, 1 /*CREAT*/,
                                  RIGHTS_WRITE, 0, 0, PTR(&fd))));
  }
  /* the same through libc, which maps /sandbox/... onto the preopen */
  A(try_libc("/sandbox/../outside/secret"));
  A(try_libc("/sandbox/link_out"));
  A(try_libc("/sandbox/link_dir/secret"));
  A(try_libc("/etc/passwd"));
  {
    DIR* d = opendir("/sandbox/..");
    attempts++;
    if (d) {
      printf("ESCAPED  opendir(/sandbox/..)\n");
      g_failures++;
    } else {
      printf("denied   %-48s %s\n", "opendir(\"/sandbox/..\")", strerror(errno));
    }
  }

  /* every other path operation */
  uint8_t stat[64];
  A(expect_denied("stat link_out (follow)",
                  raw_path_filestat_get(root, LOOKUP_FOLLOW, PTR("link_out"), 8, PTR(stat))));
  A(expect_denied("stat ../outside/secret",
                  raw_path_filestat_get(root, 0, PTR("../outside/secret"), 17, PTR(stat))));
  A(expect_denied("utimes link_out (follow)",
                  raw_path_filestat_set_times(root, LOOKUP_FOLLOW, PTR("link_out"), 8, 0, 0,
                                              2 /*ATIM_NOW*/)));
  A(expect_denied("mkdir ../made_by_guest",
                  raw_path_create_directory(root, PTR("../made_by_guest"), 16)));
  A(expect_denied("mkdir link_dir/made_by_guest",
                  raw_path_create_directory(root, PTR("link_dir/made_by_guest"), 22)));
  A(expect_denied("unlink ../outside/secret",
                  raw_path_unlink_file(root, PTR("../outside/secret"), 17)));
  A(expect_denied("unlink link_dir/secret",
                  raw_path_unlink_file(root, PTR("link_dir/secret"), 15)));
  A(expect_denied("rmdir ../outside/dir",
                  raw_path_remove_directory(root, PTR("../outside/dir"), 14)));
  A(expect_denied("rename file -> ../moved_by_guest",
                  raw_path_rename(root, PTR("file"), 4, root, PTR("../moved_by_guest"), 17)));
  A(expect_denied("rename ../outside/secret -> stolen",
                  raw_path_rename(root, PTR("../outside/secret"), 17, root, PTR("stolen"), 6)));
  A(expect_denied("link ../outside/secret -> hard",
                  raw_path_link(root, 0, PTR("../outside/secret"), 17, root, PTR("hard"), 4)));
  A(expect_denied("link link_out (follow) -> hard",
                  raw_path_link(root, LOOKUP_FOLLOW, PTR("link_out"), 8, root, PTR("hard"), 4)));
  A(expect_denied("link file -> ../outside/hard",
                  raw_path_link(root, 0, PTR("file"), 4, root, PTR("../outside/hard"), 15)));
  A(expect_denied("symlink /etc/passwd -> abs_by_guest",
                  raw_path_symlink(PTR("/etc/passwd"), 11, root, PTR("abs_by_guest"), 12)));
  A(expect_denied("symlink x -> ../outside/sym_by_guest",
                  raw_path_symlink(PTR("x"), 1, root, PTR("../outside/sym_by_guest"), 23)));
  {
    char buf[64];
    uint32_t used;
    A(expect_denied("readlink link_dir/anything",
                    raw_path_readlink(root, PTR("link_dir/secret"), 15, PTR(buf), sizeof buf,
                                      PTR(&used))));
  }

  /* descriptors that were never granted */
  {
    int32_t fd;
    A(expect_err("open via fd 99", open_path(99, "file", 0, 0, &fd), E_BADF, E_BADF));
    A(expect_err("open via stdin", open_path(0, "file", 0, 0, &fd), 54 /*NOTDIR*/, E_NOTCAPABLE));
  }

  /* bad pointers: EFAULT, and wisp carries on */
  {
    uint32_t end = (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
    uint32_t iov[2] = {end - 2, 16};
    uint32_t n;
    int32_t fd;
    A(expect_err("fd_write buffer past memory end", raw_fd_write(1, PTR(iov), 1, PTR(&n)),
                 E_FAULT, E_FAULT));
    A(expect_err("fd_write iovecs past memory end", raw_fd_write(1, end - 4, 1, PTR(&n)), E_FAULT,
                 E_FAULT));
    A(expect_err("path_open path past memory end",
                 raw_path_open(root, 0, end - 3, 10, 0, RIGHTS_READ, 0, 0, PTR(&fd)), E_FAULT,
                 E_FAULT));
    A(expect_err("path_open fd_out past memory end",
                 raw_path_open(root, 0, PTR("file"), 4, 0, RIGHTS_READ, 0, 0, end), E_FAULT,
                 E_FAULT));
    A(expect_err("poll_oneoff with 2^28 subscriptions",
                 raw_poll_oneoff(0, 0, 1u << 28, PTR(&n)), E_FAULT, E_FAULT));
  }

  /* and the inside still works */
  {
    int32_t fd;
    int32_t e = open_path(root, "sub/../file", 0, 0, &fd);
    printf("%s open sub/../file (inside) errno %d\n", e == 0 ? "ok      " : "BROKEN  ", e);
    if (e != 0) g_failures++;
  }

  if (g_failures) {
    printf("%d of %d attempts NOT denied\n", g_failures, attempts);
    return 1;
  }
  printf("all %d attempts denied\n", attempts);
  return 0;
}
