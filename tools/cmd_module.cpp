// wisp validate / wisp parse, and module loading shared by the commands.
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

#include "runtime/valid/decoder.hpp"
#include "runtime/text/wat.hpp"
#include "runtime/valid/validator.hpp"
#include "runtime/component/decoder.hpp"
#include "tools/cli.hpp"
#include "tools/options.hpp"

namespace wisp::cli {

// Messages may quote a module's names: escaped, so they cannot drive the
// terminal or forge lines (printable() is idempotent, so text already
// escaped stays as it is).
void error(const std::string& msg) { fprintf(stderr, "wisp: error: %s\n", printable(msg).c_str()); }

// Reads a whole file with plain POSIX calls: no exceptions to escape (a
// directory, say, makes libstdc++'s filebuf throw from a read). Input is
// capped at kMaxInputBytes, so /dev/zero or a huge file is an error, not an
// exhausted host.
static Result<std::vector<uint8_t>> read_fd(int fd, const std::string& path) {
  struct stat st;
  if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    int err = S_ISDIR(st.st_mode) ? EISDIR : errno;
    return make_error(ErrorKind::Other, path + ": cannot read: " + strerror(err));
  }
  auto too_big = [&] {
    return make_error(ErrorKind::Limit, path + ": larger than the " +
                                            std::to_string(kMaxInputBytes >> 20) +
                                            " MiB limit on module files");
  };
  if (S_ISREG(st.st_mode) && uint64_t(st.st_size) > kMaxInputBytes) return too_big();
  // Regular files are read in one go; pipes and devices until end of file.
  try {
    std::vector<uint8_t> bytes;
    bytes.reserve(S_ISREG(st.st_mode) ? size_t(st.st_size) : 65536);
    uint8_t buf[65536];
    for (;;) {
      ssize_t n = read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return make_error(ErrorKind::Other, path + ": read error: " + strerror(errno));
      if (n == 0) break;
      if (bytes.size() + size_t(n) > kMaxInputBytes) return too_big();
      bytes.insert(bytes.end(), buf, buf + n);
    }
    return bytes;
  } catch (const std::bad_alloc&) {
    return make_error(ErrorKind::Limit, path + ": out of memory reading the file");
  }
}

static Result<std::vector<uint8_t>> read_file(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return make_error(ErrorKind::Other, path + ": cannot open file: " + strerror(errno));
  auto r = read_fd(fd, path);
  close(fd);
  return r;
}

Result<std::vector<uint8_t>> load_binary(const std::string& path) {
  auto file = read_file(path);
  if (!file.ok()) return file.take_error();
  std::vector<uint8_t>& bytes = file.value();
  if (bytes.size() >= 4 && std::memcmp(bytes.data(), "\0asm", 4) == 0) return std::move(bytes);
  bool looks_binary = path.size() >= 5 && path.compare(path.size() - 5, 5, ".wasm") == 0;
  if (looks_binary) return std::move(bytes);  // let the decoder explain what is wrong
  text::WatOptions opts;
  opts.names = true;  // so traps and errors can name functions
  auto text = text::parse_wat(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), opts);
  if (!text.ok()) {
    Error e = text.take_error();
    e.message = path + ": " + format_error(e);
    e.line = 0;
    e.offset = SIZE_MAX;
    return e;
  }
  return std::move(text.value());
}

// "FILE: at offset 0x..: in function N ($name): message"
static std::string describe(const std::string& path, const Module* m, const Error& e) {
  std::string s = path + ": ";
  if (e.offset != SIZE_MAX) {
    char buf[40];
    snprintf(buf, sizeof buf, "at offset 0x%zx: ", e.offset);
    s += buf;
  }
  if (e.func >= 0) {
    s += "in function " + std::to_string(e.func);
    if (m) {
      std::string_view name = m->func_name(uint32_t(e.func));
      if (!name.empty()) s += " (" + std::string(name) + ")";
    }
    s += ": ";
  }
  s += e.kind == ErrorKind::Malformed ? "malformed module: " : "invalid module: ";
  s += e.message;
  return s;
}

