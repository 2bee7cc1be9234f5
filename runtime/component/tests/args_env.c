/* For the jco CTest (jco_command_test.sh): adapted into a WASI 0.2 command
 * with `jco new --wasi-command`, it must print what the core module prints
 * under WASI preview 1; its exit status 3 becomes 1 (wasi:cli/exit carries
 * ok or err only). */
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) printf("arg %d: %s\n", i, argv[i]);
  const char* g = getenv("GREETING");
  printf("GREETING=%s\n", g ? g : "(unset)");
  fprintf(stderr, "to stderr\n");
  char buf[64];
  size_t n, total = 0;
  while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
    fwrite(buf, 1, n, stdout);
    total += n;
  }
  printf("[%zu bytes of stdin]\n", total);
  return argc > 2 ? 3 : 0;
}
