// Every WASI function called with random arguments and random memory
// contents: wisp must never crash or hang, and nothing outside the granted
// directory may change. (poll_oneoff is left out: random timeouts would
// make it sleep for years.)
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <random>

#include "wasi/tests/guest.hpp"
#include "wasi/tests/temp_tree.hpp"

namespace wisp::wasi {
namespace {

using testing::Guest;
using testing::ImportSpec;

const std::vector<ImportSpec> kAll = {
    {.name = "args_get", .params = "i32 i32"},
    {.name = "args_sizes_get", .params = "i32 i32"},
    {.name = "environ_get", .params = "i32 i32"},
    {.name = "environ_sizes_get", .params = "i32 i32"},
    {.name = "clock_res_get", .params = "i32 i32"},
    {.name = "clock_time_get", .params = "i32 i64 i32"},
    {.name = "fd_advise", .params = "i32 i64 i64 i32"},
    {.name = "fd_allocate", .params = "i32 i64 i64"},
    {.name = "fd_close", .params = "i32"},
    {.name = "fd_datasync", .params = "i32"},
    {.name = "fd_fdstat_get", .params = "i32 i32"},
    {.name = "fd_fdstat_set_flags", .params = "i32 i32"},
    {.name = "fd_fdstat_set_rights", .params = "i32 i64 i64"},
    {.name = "fd_filestat_get", .params = "i32 i32"},
    {.name = "fd_filestat_set_size", .params = "i32 i64"},
    {.name = "fd_filestat_set_times", .params = "i32 i64 i64 i32"},
    {.name = "fd_pread", .params = "i32 i32 i32 i64 i32"},
    {.name = "fd_prestat_get", .params = "i32 i32"},
    {.name = "fd_prestat_dir_name", .params = "i32 i32 i32"},
    {.name = "fd_pwrite", .params = "i32 i32 i32 i64 i32"},
    {.name = "fd_read", .params = "i32 i32 i32 i32"},
    {.name = "fd_readdir", .params = "i32 i32 i32 i64 i32"},
    {.name = "fd_renumber", .params = "i32 i32"},
    {.name = "fd_seek", .params = "i32 i64 i32 i32"},
    {.name = "fd_sync", .params = "i32"},
    {.name = "fd_tell", .params = "i32 i32"},
    {.name = "fd_write", .params = "i32 i32 i32 i32"},
    {.name = "path_create_directory", .params = "i32 i32 i32"},
    {.name = "path_filestat_get", .params = "i32 i32 i32 i32 i32"},
    {.name = "path_filestat_set_times", .params = "i32 i32 i32 i32 i64 i64 i32"},
    {.name = "path_link", .params = "i32 i32 i32 i32 i32 i32 i32"},
    {.name = "path_open", .params = "i32 i32 i32 i32 i32 i64 i64 i32 i32"},
    {.name = "path_readlink", .params = "i32 i32 i32 i32 i32 i32"},
    {.name = "path_remove_directory", .params = "i32 i32 i32"},
    {.name = "path_rename", .params = "i32 i32 i32 i32 i32 i32"},
    {.name = "path_symlink", .params = "i32 i32 i32 i32 i32"},
    {.name = "path_unlink_file", .params = "i32 i32 i32"},
    {.name = "proc_raise", .params = "i32"},
    {.name = "random_get", .params = "i32 i32"},
    {.name = "sched_yield", .params = ""},
    {.name = "sock_accept", .params = "i32 i32 i32"},
    {.name = "sock_recv", .params = "i32 i32 i32 i32 i32 i32"},
    {.name = "sock_send", .params = "i32 i32 i32 i32 i32"},
    {.name = "sock_shutdown", .params = "i32 i32"},
    {.module = "wasi_unstable", .name = "fd_seek", .params = "i32 i64 i32 i32"},
    {.module = "wasi_unstable", .name = "fd_filestat_get", .params = "i32 i32"},
    {.module = "wasi_unstable", .name = "path_filestat_get", .params = "i32 i32 i32 i32 i32"},
};

// Paths worth trying, placed in memory at kPaths + 64 * i.
const char* const kPathStrings[] = {"a", "b", "a/b", "..", "../outside/x", "link", ".", "c/",
                                    "a/../b", "/etc", "dir", "dir/f"};
constexpr uint32_t kPaths = 60000;

TEST(RandomCalls, NeverCrashNeverEscape) {
  testing::TempTree t;
  t.mkdir("outside");
  t.write("outside/x", "keep");
  t.mkdir("root");
  t.mkdir("root/dir");
  t.write("root/a", "0123456789");
  t.symlink("../outside/x", "root/link");
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  WasiConfig cfg;
  cfg.args = {"fuzz", "x"};
  cfg.env = {"A=B"};
  cfg.dirs.push_back({t.at("root"), "/r"});
  cfg.stdin_fd = cfg.stdout_fd = cfg.stderr_fd = devnull;
  std::mt19937_64 rng(12345);
  // A fresh instance every so often: random fd_close/fd_renumber calls
  // would otherwise soon leave nothing open to exercise.
  std::unique_ptr<Guest> g;
  std::vector<uint32_t> path_ptrs;
  auto u32 = [&]() -> uint32_t {
    switch (rng() % 8) {
      case 0:
      case 1: return rng() % 2 ? 3 : uint32_t(rng() % 8);  // fds (3: the preopen), flags
      case 2: {                             // a path; its length is set below
        uint32_t p = kPaths + 64 * uint32_t(rng() % std::size(kPathStrings));
        path_ptrs.push_back(p);
        return p;
      }
      case 3: return uint32_t(rng() % 16);                      // short lengths
      case 4: return 0xFFFFFFFFu - uint32_t(rng() % 16);        // near the top
      case 5: return uint32_t(g->mem_size() - rng() % 64);      // near the end of memory
      default: return uint32_t(rng() % 4096);                   // into the first page
    }
  };
  auto u64 = [&]() -> uint64_t {
    switch (rng() % 4) {
      case 0: return rng() % 64;
      case 1: return rng();
      case 2: return ~uint64_t(0) - rng() % 4;
      default: return rng() % 100000;
    }
  };
  auto scramble = [&] {
    for (uint32_t i = 0; i < 4096; i += 8) g->put64(i, rng() % 3 == 0 ? rng() : rng() % 4096);
    for (size_t i = 0; i < std::size(kPathStrings); ++i) {
      std::memset(g->mem() + kPaths + 64 * i, 0, 64);
      std::memcpy(g->mem() + kPaths + 64 * i, kPathStrings[i], strlen(kPathStrings[i]));
    }
  };

  int calls = 0, ok = 0;
  for (int round = 0; round < 60000; ++round) {
    if (round % 100 == 0) {
      g = std::make_unique<Guest>();
      ASSERT_EQ(g->load(kAll, cfg), "");
    }
    if (round % 50 == 0) scramble();
    const ImportSpec& s = kAll[rng() % kAll.size()];
    std::vector<Value> args;
    path_ptrs.clear();
    for (size_t k = 0; k + 2 < s.params.size() + 1; k += 4)
      args.push_back(s.params.compare(k, 3, "i64") == 0 ? Value::i64(u64()) : Value::i32(u32()));
    // Mostly aim descriptor parameters at open descriptors (3 is the
    // preopen; files opened by earlier calls follow it).
    auto fd_param = [&](size_t k) {
      if (k < args.size() && rng() % 5 != 0) args[k] = Value::i32(rng() % 3 ? 3 : uint32_t(rng() % 8));
    };
    bool takes_fd = s.name.rfind("fd_", 0) == 0 || s.name.rfind("path_", 0) == 0 ||
                    s.name.rfind("sock_", 0) == 0;
    if (s.name == "path_symlink") fd_param(2);
    else if (takes_fd) fd_param(0);
    // Closing the preopen ends most of the fun; close what was opened instead.
    if ((s.name == "fd_close" || s.name == "fd_renumber") && rng() % 8 != 0)
      args[0] = Value::i32(4 + uint32_t(rng() % 4));
    if (s.name == "path_link") fd_param(4);
    if (s.name == "path_rename" || s.name == "fd_renumber") fd_param(s.name == "path_rename" ? 3 : 1);
    // Mostly valid lookup flags, and a path_open that asks for something
    // a directory can grant, so opens succeed and later calls get files.
    if ((s.name == "path_filestat_get" || s.name == "path_filestat_set_times" ||
         s.name == "path_link" || s.name == "path_open") && rng() % 4 != 0)
      args[1] = Value::i32(uint32_t(rng() % 2));
    if (s.name == "path_open" && rng() % 3 != 0) {
      args[4] = Value::i32(uint32_t(rng() % 16));                         // oflags
      args[5] = Value::i64(rng() & right::DirectoryInheriting);  // rights a preopen passes on
      args[6] = Value::i64(rng() & right::DirectoryInheriting);
      args[7] = Value::i32(uint32_t(rng() % 2));                          // append or not
      args[8] = Value::i32(8);
    }
    // Where each call takes (path, length) pairs: mostly put a real one there.
    static const std::map<std::string, std::vector<size_t>> kPathArgs = {
        {"path_create_directory", {1}}, {"path_filestat_get", {2}},
        {"path_filestat_set_times", {2}}, {"path_link", {2, 5}},
        {"path_open", {2}},             {"path_readlink", {1}},
        {"path_remove_directory", {1}}, {"path_rename", {1, 4}},
        {"path_symlink", {0, 3}},       {"path_unlink_file", {1}}};
    if (auto it = kPathArgs.find(s.name); it != kPathArgs.end() && s.module != "wasi_unstable")
      for (size_t k : it->second)
        if (rng() % 5 != 0) {
          uint32_t p = kPaths + 64 * uint32_t(rng() % std::size(kPathStrings));
          args[k] = Value::i32(p);
          path_ptrs.push_back(p);
        }
    // Mostly give a path pointer its real length, so path calls get past
    // the argument checks and reach the file system.
    for (size_t k = 0; k + 1 < args.size(); ++k)
      if (args[k].type == ValType::I32 && args[k + 1].type == ValType::I32 &&
          std::find(path_ptrs.begin(), path_ptrs.end(), args[k].bits.u32) != path_ptrs.end() &&
          rng() % 5 != 0)
        args[k + 1] = Value::i32(uint32_t(strlen(reinterpret_cast<char*>(g->mem() + args[k].bits.u32))));
    int r = g->call(s.name, args, testing::prefix(s.module));
    ASSERT_NE(r, -2) << s.name;
    if (getenv("WISP_RANDOM_CALLS_VERBOSE")) {
      printf("%s %d", s.name.c_str(), r);
      for (const Value& v : args) printf(" %llx", (unsigned long long)v.bits.u64);
      printf("\n");
    }
    ++calls;
    if (r == 0) ++ok;
  }
  g.reset();
  close(devnull);
  // Lots of calls, many of them rejected, none of them harmful.
  EXPECT_EQ(calls, 60000);
  EXPECT_GT(ok, 5000);
  struct stat st;
  ASSERT_EQ(stat(t.at("outside/x").c_str(), &st), 0);
  EXPECT_EQ(st.st_size, 4);
  EXPECT_TRUE(t.exists("outside"));
  int fd = open(t.at("outside/x").c_str(), O_RDONLY | O_CLOEXEC);
  EXPECT_EQ(testing::read_fd(fd), "keep");
  close(fd);
}

}  // namespace
}  // namespace wisp::wasi
