// Modules for runtime tests: WAT text (with a name section, so traps name
// functions) to a validated Module, and instantiated without imports.
#pragma once
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "runtime/text/wat.hpp"
#include "runtime/api/wisp.hpp"

namespace wisp::test {

inline std::shared_ptr<Module> compile(const std::string& wat) {
  text::WatOptions opts;
  opts.names = true;
  auto bin = text::parse_wat(wat, opts);
  EXPECT_TRUE(bin.ok()) << (bin.ok() ? "" : bin.error().message);
  if (!bin.ok()) return nullptr;
  auto m = load_module(std::move(bin.value()));
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
  return m.ok() ? m.value() : nullptr;
}

inline Instance* instantiate(Store& store, const std::string& wat) {
  auto m = compile(wat);
  if (!m) return nullptr;
  auto inst = store.instantiate(m, {});
  EXPECT_TRUE(inst.ok()) << (inst.ok() ? "" : inst.error().message);
  return inst.ok() ? inst.value() : nullptr;
}

}  // namespace wisp::test
