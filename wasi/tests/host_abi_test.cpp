// The host side of the ABI: guest pointers are checked against the current
// memory size (EFAULT, never a host fault, nothing half-done), struct layouts
// match both preview1 and wasi_unstable, proc_exit ends the program.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>

#include "wasi/tests/guest.hpp"
#include "wasi/tests/temp_tree.hpp"

namespace wisp::wasi {
namespace {

using testing::Guest;
using testing::I32;
using testing::I64;
using testing::ImportSpec;

constexpr int kSuccess = 0, kBadf = 8, kFault = 21, kInval = 28;
constexpr uint32_t kPage = 65536;

const std::vector<ImportSpec> kImports = {
    {.name = "fd_write", .params = "i32 i32 i32 i32"},
    {.name = "fd_read", .params = "i32 i32 i32 i32"},
    {.name = "args_get", .params = "i32 i32"},
    {.name = "args_sizes_get", .params = "i32 i32"},
    {.name = "environ_sizes_get", .params = "i32 i32"},
    {.name = "path_open", .params = "i32 i32 i32 i32 i32 i64 i64 i32 i32"},
    {.name = "poll_oneoff", .params = "i32 i32 i32 i32"},
    {.name = "fd_readdir", .params = "i32 i32 i32 i64 i32"},
    {.name = "random_get", .params = "i32 i32"},
    {.name = "clock_time_get", .params = "i32 i64 i32"},
    {.name = "fd_prestat_get", .params = "i32 i32"},
    {.name = "fd_filestat_get", .params = "i32 i32"},
    {.name = "fd_seek", .params = "i32 i64 i32 i32"},
    {.name = "proc_exit", .params = "i32", .result = false},
    {.module = "wasi_unstable", .name = "fd_seek", .params = "i32 i64 i32 i32"},
    {.module = "wasi_unstable", .name = "fd_filestat_get", .params = "i32 i32"},
    {.module = "wasi_unstable", .name = "poll_oneoff", .params = "i32 i32 i32 i32"},
    {.module = "wasi_unstable", .name = "path_filestat_get", .params = "i32 i32 i32 i32 i32"},
};

// Guest stdout is a pipe the test reads back.
class HostAbi : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(pipe2(pipefd, O_CLOEXEC | O_NONBLOCK), 0);
    cfg.args = {"prog", "one", "two"};
    cfg.stdout_fd = pipefd[1];
    ASSERT_EQ(g.load(kImports, cfg), "");
  }
  void TearDown() override {
    close(pipefd[0]);
    close(pipefd[1]);
  }
  std::string drain() {
    std::string s;
    char buf[4096];
    ssize_t n;
    while ((n = read(pipefd[0], buf, sizeof buf)) > 0) s.append(buf, size_t(n));
    return s;
  }
  // One iovec at addr: {buf, len}.
  void iov(uint32_t addr, uint32_t buf, uint32_t len) {
    g.put32(addr, buf);
    g.put32(addr + 4, len);
  }
  int fd_write(uint32_t fd, uint32_t iovs, uint32_t n, uint32_t out) {
    return g.call("fd_write", {I32(fd), I32(iovs), I32(n), I32(out)});
  }

  int pipefd[2];
  WasiConfig cfg;
  Guest g;
};

TEST_F(HostAbi, WriteGathersIovecs) {
  std::memcpy(g.mem() + 100, "hello ", 6);
  std::memcpy(g.mem() + 200, "world", 5);
  iov(16, 100, 6);
  iov(24, 200, 5);
  EXPECT_EQ(fd_write(1, 16, 2, 8), kSuccess);
  EXPECT_EQ(g.get32(8), 11u);
  EXPECT_EQ(drain(), "hello world");
}

TEST_F(HostAbi, WriteWithMoreIovecsThanOneBatch) {
  std::string want;
  for (uint32_t i = 0; i < 200; ++i) {
    g.mem()[4096 + i] = uint8_t('a' + i % 26);
    want += char('a' + i % 26);
    iov(1024 + i * 8, 4096 + i, 1);
  }
  EXPECT_EQ(fd_write(1, 1024, 200, 8), kSuccess);
  EXPECT_EQ(g.get32(8), 200u);
  EXPECT_EQ(drain(), want);
}

