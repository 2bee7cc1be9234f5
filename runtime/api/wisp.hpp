// wisp's C++ embedding API: the one header an embedder includes.
//
//   auto mod = wisp::load_module(bytes);            // decode + validate
//   wisp::Store store;
//   wisp::Linker linker;                             // imports by name
//   auto inst = linker.instantiate(store, *mod);
//   auto res = store.call(inst.value()->func_export("f"), {wisp::Value::i32(1)});
//
// The types come from the layers below (ARCHITECTURE.md): the module from
// runtime/wasm/, Store, Linker, values and traps from runtime/vm/.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "runtime/vm/linker.hpp"
#include "runtime/vm/store.hpp"
#include "runtime/wasm/module.hpp"
#include "runtime/wasm/result.hpp"

namespace wisp {

// Decodes and validates; errors carry kind (Malformed/Invalid) and offset.
Result<std::shared_ptr<Module>> load_module(std::vector<uint8_t> bytes);

}  // namespace wisp
