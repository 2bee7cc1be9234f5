/* Hello world for the process cold-start comparison (bench/run): built with
 * gcc -O2 as the native baseline and with clang-19 --target=wasm32-wasi -O2
 * for `wisp run` and node:wasi. */
#include <stdio.h>

int main(void) {
  puts("Hello, world!");
  return 0;
}
