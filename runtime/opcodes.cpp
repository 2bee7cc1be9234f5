#include "runtime/opcodes.hpp"

#include <string>
#include <unordered_map>

namespace wisp {

static OpTables build_tables() {
  OpTables t;
  for (auto& o : t.plain) o = kNoOp;
  for (auto& o : t.fc) o = kNoOp;
  for (auto& o : t.fd) o = kNoOp;
  for (unsigned i = 0; i < kOpCount; ++i) {
    const OpInfo& info = kOpInfo[i];
    Op op = static_cast<Op>(i);
    switch (info.prefix) {
      case 0x00: t.plain[info.code] = op; break;
      case 0xFC: t.fc[info.code] = op; break;
      case 0xFD: t.fd[info.code] = op; break;
    }
  }
  return t;
}

const OpTables& op_tables() {
  static const OpTables tables = build_tables();
  return tables;
}

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
