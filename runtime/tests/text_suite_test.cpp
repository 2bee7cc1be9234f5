// The text front end over the official wasm-2.0 suite (skipped when the suite
// is not found): every script parses, every text module that is not expected
// to be malformed encodes, and every quoted assert_malformed module fails
// with the message the script expects.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "runtime/text/wast.hpp"
#include "runtime/text/wat.hpp"

namespace wisp::text {
namespace {

namespace fs = std::filesystem;

// $WISP_TESTSUITE, else ../shared/testsuite beside the checkout (as CMake does).
fs::path suite_dir() {
  if (const char* env = std::getenv("WISP_TESTSUITE"); env && *env) return fs::path(env) / "wasm-2.0";
  fs::path here = fs::path(__FILE__).parent_path();  // runtime/tests
  return here / ".." / ".." / ".." / "shared" / "testsuite" / "wasm-2.0";
}

std::vector<fs::path> scripts() {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(suite_dir(), ec))
    if (e.path().extension() == ".wast") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

TEST(TextSuite, Wasm20) {
  auto files = scripts();
  if (files.empty()) GTEST_SKIP() << "no suite at " << suite_dir();
  size_t modules = 0, malformed = 0;
  for (const auto& path : files) {
    std::string name = path.filename().string();
    auto script = parse_wast(slurp(path));
    ASSERT_TRUE(script) << name << ":" << script.error().line << ": " << script.error().message;
    for (const Command& c : script->commands) {
      if (!c.has_module) continue;
      const ScriptModule& m = c.module;
      if (c.kind == Command::AssertMalformed) {
        if (m.form != ScriptModule::Quote) continue;
        ++malformed;
        auto r = parse_wat(m.quote);
        EXPECT_FALSE(r) << name << ":" << c.line << " parsed, expected \"" << c.message << "\"";
        if (!r) {
          EXPECT_EQ(r.error().message.rfind(c.message, 0), 0u)
              << name << ":" << c.line << " expected \"" << c.message << "\", got \"" << r.error().message << "\"";
        }
        continue;
      }
      ++modules;
      auto r = module_binary(m);
      EXPECT_TRUE(r) << name << ":" << m.line << ": " << (r ? "" : r.error().message);
    }
  }
  EXPECT_EQ(files.size(), 148u);
  EXPECT_GT(modules, 3000u);
  EXPECT_GT(malformed, 1000u);
}

}  // namespace
}  // namespace wisp::text
