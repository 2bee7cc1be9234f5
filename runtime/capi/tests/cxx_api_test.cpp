// wisp.hh, the public C++ API over the C API: typed host functions from
// C++ callables (Func::wrap), typed calls, traps and thrown exceptions as
// values, memory access; nothing of the runtime's internals included.
#include "wisp.hh"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

namespace {

namespace w = wisp::api;

std::vector<uint8_t> read(const char* path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), {});
}

TEST(CxxApi, WrappedCallablesTypedCallsTrapsAndMemory) {
  w::Engine engine;
  w::Store store(engine);
  auto module = w::Module::compile(store, read(WISP_CXX_API_WASM));
  ASSERT_TRUE(module) << module.error().message;
  EXPECT_EQ(module->exports(), (std::vector<std::string>{"memory", "run", "fail", "div"}));
  EXPECT_FALSE(w::Module::compile(store, {0x00, 0x61, 0x73, 0x6D}).ok());

  int64_t logged_i = 0;
  double logged_f = 0;
  auto twice = w::Func::wrap(store, [](int32_t x) { return x * 2; });
  auto log = w::Func::wrap(store, [&](int64_t i, double f) {
    logged_i = i;
    logged_f = f;
  });
  auto fail = w::Func::wrap(store, []() { throw std::runtime_error("no such thing"); });
  EXPECT_EQ(twice.params(), 1u);
  EXPECT_EQ(log.results(), 0u);

  auto instance = w::Instance::create(store, *module, {&twice, &log, &fail});
  ASSERT_TRUE(instance) << instance.error().message;
  auto run = instance->func("run");
  ASSERT_TRUE(run);
  auto r = run->call<int32_t>(21);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, 42);
  EXPECT_EQ(logged_i, 7);
  EXPECT_EQ(logged_f, 0.5);

  auto memory = instance->memory("memory");
  ASSERT_TRUE(memory);
  EXPECT_EQ(memory->pages(), 1u);
  EXPECT_EQ(memory->data()[16], 42);

  auto failed = instance->func("fail")->call();
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message, "no such thing");
  auto div = instance->func("div")->call<int32_t>(1, 0);
  ASSERT_FALSE(div);
  EXPECT_EQ(div.error().message, "integer divide by zero");
  EXPECT_FALSE(instance->func("memory"));
  EXPECT_FALSE(instance->func("nothing"));

  // Imports that do not fit: an error, not a crash.
  auto bad = w::Instance::create(store, *module, {&log, &twice, &fail});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("incompatible import type"), std::string::npos);
}

}  // namespace
