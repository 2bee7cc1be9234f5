// path_readlink never shows the guest a host path: an absolute target the
// host wrote into a symlink comes back relative to the link when it points
// inside the directory, and is refused (ENOTCAPABLE) when it points outside.
#include <gtest/gtest.h>

#include <cstring>

#include "wasi/tests/guest.hpp"
#include "wasi/tests/temp_tree.hpp"

namespace wisp::wasi {
namespace {

using testing::Guest;
using testing::I32;
using testing::TempTree;

constexpr int kSuccess = 0, kNotCapable = 76;

class Readlink : public ::testing::Test {
 protected:
  void SetUp() override {
    t.mkdir("root");
    t.mkdir("root/sub");
    t.write("root/file", "inside");
    t.write("secret", "outside");
    t.symlink(t.at("root/file"), "root/abs_in");          // absolute, inside
    t.symlink(t.at("root/file"), "root/sub/abs_in_up");   // absolute, inside, from below
    t.symlink(t.at("root/sub"), "root/abs_dir");          // absolute, a directory inside
    t.symlink(t.at("secret"), "root/abs_out");            // absolute, outside
    t.symlink(t.at("root/../secret"), "root/abs_dotdot");  // absolute, outside by ".."
    t.symlink("file", "root/rel");                        // relative: as written
    WasiConfig cfg;
    cfg.dirs.push_back({t.at("root"), "/box"});
    ASSERT_EQ(g.load({{.name = "path_readlink", .params = "i32 i32 i32 i32 i32 i32"}}, cfg), "");
  }

  // readlink(path) through preopen fd 3: the errno, and the target in `out`.
  int readlink(const std::string& path, std::string& out) {
    std::memcpy(g.mem() + 0, path.data(), path.size());
    int e = g.call("path_readlink", {I32(3), I32(0), I32(uint32_t(path.size())), I32(1024),
                                     I32(4096), I32(8)});
    out.assign(reinterpret_cast<const char*>(g.mem() + 1024), g.get32(8));
    return e;
  }

  TempTree t;
  Guest g;
};

TEST_F(Readlink, AbsoluteTargetsInsideComeBackRelative) {
  std::string s;
  EXPECT_EQ(readlink("abs_in", s), kSuccess);
  EXPECT_EQ(s, "file");
  EXPECT_EQ(readlink("sub/abs_in_up", s), kSuccess);
  EXPECT_EQ(s, "../file");
  EXPECT_EQ(readlink("abs_dir", s), kSuccess);
  EXPECT_EQ(s, "sub");
}

TEST_F(Readlink, AbsoluteTargetsOutsideAreRefused) {
  std::string s = "unchanged";
  EXPECT_EQ(readlink("abs_out", s), kNotCapable);
  EXPECT_EQ(readlink("abs_dotdot", s), kNotCapable);
  for (size_t i = 1024; i < 1024 + 256; ++i) ASSERT_EQ(g.mem()[i], 0) << "host path leaked";
}

TEST_F(Readlink, RelativeTargetsAreAsWritten) {
  std::string s;
  EXPECT_EQ(readlink("rel", s), kSuccess);
  EXPECT_EQ(s, "file");
}

}  // namespace
}  // namespace wisp::wasi