namespace {

// A regular file holding a binary module, mapped read-only, so that
// `wisp validate` decodes it in place: copying 16 MB through read() cost
// ruby.wasm 4-10 ms of its ~50 (runtime/valid/VALIDATION.md). (Another
// process truncating the file meanwhile would make the mapping fault; a
// one-shot validation accepts that, as other runtimes that map modules do.)
struct MappedBinary {
  void* p = MAP_FAILED;
  size_t size = 0;
  ~MappedBinary() {
    if (p != MAP_FAILED) munmap(p, size);
  }
  const uint8_t* data() const { return static_cast<const uint8_t*>(p); }
  bool map(const std::string& path) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 8 &&
        uint64_t(st.st_size) <= kMaxInputBytes) {
      size = size_t(st.st_size);
      p = mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    }
    close(fd);
    return p != MAP_FAILED && std::memcmp(p, "\0asm", 4) == 0;
  }
};

}  // namespace

int cmd_validate(int argc, char** argv) {
  int first = 0;
  if (int r = operands("validate", "usage: wisp validate FILE\n"
                       "Checks a module or component (binary or text): exit 0 if valid, else 1\n"
                       "with the first error and its byte offset (or line).\n",
                       argc, argv, 1, first))
    return r < 0 ? 0 : r;
  std::string path = argv[first];
  MappedBinary mapped;
  const bool is_mapped = mapped.map(path);
  Result<std::vector<uint8_t>> bytes = std::vector<uint8_t>{};
  if (!is_mapped) {
    bytes = load_binary(path);  // text, a pipe, or anything unusual: read it
    if (!bytes.ok()) {
      error(bytes.error().message);
      return 1;
    }
  }
  if (is_mapped ? component::is_component(mapped.data(), mapped.size) : is_component_file(bytes.value())) {
    if (!is_mapped) return component_command(path, bytes.value(), "validate");
    return component_command(path, std::vector<uint8_t>(mapped.data(), mapped.data() + mapped.size), "validate");
  }
  auto m = is_mapped ? decode_borrowed(mapped.data(), mapped.size)
                     : decode(std::move(bytes.value()));
  if (!m.ok()) {
    error(describe(path, nullptr, m.error()));
    return 1;
  }
  // The verdict only: no side table for a module that will not run.
  ValidateOptions opts;
  opts.side_table = false;
  Status s = validate(m.value(), opts);
  if (!s.ok()) {
    error(describe(path, &m.value(), s.error()));
    return 1;
  }
  return 0;
}

int cmd_parse(int argc, char** argv) {
  const char* const usage =
      "usage: wisp parse FILE -o OUT.wasm\n"
      "Converts a module in the text format (.wat) to binary.\n"
      "  -o, --output OUT.wasm  where to write it\n";
  std::string in, out;
  Args a("parse", argc, argv);
  for (; a.i < argc; a.next()) {
    if (!a.option()) {  // an operand (or past "--")
      if (a.at_end()) break;
      if (!in.empty()) return usage_error("parse", usage);
      in = a.arg();
      continue;
    }
    if (a.flag("--help", "-h")) {
      fputs(usage, stdout);
      return 0;
    }
    if (a.value("-o", out) || a.value("--output", out)) {
    } else {
      return a.unknown();
    }
    if (a.bad) return 1;
  }
  if (in.empty() || out.empty()) return usage_error("parse", usage);
  auto bytes = load_binary(in);
  if (!bytes.ok()) {
    error(bytes.error().message);
    return 1;
  }
  std::ofstream f(out, std::ios::binary);
  f.write(reinterpret_cast<const char*>(bytes->data()), std::streamsize(bytes->size()));
  if (!f) {
    error(out + ": cannot write");
    return 1;
  }
  return 0;
}

}  // namespace wisp::cli
