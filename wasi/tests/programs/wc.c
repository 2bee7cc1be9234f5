/* wc: counts lines, words and bytes of the files named on the command line
   (or stdin), like `wc`. The same source builds natively and for WASI. */
#include <ctype.h>
#include <stdio.h>

static int count(FILE* f, const char* name, long long tot[3]) {
  long long lines = 0, words = 0, bytes = 0;
  int c, in_word = 0;
  while ((c = getc(f)) != EOF) {
    ++bytes;
    if (c == '\n') ++lines;
    if (isspace(c)) {
      in_word = 0;
    } else if (!in_word) {
      in_word = 1;
      ++words;
    }
  }
  if (ferror(f)) {
    perror(name);
    return 1;
  }
  printf("%8lld %8lld %8lld %s\n", lines, words, bytes, name);
  tot[0] += lines;
  tot[1] += words;
  tot[2] += bytes;
  return 0;
}

int main(int argc, char** argv) {
  long long tot[3] = {0, 0, 0};
  int rc = 0;
  if (argc < 2) return count(stdin, "", tot);
  for (int i = 1; i < argc; ++i) {
    FILE* f = fopen(argv[i], "r");
    if (!f) {
      perror(argv[i]);
      rc = 1;
      continue;
    }
    rc |= count(f, argv[i], tot);
    fclose(f);
  }
  if (argc > 2) printf("%8lld %8lld %8lld total\n", tot[0], tot[1], tot[2]);
  return rc;
}
