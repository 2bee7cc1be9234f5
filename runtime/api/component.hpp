// Components in wisp's C++ embedding API (issue 14): load a component, give
// it host implementations of the WIT interfaces it imports, call its
// exports with dynamic values.
//
//   auto comp = wisp::load_component(bytes);          // decode + validate
//   wisp::ComponentLinker linker;                     // imports by name:
//   linker.define("local:app/log#write",              //   "interface#function"
//                 [](const wisp::ComponentValues& args) -> wisp::Result<wisp::ComponentValues> {
//                   std::puts(args[0].text.c_str());
//                   return wisp::ComponentValues{};
//                 });
//   wisp::Store store;
//   auto inst = wisp::ComponentInstance::create(store, comp.value(), &linker);
//   auto r = inst.value()->call("greet", {wisp::val::string("wisp")});
//
// Values (runtime/component/value.hpp) are one struct for every WIT type:
// records and tuples as items in order, variants and options and results
// as a case index and a payload, strings and list<u8> as text; build them
// with wisp::val::…, or parse and print WAVE text (parse_wave, to_wave).
// Resources the host implements are reps (numbers the host chooses): a
// function returning own<T> returns val::own(rep); methods get the rep of
// their borrow<T>; "interface#[resource-drop]T" is called when the
// component drops the last handle. WASI 0.2 for components is
// wasi/preview2/host.hpp (wisp::wasi::p2::define).
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "runtime/api/wisp.hpp"
#include "runtime/component/component.hpp"
#include "runtime/component/instance.hpp"
#include "runtime/component/value.hpp"

namespace wisp {

using component::ComponentInstance;
using component::ComponentLinker;
using ComponentValue = component::Value;
using ComponentValues = std::vector<component::Value>;
namespace val = component::val;

// Decodes and validates a component (its core modules included); the
// result keeps the bytes. Errors carry kind and byte offset.
Result<std::shared_ptr<const component::Component>> load_component(std::vector<uint8_t> bytes);

}  // namespace wisp
