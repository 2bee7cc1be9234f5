// wisp-wast2bin FILE.wast OUTDIR
// Writes every text-form module of a script (top-level and inside assertions;
// not `binary`/`quote` ones) as OUTDIR/<line>.wasm, where <line> is the line
// of its `(module` token (what wast2json records), together with its source
// as OUTDIR/<line>.wat. A module that does not encode gets OUTDIR/<line>.err.
// Used by crosscheck_wabt.py to compare wisp's encodings with wabt's.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "runtime/text/wast.hpp"

namespace {

bool write_file(const std::string& path, const void* data, size_t size) {
  std::ofstream f(path, std::ios::binary);
  f.write(static_cast<const char*>(data), std::streamsize(size));
  return bool(f);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s FILE.wast OUTDIR\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "%s: cannot read\n", argv[1]);
    return 2;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string src = ss.str();
  auto script = wisp::text::parse_wast(src);
  if (!script) {
    std::fprintf(stderr, "%s:%zu: %s\n", argv[1], script.error().line, script.error().message.c_str());
    return 1;
  }
  const std::string dir = argv[2];
  int written = 0, failed = 0;
  for (const auto& c : script->commands) {
    const auto& m = c.module;
    if (!c.has_module || m.form != wisp::text::ScriptModule::Text) continue;
    const std::string base = dir + "/" + std::to_string(m.line);
    std::string_view text = std::string_view(src).substr(m.source_begin, m.source_end - m.source_begin);
    bool ok = write_file(base + ".wat", text.data(), text.size());
    if (m.failed) {
      std::string msg = std::to_string(m.error.line) + ": " + m.error.message + "\n";
      ok = ok && write_file(base + ".err", msg.data(), msg.size());
      ++failed;
    } else {
      ok = ok && write_file(base + ".wasm", m.bytes.data(), m.bytes.size());
      ++written;
    }
    if (!ok) {
      std::fprintf(stderr, "%s: cannot write\n", base.c_str());
      return 2;
    }
  }
  std::printf("%d modules written, %d failed to encode\n", written, failed);
  return failed ? 1 : 0;
}
