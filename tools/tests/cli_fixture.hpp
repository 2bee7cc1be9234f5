// The fixture of the process-level CLI tests: a scratch directory, files
// written into it, `wisp` run as a child, and the contract for bad input
// (one "wisp: error: ..." line on stderr, exit status 1).
#pragma once
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "runtime/wasm/leb128.hpp"
#include "tools/tests/spawn.hpp"

namespace wisp::test {

using Bytes = std::vector<uint8_t>;

// Building binary modules byte by byte.
inline Bytes u32(uint64_t v) {
  Bytes b;
  wisp::write_uleb(b, v);
  return b;
}
inline void append(Bytes& to, const Bytes& b) { to.insert(to.end(), b.begin(), b.end()); }
inline Bytes section(uint8_t id, const Bytes& payload) {
  Bytes s = {id};
  append(s, u32(payload.size()));
  append(s, payload);
  return s;
}
inline Bytes name_bytes(const std::string& s) {
  Bytes b = u32(s.size());
  b.insert(b.end(), s.begin(), s.end());
  return b;
}
inline const Bytes kHeader = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "wisp-cli-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr) << strerror(errno);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  fs::path write(const std::string& name, const Bytes& b) {
    fs::path p = dir_ / name;
    std::ofstream f(p, std::ios::binary);
    f.write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
    EXPECT_TRUE(f.good()) << p;
    return p;
  }
  fs::path write_text(const std::string& name, const std::string& s) {
    return write(name, Bytes(s.begin(), s.end()));
  }

  // Runs `wisp args...`, killing it after `timeout`.
  Outcome run_wisp(std::vector<std::string> args, std::chrono::seconds timeout = std::chrono::seconds(30),
                   const SpawnOptions& o = {}) {
    return test::run_wisp(args, dir_, o, timeout);
  }

  // The contract for bad input.
  void expect_one_error_line(const Outcome& r, const std::string& must_contain) {
    EXPECT_FALSE(r.timed_out) << "hung; stderr: " << r.err;
    EXPECT_FALSE(r.signaled) << "killed by signal " << r.signal << " (" << strsignal(r.signal)
                             << "); stderr: " << r.err;
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_TRUE(!r.err.empty() && r.err.back() == '\n') << r.err;
    EXPECT_EQ(r.err.rfind("wisp: error: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(must_contain), std::string::npos) << "wanted '" << must_contain << "' in: " << r.err;
    EXPECT_EQ(r.out, "");
  }
  void expect_valid(const Outcome& r) {
    EXPECT_FALSE(r.timed_out);
    EXPECT_FALSE(r.signaled) << "killed by signal " << r.signal << "; stderr: " << r.err;
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
  }

  fs::path dir_;
};

}  // namespace wisp::test