TEST_F(HostAbi, BadIovecPointersFaultAndWriteNothing) {
  std::memcpy(g.mem() + 100, "data", 4);
  // The iovec array itself past the end.
  EXPECT_EQ(fd_write(1, kPage - 4, 1, 8), kFault);
  EXPECT_EQ(fd_write(1, 16, 0x20000000, 8), kFault);  // n * 8 overflows 32 bits
  // A buffer past the end, or wrapping around.
  iov(16, kPage - 2, 4);
  EXPECT_EQ(fd_write(1, 16, 1, 8), kFault);
  iov(16, 100, 0xFFFFFFFF);
  EXPECT_EQ(fd_write(1, 16, 1, 8), kFault);
  // A good iovec followed by a bad one: nothing at all is written.
  iov(16, 100, 4);
  iov(24, kPage, 1);
  EXPECT_EQ(fd_write(1, 16, 2, 8), kFault);
  // The result pointer out of bounds: checked before writing.
  iov(16, 100, 4);
  EXPECT_EQ(fd_write(1, 16, 1, kPage - 2), kFault);
  EXPECT_EQ(drain(), "");
  // Zero-length buffer at exactly the end is fine.
  iov(16, kPage, 0);
  EXPECT_EQ(fd_write(1, 16, 1, 8), kSuccess);
  EXPECT_EQ(g.get32(8), 0u);
}

TEST_F(HostAbi, BoundsFollowMemoryGrowth) {
  iov(16, kPage + 10, 3);
  EXPECT_EQ(fd_write(1, 16, 1, 8), kFault);
  ASSERT_EQ(g.grow(1), 1);
  std::memcpy(g.mem() + kPage + 10, "new", 3);
  EXPECT_EQ(fd_write(1, 16, 1, 8), kSuccess);
  EXPECT_EQ(drain(), "new");
}

TEST_F(HostAbi, ArgsAreCheckedBeforeAnythingIsWritten) {
  EXPECT_EQ(g.call("args_sizes_get", {I32(0), I32(4)}), kSuccess);
  EXPECT_EQ(g.get32(0), 3u);
  EXPECT_EQ(g.get32(4), 13u);  // "prog\0one\0two\0"
  std::memset(g.mem() + 1000, 0xAA, 64);
  // Buffer runs off the end: neither pointers nor strings get written.
  EXPECT_EQ(g.call("args_get", {I32(1000), I32(kPage - 5)}), kFault);
  for (int i = 0; i < 12; ++i) EXPECT_EQ(g.mem()[1000 + i], 0xAA);
  EXPECT_EQ(g.call("args_get", {I32(1000), I32(2000)}), kSuccess);
  EXPECT_EQ(g.get32(1004), 2005u);
  EXPECT_STREQ(reinterpret_cast<char*>(g.mem() + 2005), "one");
  EXPECT_EQ(g.call("args_sizes_get", {I32(kPage - 2), I32(4)}), kFault);
}

TEST_F(HostAbi, NoEnvironmentUnlessGranted) {
  EXPECT_EQ(g.call("environ_sizes_get", {I32(0), I32(4)}), kSuccess);
  EXPECT_EQ(g.get32(0), 0u);
  EXPECT_EQ(g.get32(4), 0u);
}

TEST_F(HostAbi, PathPointersAreChecked) {
  testing::TempTree t;
  WasiConfig c2;
  c2.dirs.push_back({t.path(), "/sandbox"});
  Guest g2;
  ASSERT_EQ(g2.load(kImports, c2), "");
  std::memcpy(g2.mem() + 100, "file", 4);
  // Path off the end, fd_out off the end, then a correct call.
  EXPECT_EQ(g2.call("path_open", {I32(3), I32(0), I32(kPage - 2), I32(4), I32(1), I64(0),
                                  I64(0), I32(0), I32(8)}),
            kFault);
  EXPECT_EQ(g2.call("path_open", {I32(3), I32(0), I32(100), I32(4), I32(1), I64(0), I64(0),
                                  I32(0), I32(kPage)}),
            kFault);
  EXPECT_FALSE(t.exists("file"));  // nothing created by the failed calls
  EXPECT_EQ(g2.call("path_open", {I32(3), I32(0), I32(100), I32(4), I32(1), I64(0), I64(0),
                                  I32(0), I32(8)}),
            kSuccess);
  EXPECT_TRUE(t.exists("file"));
  // Directory listing into a buffer that runs off the end.
  EXPECT_EQ(g2.call("fd_readdir", {I32(3), I32(kPage - 10), I32(100), I64(0), I32(8)}), kFault);
}

