#include "runtime/wasm/opcodes.hpp"

#include <string>
#include <unordered_map>

namespace wisp {

std::optional<Op> op_from_text(std::string_view text) {
  static const std::unordered_map<std::string_view, Op> map = [] {
    std::unordered_map<std::string_view, Op> m;
    for (unsigned i = 0; i < kOpCount; ++i) m.emplace(kOpInfo[i].text, static_cast<Op>(i));
    m["select"] = Op::Select;  // SelectT shares the mnemonic; the parser picks by syntax
    return m;
  }();
  auto it = map.find(text);
  if (it == map.end()) return std::nullopt;
  return it->second;
}

}  // namespace wisp
