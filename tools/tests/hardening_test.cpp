// `wisp run` against a hostile guest or a hostile parent process: each case
// is a finding of the adversarial review (issue 11) that crashed wisp,
// walked past a limit or misled the user, kept as a regression test.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "tools/tests/cli_fixture.hpp"

namespace {

using wisp::test::append;
using wisp::test::Bytes;
using wisp::test::kHeader;
using wisp::test::name_bytes;
using wisp::test::section;
using wisp::test::u32;
using wisp::test::Child;
using wisp::test::Outcome;
using wisp::test::SpawnOptions;
using Hardening = wisp::test::CliTest;
namespace fs = std::filesystem;

#ifndef WISP_HARDENING_DIR
#error "WISP_HARDENING_DIR must name tools/tests/hardening"
#endif
std::string guest(const char* name) { return std::string(WISP_HARDENING_DIR) + "/" + name; }

// Waits up to `limit` for cond().
template <class F>
bool eventually(F cond, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return cond();
}

// 1. poll_oneoff with a relative clock of 2^64-1 ns and nothing else blocked
// (it dereferenced a null timespec: SIGSEGV). It must wait, as node does.
TEST_F(Hardening, PollWithAnEndlessClockWaits) {
  Child c({"run", guest("poll_forever.wat")}, dir_);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(c.running()) << "wisp ended: " << c.wait().err;
  c.signal(SIGTERM);
  Outcome r = c.wait();
  EXPECT_TRUE(r.signaled);
  EXPECT_EQ(r.signal, SIGTERM) << r.err;
}

// 2. A valid module whose table cannot be allocated is a limit error with
// one line, exit 1; it used to die of std::bad_alloc (SIGABRT, status 134,
// which reads as a trap).
TEST_F(Hardening, HugeTableIsALimitError) {
  fs::path m = write_text("table.wat", "(module (table 0xffffffff funcref))");
  expect_valid(run_wisp({"validate", m.string()}));
  expect_one_error_line(run_wisp({"run", m.string()}),
                        "table minimum of 4294967295 elements exceeds the table elements limit");
}

// An address-space limit cannot be set under ASan: its shadow memory alone
// reserves terabytes.
#ifdef WISP_SANITIZED
#define SKIP_UNDER_ASAN() GTEST_SKIP() << "RLIMIT_AS and ASan do not mix"
#else
#define SKIP_UNDER_ASAN() (void)0
#endif

// Out of host memory (here under an address-space limit) is an error too.
TEST_F(Hardening, TableBeyondHostMemoryIsAnError) {
  SKIP_UNDER_ASAN();
  fs::path m = write_text("table.wat", "(module (table 50000000 funcref))");
  SpawnOptions o;
  o.address_space = 256 << 20;
  expect_one_error_line(run_wisp({"run", "--max-table-elements", "50000000", m.string()},
                                 std::chrono::seconds(30), o),
                        "out of host memory");
}

TEST_F(Hardening, EndlessInputIsRefused) {
  SKIP_UNDER_ASAN();
  SpawnOptions o;
  o.address_space = 512 << 20;
  expect_one_error_line(run_wisp({"run", "/dev/zero"}, std::chrono::seconds(60), o), "/dev/zero");
}

// 3. Tables are under limits: a minimum over the per-table limit whatever
// --max-memory says, and twenty tables grown to the per-table limit stop at
// the store's total (they held 1.5 GB).
TEST_F(Hardening, TablesAreLimited) {
  fs::path m = write_text("table.wat", "(module (table 0x10000000 funcref))");
  expect_one_error_line(run_wisp({"run", "--max-memory", "65536", m.string()}),
                        "exceeds the table elements limit");
  Outcome r = run_wisp({"run", "--invoke", "grow_all", guest("grow_tables.wat")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "10\n");
  r = run_wisp({"run", "-W", "max-table-elements=1000", "--invoke", "grow_all",
                guest("grow_tables.wat")});
  EXPECT_EQ(r.out, "0\n") << r.err;
}

// 4. Limits take whole numbers: "-1" was read as 2^64-1 (no limit), and
// --fuel 0 meant unlimited.
TEST_F(Hardening, LimitFlagsRejectNegativeNumbers) {
  fs::path m = write_text("m.wat", "(module (func (export \"f\")))");
  for (const char* flag : {"--fuel", "--max-memory", "--max-stack", "--max-table-elements"})
    for (const char* v : {"-1", "-65536", " 5", "+5", "5x", ""})
      expect_one_error_line(run_wisp({"run", flag, v, "--invoke", "f", m.string()}),
                            std::string(flag) + " needs");
  expect_one_error_line(run_wisp({"run", "-W", "fuel=-1", "--invoke", "f", m.string()}), "-W");
  expect_one_error_line(run_wisp({"run", "-W", "no-such=1", "--invoke", "f", m.string()}), "no-such");
}

TEST_F(Hardening, ZeroFuelIsZero) {
  fs::path m = write_text("m.wat", "(module (func (export \"f\")))");
  Outcome r = run_wisp({"run", "--fuel", "0", "--invoke", "f", m.string()});
  EXPECT_EQ(r.exit_code, 134) << r.err;
  EXPECT_NE(r.err.find("all fuel consumed"), std::string::npos) << r.err;
  r = run_wisp({"run", "-W", "fuel=0", "--invoke", "f", m.string()});
  EXPECT_EQ(r.exit_code, 134) << r.err;
  r = run_wisp({"run", "--fuel", "10", "--invoke", "f", m.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

// 5. A guest that made stdin non-blocking, then wisp killed by a signal: the
// flag on the shared file description is put back (it stayed set before,
// leaving the user's terminal non-blocking).
TEST_F(Hardening, SignalPutsStdinFlagsBack) {
  for (int sig : {SIGTERM, SIGINT}) {
    int p[2];
    ASSERT_EQ(pipe(p), 0);
    ASSERT_EQ(fcntl(p[0], F_GETFL) & O_NONBLOCK, 0);
    SpawnOptions o;
    o.stdin_fd = p[0];
    Child c({"run", guest("poll_forever.wat"), "nonblock"}, dir_, o);
    EXPECT_TRUE(eventually([&] { return (fcntl(p[0], F_GETFL) & O_NONBLOCK) != 0; }))
        << "the guest never set O_NONBLOCK";
    c.signal(sig);
    Outcome r = c.wait();
    EXPECT_TRUE(r.signaled) << r.err;
    EXPECT_EQ(r.signal, sig);
    EXPECT_EQ(fcntl(p[0], F_GETFL) & O_NONBLOCK, 0) << "stdin left non-blocking after signal " << sig;
    close(p[0]);
    close(p[1]);
  }
}

// 6. Started with stderr (or stdout) closed, wisp must not hand that
// descriptor number to a preopen or a guest file, or its own trap message
// lands in the guest's file.
TEST_F(Hardening, ClosedStdioIsNotReused) {
  for (bool close_out : {false, true}) {
    fs::path box = dir_ / (close_out ? "box_out" : "box_err");
    fs::create_directory(box);
    SpawnOptions o;
    o.close_stderr = !close_out;
    o.close_stdout = close_out;
    Outcome r = run_wisp({"run", "--dir", box.string() + "::/box", guest("create_then_trap.wat")},
                         std::chrono::seconds(30), o);
    EXPECT_EQ(r.exit_code, 134) << r.err;
    ASSERT_TRUE(fs::exists(box / "out")) << "the guest did not create its file";
    EXPECT_EQ(wisp::test::slurp(box / "out"), "") << "wisp wrote into the guest's file";
  }
}

// 7. Names from the name section are escaped in backtraces: this one would
// set the window title, clear the screen and forge a "wisp: exit 0" line.
TEST_F(Hardening, ModuleNamesCannotDriveTheTerminal) {
  const std::string evil = "f\x1b]0;pwned\x07\x1b[2J\nwisp: exit 0\r\xc2\x9b";
  Bytes m = kHeader;
  append(m, section(1, {0x01, 0x60, 0x00, 0x00}));  // type () -> ()
  append(m, section(3, {0x01, 0x00}));              // one function
  Bytes exp = {0x01};
  append(exp, name_bytes("f"));
  append(exp, {0x00, 0x00});
  append(m, section(7, exp));                           // export "f"
  append(m, section(10, {0x01, 0x03, 0x00, 0x00, 0x0B}));  // body: unreachable
  Bytes names;
  append(names, name_bytes("name"));
  Bytes fnames = {0x01, 0x00};  // one entry: function 0
  append(fnames, name_bytes(evil));
  names.push_back(0x01);  // function names subsection
  append(names, u32(fnames.size()));
  append(names, fnames);
  append(m, section(0, names));
  Outcome r = run_wisp({"run", "--invoke", "f", write("evil.wasm", m).string()});
  EXPECT_EQ(r.exit_code, 134) << r.err;
  for (char ch : r.err)
    EXPECT_TRUE(ch == '\n' || (static_cast<unsigned char>(ch) >= 0x20 && ch != 0x7f))
        << "control byte " << int(static_cast<unsigned char>(ch)) << " in: " << r.err;
  EXPECT_EQ(r.err.find("\nwisp: exit"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("\\x1b]0;pwned\\x07"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("\xc2\x9b"), std::string::npos) << r.err;
}

// 8. A trap millions of frames deep prints a bounded backtrace.
TEST_F(Hardening, DeepTrapPrintsABoundedBacktrace) {
  fs::path m = write_text("rec.wat", "(module (func $f (export \"f\") (call $f)))");
  Outcome r = run_wisp({"run", "--max-stack", "4000000", "--invoke", "f", m.string()});
  EXPECT_EQ(r.exit_code, 134) << r.err.substr(0, 2000);
  EXPECT_NE(r.err.find("call stack exhausted"), std::string::npos);
  EXPECT_NE(r.err.find("more frames not recorded"), std::string::npos) << r.err.substr(0, 2000);
  EXPECT_LT(r.err.size(), 2000u);
}

}  // namespace
