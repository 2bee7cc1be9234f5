#include "tools/options.hpp"

#include <cctype>
#include <cstdio>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "tools/cli.hpp"

namespace wisp::cli {

bool parse_u64(const char* s, uint64_t& out) {
  if (!isdigit(static_cast<unsigned char>(s[0]))) return false;
  char* end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 0);
  if (errno || *end) return false;
  out = v;
  return true;
}

bool parse_bytes(const std::string& s, uint64_t& out) {
  // No hex digit is a K, M, G or T: the suffix starts at the first of them.
  const size_t n = s.find_first_of("KkMmGgTt");
  uint64_t v;
  if (!parse_u64(s.substr(0, n).c_str(), v)) return false;
  int shift = 0;
  if (n != std::string::npos) {
    shift = 10 * int(std::string("KMGT").find(char(toupper(static_cast<unsigned char>(s[n])))) + 1);
    const std::string rest = s.substr(n + 1);
    if (!(rest.empty() || rest == "i" || rest == "iB" || rest == "B")) return false;
  }
  if (shift && v > (UINT64_MAX >> shift)) return false;
  out = v << shift;
  return true;
}

bool parse_duration(const std::string& s, uint64_t& ms) {
  if (s.empty() || !(isdigit(static_cast<unsigned char>(s[0])) || s[0] == '.')) return false;
  char* end = nullptr;
  errno = 0;
  const double v = strtod(s.c_str(), &end);
  if (errno || end == s.c_str()) return false;
  const std::string unit = end;
  double scale;
  if (unit.empty() || unit == "s") scale = 1000;
  else if (unit == "ms") scale = 1;
  else if (unit == "m") scale = 60000;
  else if (unit == "h") scale = 3600000;
  else return false;
  const double total = v * scale;
  if (!(total >= 0) || total > 1e9) return false;
  ms = uint64_t(total + 0.5);
  return true;
}

bool Args::option() {
  if (i >= argc) return false;
  if (std::strcmp(argv[i], "--") == 0) {
    ++i;
    return false;
  }
  return argv[i][0] == '-' && argv[i][1] != '\0';
}

bool Args::take(const char* name, std::string& out) {
  const char* a = argv[i];
  const size_t n = std::strlen(name);
  if (std::strcmp(a, name) == 0) {
    inline_value_ = false;
    if (i + 1 >= argc) {
      fail(std::string(name) + " needs a value");
      out.clear();
      return true;
    }
    out = argv[++i];
    return true;
  }
  if (std::strncmp(a, name, n) == 0 && a[n] == '=') {
    inline_value_ = true;
    out = a + n + 1;
    return true;
  }
  return false;
}

bool Args::flag(const char* name, const char* alias) {
  const char* a = argv[i];
  if (std::strcmp(a, name) == 0 || (alias && std::strcmp(a, alias) == 0)) return true;
  const size_t n = std::strlen(name);
  if (std::strncmp(a, name, n) == 0 && a[n] == '=') {
    fail(std::string(name) + " takes no value");
    return true;
  }
  return false;
}

bool Args::value(const char* name, std::string& out) { return take(name, out); }

bool Args::parsed(const char* name, uint64_t& out, bool (*parse)(const std::string&, uint64_t&), const char* what) {
  std::string v;
  if (!take(name, v)) return false;
  if (!bad && !parse(v, out)) fail(std::string(name) + " needs " + what + ", got '" + v + "'");
  return true;
}

bool Args::number(const char* name, uint64_t& out) {
  return parsed(name, out, [](const std::string& v, uint64_t& o) { return parse_u64(v.c_str(), o); },
                "a whole number from 0 to 2^64-1");
}

bool Args::bytes(const char* name, uint64_t& out) {
  return parsed(name, out, parse_bytes, "a number of bytes (a suffix K, M, G or T allowed)");
}

bool Args::duration(const char* name, uint64_t& ms) {
  return parsed(name, ms, parse_duration, "a duration (seconds, or with a unit: 1.5, 1500ms, 2m)");
}

int Args::unknown() {
  fail(std::string("unknown option ") + argv[i] + " (see `wisp " + cmd + " --help`)");
  return 1;
}

int usage_error(const char* cmd, const char* usage) {
  const char* nl = std::strchr(usage, '\n');
  error(std::string(usage, nl ? size_t(nl - usage) : std::strlen(usage)) + " (see `wisp " + cmd + " --help`)");
  return 1;
}

void Args::fail(const std::string& msg) {
  if (!bad) error(std::string(cmd) + ": " + msg);
  bad = true;
}

// The operands of a command that takes options --help alone: `want` of
// them, else its usage on stderr; -1 when --help printed it on stdout (exit
// 0), 1 on a usage error, 0 when argv[first...] are the operands.
int operands(const char* cmd, const char* usage, int argc, char** argv, int want, int& first) {
  Args a(cmd, argc, argv);
  for (; a.option(); a.next()) {
    if (a.flag("--help", "-h")) {
      fputs(usage, stdout);
      return -1;
    }
    return a.unknown();
  }
  if (argc - a.i != want) return usage_error(cmd, usage);
  first = a.i;
  return 0;
}

}  // namespace wisp::cli
