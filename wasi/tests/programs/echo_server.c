/* Accepts one connection on the preopened listener (--tcplisten), reads a
   line, sends it back upper-cased, shuts down. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

int main(void) {
  __wasi_fd_t listener = 3, conn;
  __wasi_fdstat_t st;
  if (__wasi_fd_fdstat_get(listener, &st) != 0 || st.fs_filetype != __WASI_FILETYPE_SOCKET_STREAM) {
    printf("fd 3 is not a socket\n");
    return 1;
  }
  __wasi_errno_t e = __wasi_sock_accept(listener, 0, &conn);
  if (e != 0) {
    printf("sock_accept: %d\n", e);
    return 1;
  }
  char buf[256];
  size_t got = 0;
  while (got < sizeof buf - 1 && (got == 0 || buf[got - 1] != '\n')) {
    __wasi_iovec_t iov = {(uint8_t*)buf + got, sizeof buf - 1 - got};
    __wasi_size_t n;
    __wasi_roflags_t ro;
    if (__wasi_sock_recv(conn, &iov, 1, 0, &n, &ro) != 0 || n == 0) break;
    got += n;
  }
  for (size_t i = 0; i < got; ++i) buf[i] = (char)toupper((unsigned char)buf[i]);
  __wasi_ciovec_t out = {(const uint8_t*)buf, got};
  __wasi_size_t sent;
  if (__wasi_sock_send(conn, &out, 1, 0, &sent) != 0 || sent != got) return 1;
  (void)__wasi_sock_shutdown(conn, __WASI_SDFLAGS_WR);
  (void)__wasi_fd_close(conn);
  /* Only the listener was given: no way to make other sockets. */
  printf("served %zu bytes\n", got);
  return 0;
}
