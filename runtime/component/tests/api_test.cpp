// The component part of the embedding API (runtime/api/component.hpp), used
// as an embedder would: only that header, values built with wisp::val, host
// interfaces as functions by name.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "runtime/api/component.hpp"

namespace {

std::vector<uint8_t> read(const char* path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}

// bench/component/abi.wat: describe(p: person) -> string, where person is
// record { name: string, age: u32, email: option<string>, tags: list<string> }.
TEST(ComponentApi, RecordsOptionsListsAndStringsByValue) {
  auto comp = wisp::load_component(read(WISP_COMPONENT_TESTS_DIR "/../../../bench/component/abi.component.wasm"));
  ASSERT_TRUE(comp.ok()) << comp.error().message;
  wisp::Store store;
  auto inst = wisp::ComponentInstance::create(store, comp.value());
  ASSERT_TRUE(inst.ok()) << inst.error().message;
  using namespace wisp::val;
  auto person = [](wisp::ComponentValue email) {
    return record({string("Ada"), u32(36), std::move(email), list({string("math"), string("engines")})});
  };
  auto r = inst.value()->call("describe", {person(some(string("ada@example.org")))});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.value().at(0).text, "ada@example.org");
  r = inst.value()->call("describe", {person(none())});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.value().at(0).text, "Ada");
  r = inst.value()->call("add", {s32(-2), s32(44)});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(int32_t(r.value().at(0).bits), 42);
  r = inst.value()->call("nothing", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "no exported function `nothing`");
}

// resources.wat: pipe() opens the host's stream, writes through it and
// drops it; the host implements the interface "host:io/streams".
TEST(ComponentApi, AHostInterfaceWithAResource) {
  auto comp = wisp::load_component(read(WISP_COMPONENT_TESTS_DIR "/resources.component.wasm"));
  ASSERT_TRUE(comp.ok()) << comp.error().message;
  struct Stream {
    uint32_t written = 0;
  };
  std::vector<Stream> streams(1);  // the host's objects; a rep is an index
  std::vector<uint32_t> dropped;
  wisp::ComponentLinker linker;
  linker.define("host:io/streams#open", [&](const wisp::ComponentValues&) -> wisp::Result<wisp::ComponentValues> {
    streams.emplace_back();
    return wisp::ComponentValues{wisp::val::own(uint32_t(streams.size() - 1))};
  });
  linker.define("host:io/streams#[method]stream.write",
                [&](const wisp::ComponentValues& a) -> wisp::Result<wisp::ComponentValues> {
                  Stream& s = streams.at(a.at(0).bits);
                  s.written += uint32_t(a.at(1).bits);
                  return wisp::ComponentValues{wisp::val::u32(s.written)};
                });
  linker.define("host:io/streams#[resource-drop]stream",
                [&](const wisp::ComponentValues& a) -> wisp::Result<wisp::ComponentValues> {
                  dropped.push_back(uint32_t(a.at(0).bits));
                  return wisp::ComponentValues{};
                });
  wisp::Store store;
  auto inst = wisp::ComponentInstance::create(store, comp.value(), &linker);
  ASSERT_TRUE(inst.ok()) << inst.error().message;
  auto r = inst.value()->call("pipe", {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.value().at(0).bits, 42u);  // 2 + 40 written to stream 1
  EXPECT_EQ(dropped, std::vector<uint32_t>{1});
}

TEST(ComponentApi, BadBytesAreAnErrorWithAnOffset) {
  auto comp = wisp::load_component({0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x07, 0x05});
  ASSERT_FALSE(comp.ok());
  EXPECT_EQ(comp.error().kind, wisp::ErrorKind::Malformed);
  EXPECT_NE(comp.error().offset, SIZE_MAX);
}

}  // namespace
