/* The native baseline for bench/serve/run: the same HTTP stack as `wisp
 * serve` (libevent's evhttp, one event loop per thread on SO_REUSEPORT
 * sockets) answering what tools/tests/serve/hello.wat answers: 200,
 * `x-wat: yes`, "hello from wat\n". No wasm: what serving costs by itself.
 *   native PORT THREADS */
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void on_request(struct evhttp_request* req, void* arg) {
  (void)arg;
  struct evbuffer* out = evbuffer_new();
  evhttp_add_header(evhttp_request_get_output_headers(req), "x-wat", "yes");
  evbuffer_add(out, "hello from wat\n", 15);
  evhttp_send_reply(req, 200, "OK", out);
  evbuffer_free(out);
}

static int listen_on(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((unsigned short)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  if (bind(fd, (struct sockaddr*)&a, sizeof a) != 0 || listen(fd, 1024) != 0) {
    perror("listen");
    exit(1);
  }
  return fd;
}

static void* loop(void* arg) {
  struct event_base* base = event_base_new();
  struct evhttp* http = evhttp_new(base);
  evhttp_set_default_content_type(http, NULL);
  evhttp_set_gencb(http, on_request, NULL);
  evhttp_accept_socket_with_handle(http, listen_on((int)(long)arg));
  event_base_dispatch(base);
  return NULL;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: native PORT THREADS\n");
    return 1;
  }
  int port = atoi(argv[1]), threads = atoi(argv[2]);
  pthread_t t[256];
  for (int i = 0; i < threads && i < 256; ++i) pthread_create(&t[i], NULL, loop, (void*)(long)port);
  fprintf(stderr, "native: listening on 127.0.0.1:%d\n", port);
  pthread_join(t[0], NULL);
  return 0;
}