TEST_F(HostAbi, NothingOpenBeyondStdio) {
  EXPECT_EQ(g.call("fd_prestat_get", {I32(3), I32(0)}), kBadf);
  EXPECT_EQ(fd_write(3, 16, 0, 8), kBadf);
  std::memcpy(g.mem() + 100, "etc/passwd", 10);
  EXPECT_EQ(g.call("path_open", {I32(3), I32(0), I32(100), I32(10), I32(0), I64(2), I64(0),
                                  I32(0), I32(8)}),
            kBadf);
  // stdin is not a directory, so it cannot root a path.
  EXPECT_NE(g.call("path_open", {I32(0), I32(0), I32(100), I32(10), I32(0), I64(2), I64(0),
                                  I32(0), I32(8)}),
            kSuccess);
}

TEST_F(HostAbi, PollChecksItsArrays) {
  EXPECT_EQ(g.call("poll_oneoff", {I32(0), I32(1024), I32(0), I32(8)}), kInval);
  EXPECT_EQ(g.call("poll_oneoff", {I32(0), I32(1024), I32(0x10000000), I32(8)}), kFault);
  EXPECT_EQ(g.call("poll_oneoff", {I32(kPage - 40), I32(1024), I32(1), I32(8)}), kFault);
  // One relative monotonic clock of 1 ms.
  std::memset(g.mem() + 512, 0, 48);
  g.put64(512, 0x1234);  // userdata
  g.mem()[520] = 0;      // clock
  g.put32(528, 1);       // monotonic
  g.put64(536, 1000000);
  EXPECT_EQ(g.call("poll_oneoff", {I32(512), I32(1024), I32(1), I32(8)}), kSuccess);
  EXPECT_EQ(g.get32(8), 1u);
  EXPECT_EQ(g.get64(1024), 0x1234u);
  // Event array off the end.
  EXPECT_EQ(g.call("poll_oneoff", {I32(512), I32(kPage - 16), I32(1), I32(8)}), kFault);
}

TEST_F(HostAbi, PollWithAMillionSubscriptions) {
  // 48 MB of zeroed subscriptions: a million realtime clocks, already due.
  constexpr uint32_t n = 1000000;
  ASSERT_GE(g.grow(2 * (n * 48 / kPage) + 2), 0);
  uint32_t in = kPage, out = kPage + n * 48;
  EXPECT_EQ(g.call("poll_oneoff", {I32(in), I32(out), I32(n), I32(8)}), kSuccess);
  EXPECT_EQ(g.get32(8), n);
}

TEST_F(HostAbi, RandomAndClocks) {
  EXPECT_EQ(g.call("random_get", {I32(kPage - 8), I32(16)}), kFault);
  EXPECT_EQ(g.call("random_get", {I32(kPage - 16), I32(16)}), kSuccess);
  EXPECT_EQ(g.call("clock_time_get", {I32(1), I64(0), I32(64)}), kSuccess);
  uint64_t t1 = g.get64(64);
  EXPECT_EQ(g.call("clock_time_get", {I32(1), I64(0), I32(64)}), kSuccess);
  EXPECT_GE(g.get64(64), t1);
  EXPECT_EQ(g.call("clock_time_get", {I32(9), I64(0), I32(64)}), kInval);
  EXPECT_EQ(g.call("clock_time_get", {I32(0), I64(0), I32(kPage - 4)}), kFault);
}

