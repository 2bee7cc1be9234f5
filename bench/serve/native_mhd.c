/* The second HTTP library measured for `wisp serve` (bench/serve/README.md):
 * libmicrohttpd answering what native.c answers (200, `x-wat: yes`, "hello
 * from wat\n"), with its thread pool and epoll.
 *   native_mhd PORT THREADS */
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static enum MHD_Result on_request(void* cls, struct MHD_Connection* c, const char* url, const char* method,
                                  const char* version, const char* upload, size_t* upload_size, void** state) {
  (void)cls, (void)url, (void)method, (void)version, (void)upload;
  if (*state == NULL) {  /* headers: come back for the body */
    *state = (void*)1;
    return MHD_YES;
  }
  if (*upload_size) {
    *upload_size = 0;
    return MHD_YES;
  }
  static const char body[] = "hello from wat\n";
  struct MHD_Response* r = MHD_create_response_from_buffer(sizeof body - 1, (void*)body, MHD_RESPMEM_PERSISTENT);
  MHD_add_response_header(r, "x-wat", "yes");
  enum MHD_Result ok = MHD_queue_response(c, 200, r);
  MHD_destroy_response(r);
  return ok;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: native_mhd PORT THREADS\n");
    return 1;
  }
  struct MHD_Daemon* d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, (uint16_t)atoi(argv[1]),
                                          NULL, NULL, on_request, NULL, MHD_OPTION_THREAD_POOL_SIZE,
                                          (unsigned)atoi(argv[2]), MHD_OPTION_CONNECTION_LIMIT, 10000u, MHD_OPTION_END);
  if (!d) {
    fprintf(stderr, "native_mhd: cannot start\n");
    return 1;
  }
  fprintf(stderr, "native_mhd: listening on port %s\n", argv[1]);
  pause();
  MHD_stop_daemon(d);
  return 0;
}
