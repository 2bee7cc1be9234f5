// In-process split of `wisp validate FILE`: read the file, decode, validate
// (the function bodies are nearly all of it), each phase timed on its own,
// repeated in one process. Built and run by `bench/ruby/run --split`
// against the build's libwisp_runtime.a; not part of the CMake build.
//
//   split FILE [REPS [THREADS]]
//
// THREADS: ValidateOptions::threads (0, the default: what `wisp validate`
// does; 1: the bodies on this thread only).
//
// Prints one line per phase: the first (cold) sample, then median, min and
// max of the others (warm: page cache, heap and per-thread scratch reused),
// wall time, plus the process CPU time the validate phase used (more than
// its wall time when the bodies are validated on several threads).
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "runtime/valid/validator.hpp"
#include "runtime/valid/decoder.hpp"

namespace {

double now_ms() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

double cpu_ms() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

// As the CLI reads a regular file: one buffer of the file's size.
std::vector<uint8_t> read_all(const char* path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    perror(path);
    exit(2);
  }
  struct stat st{};
  fstat(fd, &st);
  std::vector<uint8_t> b(size_t(st.st_size));
  size_t got = 0;
  while (got < b.size()) {
    ssize_t n = read(fd, b.data() + got, b.size() - got);
    if (n <= 0) break;
    got += size_t(n);
  }
  close(fd);
  b.resize(got);
  return b;
}

struct Series {
  const char* name;
  std::vector<double> v;
  void print() const {
    std::vector<double> rest(v.begin() + 1, v.end());
    std::sort(rest.begin(), rest.end());
    double med = rest.empty() ? v[0] : rest[rest.size() / 2];
    if (!rest.empty() && rest.size() % 2 == 0) med = (rest[rest.size() / 2 - 1] + rest[rest.size() / 2]) / 2;
    printf("%-16s first %8.2f ms   median %8.2f ms   min %8.2f   max %8.2f\n", name, v[0], med,
           rest.empty() ? v[0] : rest.front(), rest.empty() ? v[0] : rest.back());
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: split FILE [REPS [THREADS]]\n");
    return 2;
  }
  int reps = argc > 2 ? atoi(argv[2]) : 11;
  wisp::ValidateOptions opts;
  opts.threads = argc > 3 ? unsigned(atoi(argv[3])) : 0;
  Series rd{"read file", {}}, dec{"decode", {}}, val{"validate", {}}, valcpu{"validate (CPU)", {}},
      total{"total", {}};
  for (int i = 0; i < reps; ++i) {
    double t0 = now_ms();
    std::vector<uint8_t> bytes = read_all(argv[1]);
    double t1 = now_ms();
    auto m = wisp::decode(std::move(bytes));
    double t2 = now_ms();
    if (!m.ok()) {
      fprintf(stderr, "decode: %s\n", m.error().message.c_str());
      return 1;
    }
    double c0 = cpu_ms();
    double t3 = now_ms();
    wisp::Status s = wisp::validate(m.value(), opts);
    double t4 = now_ms();
    double c1 = cpu_ms();
    if (!s.ok()) {
      fprintf(stderr, "validate: %s\n", s.error().message.c_str());
      return 1;
    }
    rd.v.push_back(t1 - t0);
    dec.v.push_back(t2 - t1);
    val.v.push_back(t4 - t3);
    valcpu.v.push_back(c1 - c0);
    total.v.push_back(t4 - t0);
    if (i == 0)
      printf("%s: %zu functions, %zu side-table entries\n", argv[1], m.value().funcs.size(),
             m.value().side_table.size());
  }
  printf("%d repetitions in one process, ValidateOptions::threads = %u%s; wall ms unless noted\n",
         reps, opts.threads, opts.threads == 0 ? " (as wisp validate)" : "");
  for (const Series* s : {&rd, &dec, &val, &valcpu, &total}) s->print();
  return 0;
}
