// One option parser for every `wisp` subcommand (issue 18): options come
// before the operands; "--name VALUE" and "--name=VALUE" are the same; a
// flag refuses "=VALUE"; a missing value, a malformed, negative or
// out-of-range number and an unknown option are one error line naming the
// command. Numbers are decimal or 0x hex; byte counts may end in K, M, G or
// T (powers of 1024; "KiB", "MB" and the like read the same).
//
//   Args a("run", argc, argv);
//   for (; a.option(); a.next()) {
//     if (a.flag("--stats")) o.stats = true;
//     else if (a.value("--invoke", o.invoke)) {}
//     else if (a.bytes("--max-memory", limit)) {}
//     else return a.unknown();
//     if (a.bad) return 1;
//   }
//   // a.i: the first operand
#pragma once
#include <cstdint>
#include <string>

namespace wisp::cli {

struct Args {
  const char* cmd;
  int argc;
  char** argv;
  int i = 0;
  bool bad = false;  // an error was printed

  Args(const char* c, int n, char** v) : cmd(c), argc(n), argv(v) {}

  // Whether argv[i] is an option (not an operand, not past "--", which it
  // steps over). Then one of the tests below takes it, or unknown().
  bool option();
  void next() { ++i; }
  const char* arg() const { return argv[i]; }
  bool at_end() const { return i >= argc; }

  // Each: whether argv[i] is that option (taken, i on its last word); on a
  // bad or missing value, prints why and sets `bad`.
  bool flag(const char* name, const char* alias = nullptr);
  bool value(const char* name, std::string& out);
  bool number(const char* name, uint64_t& out);
  bool bytes(const char* name, uint64_t& out);
  // A duration, in milliseconds: seconds as a decimal number, or with a
  // unit (ms, s, m, h): "1.5", "1500ms", "2m".
  bool duration(const char* name, uint64_t& ms);
  // "CMD: unknown option X" (and `bad`); returns 1 for `return a.unknown();`.
  int unknown();
  // An error line about this command's arguments; sets `bad`.
  void fail(const std::string& msg);

 private:
  // argv[i] is `name` or `name=...`; out is the value. False if not name.
  bool take(const char* name, std::string& out);
  // take(), then the value through parse; "NAME needs WHAT, got 'V'" if it fails.
  bool parsed(const char* name, uint64_t& out, bool (*parse)(const std::string&, uint64_t&), const char* what);
  bool inline_value_ = false;  // the value came after '='
};

// A usage error in one line: the usage text's first line ("usage: wisp
// validate FILE") and where to read more. Returns 1.
int usage_error(const char* cmd, const char* usage);

// For a command whose only option is --help: whether argv holds `want`
// operands (then argv[first...]): 0; 1 after a usage error (usage_error, or
// an unknown option's); -1 after printing it on stdout for --help
// (the command exits 0).
int operands(const char* cmd, const char* usage, int argc, char** argv, int want, int& first);

// Whole numbers as options take them: decimal or 0x hex digits only (no
// sign, no space: strtoull alone would take "-1" as 2^64-1, turning a limit
// into none), within uint64_t.
bool parse_u64(const char* s, uint64_t& out);
// A byte count: a number, optionally followed by K, M, G or T (times 1024
// to the 1st..4th power; "Ki", "KiB", "KB" read the same), not past 2^64-1.
bool parse_bytes(const std::string& s, uint64_t& out);
// A duration (Args::duration) in milliseconds, at most a million seconds.
bool parse_duration(const std::string& s, uint64_t& ms);

}  // namespace wisp::cli