TEST_F(HostAbi, UnstableLayouts) {
  testing::TempTree t;
  t.write("f", "0123456789");
  int fd = open(t.at("f").c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  WasiConfig c2;
  c2.stdin_fd = fd;  // a regular file on stdin: seekable
  Guest g2;
  ASSERT_EQ(g2.load(kImports, c2), "");
  // preview1 whence: SET=0, CUR=1, END=2.
  EXPECT_EQ(g2.call("fd_seek", {I32(0), I64(3), I32(0), I32(8)}), kSuccess);
  EXPECT_EQ(g2.get64(8), 3u);
  // wasi_unstable whence: CUR=0, END=1, SET=2.
  EXPECT_EQ(g2.call("fd_seek", {I32(0), I64(2), I32(0), I32(8)}, "u"), kSuccess);
  EXPECT_EQ(g2.get64(8), 5u);
  EXPECT_EQ(g2.call("fd_seek", {I32(0), I64(2), I32(2), I32(8)}, "u"), kSuccess);
  EXPECT_EQ(g2.get64(8), 2u);
  EXPECT_EQ(g2.call("fd_seek", {I32(0), I64(-1), I32(1), I32(8)}, "u"), kSuccess);
  EXPECT_EQ(g2.get64(8), 9u);
  EXPECT_EQ(g2.call("fd_seek", {I32(0), I64(0), I32(3), I32(8)}, "u"), kInval);
  // filestat: 64 bytes with a 64-bit nlink in preview1, 56 with a 32-bit one
  // in wasi_unstable (size at 32 vs 24).
  EXPECT_EQ(g2.call("fd_filestat_get", {I32(0), I32(kPage - 56)}), kFault);
  EXPECT_EQ(g2.call("fd_filestat_get", {I32(0), I32(kPage - 64)}), kSuccess);
  EXPECT_EQ(g2.get64(kPage - 64 + 32), 10u);
  EXPECT_EQ(g2.call("fd_filestat_get", {I32(0), I32(kPage - 56)}, "u"), kSuccess);
  EXPECT_EQ(g2.mem()[kPage - 56 + 16], 4);  // regular file
  EXPECT_EQ(g2.get32(kPage - 56 + 20), 1u);  // nlink
  EXPECT_EQ(g2.get64(kPage - 56 + 24), 10u);
  close(fd);
}

TEST_F(HostAbi, UnstableSubscriptionLayout) {
  // wasi_unstable's clock subscription has an 8-byte identifier first:
  // clock id at 24, timeout at 32 (preview1: 16 and 24); 56 bytes in all.
  std::memset(g.mem() + 512, 0, 56);
  g.put64(512, 0xabc);   // userdata
  g.put64(528, 0x999);   // identifier (ignored)
  g.put32(536, 1);       // monotonic
  g.put64(544, 20000000);
  uint64_t t0 = 0;
  EXPECT_EQ(g.call("clock_time_get", {I32(1), I64(0), I32(64)}), kSuccess);
  t0 = g.get64(64);
  EXPECT_EQ(g.call("poll_oneoff", {I32(512), I32(1024), I32(1), I32(8)}, "u"), kSuccess);
  EXPECT_EQ(g.call("clock_time_get", {I32(1), I64(0), I32(64)}), kSuccess);
  EXPECT_GE(g.get64(64) - t0, 20000000u);  // the 20 ms timeout was read from offset 32
  EXPECT_EQ(g.get32(8), 1u);
  EXPECT_EQ(g.get64(1024), 0xabcu);
  EXPECT_EQ(g.mem()[1024 + 10], 0);  // clock event
  // 55 bytes before the end: the subscription does not fit.
  EXPECT_EQ(g.call("poll_oneoff", {I32(kPage - 55), I32(1024), I32(1), I32(8)}, "u"), kFault);
}

TEST_F(HostAbi, UnstablePathFilestat) {
  testing::TempTree t;
  t.write("f", "abc");
  WasiConfig c2;
  c2.dirs.push_back({t.path(), "d"});
  Guest g2;
  ASSERT_EQ(g2.load(kImports, c2), "");
  std::memcpy(g2.mem() + 100, "f", 1);
  EXPECT_EQ(g2.call("path_filestat_get", {I32(3), I32(0), I32(100), I32(1), I32(kPage - 56)}, "u"),
            kSuccess);
  EXPECT_EQ(g2.get64(kPage - 56 + 24), 3u);
}

TEST_F(HostAbi, ProcExitEndsTheProgram) {
  EXPECT_EQ(g.call("proc_exit", {I32(42)}), -1);
  EXPECT_EQ(g.last_trap().kind, TrapKind::Exit);
  EXPECT_EQ(g.last_trap().exit_code, 42);
  EXPECT_EQ(g.ctx().exit_code, 42);
}

TEST(HostAbiNoMemory, EveryPointerFaults) {
  Guest g;
  ASSERT_EQ(g.load({{.name = "fd_write", .params = "i32 i32 i32 i32"},
                    {.name = "args_sizes_get", .params = "i32 i32"}},
                   {}, /*memory=*/false),
            "");
  EXPECT_EQ(g.call("fd_write", {I32(1), I32(0), I32(1), I32(0)}), kFault);
  EXPECT_EQ(g.call("args_sizes_get", {I32(0), I32(4)}), kFault);
}

}  // namespace
}  // namespace wisp::wasi
