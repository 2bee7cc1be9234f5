// A small C++ host built out of tree against an installed wisp: wisp.hh
// over the C API. Loads the module given, calls "add" with a host function
// as its import, prints the result.
#include <wisp.hh>

#include <cstdio>
#include <fstream>
#include <iterator>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  std::ifstream f(argv[1], std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), {});
  wisp::api::Engine engine;
  wisp::api::Store store(engine);
  auto module = wisp::api::Module::compile(store, bytes);
  if (!module) return 3;
  auto forty = wisp::api::Func::wrap(store, []() { return int32_t(40); });
  auto instance = wisp::api::Instance::create(store, *module, {&forty});
  if (!instance) return 4;
  auto r = instance->func("add")->call<int32_t>(2);
  if (!r) return 5;
  std::printf("%d\n", *r);
  return 0;
}
