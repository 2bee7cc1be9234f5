// Writes the fuzzers' seed corpora and dictionaries (run by make-corpus.sh):
//
//   wisp-fuzz-seeds OUT_DIR SUITE_DIR...
//
// From every .wast file under the SUITE_DIRs:
//   OUT/text/      each module's source text, as written in the script
//                  (quoted modules too: they are mostly malformed on purpose)
//   OUT/binary/    each module's binary (text ones encoded by wisp), valid
//                  or not
//   OUT/valid/     the binaries that decode and validate
// plus OUT/recipes/ (pseudo-random generator recipes, fixed seed) and the
// dictionaries OUT/wasm.dict and OUT/wat.dict, made from the opcode table.
// Files are named by a hash of their content, so duplicates collapse.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>

#include "runtime/valid/decoder.hpp"
#include "runtime/wasm/opcodes.hpp"
#include "runtime/text/wast.hpp"
#include "runtime/valid/validator.hpp"

namespace fs = std::filesystem;

namespace {

// Seeds above this size slow the fuzzers down more than they help.
constexpr size_t kMaxSeed = 64 << 10;

std::string hash_name(const void* p, size_t n) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (size_t i = 0; i < n; ++i) h = (h ^ static_cast<const uint8_t*>(p)[i]) * 1099511628211ull;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

void write(const fs::path& dir, const void* p, size_t n) {
  if (n > kMaxSeed) return;
  std::ofstream(dir / hash_name(p, n), std::ios::binary).write(static_cast<const char*>(p), std::streamsize(n));
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// libFuzzer dictionary syntax: "..." with \xNN escapes.
std::string dict_entry(const std::string& bytes) {
  std::string s = "\"";
  for (unsigned char c : bytes) {
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
      s += char(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      s += buf;
    }
  }
  return s + "\"";
}

void write_dicts(const fs::path& out) {
  std::set<std::string> bin, txt;
  for (unsigned i = 0; i < wisp::kOpCount; ++i) {
    const wisp::OpInfo& info = wisp::kOpInfo[i];
    std::string enc;
    if (info.prefix) enc += char(info.prefix);
    enc += char(info.code);  // every 2.0 prefixed code is a one-byte LEB
    bin.insert(enc);
    txt.insert(info.text);
  }
  // Module framing: magic + version, section ids with a small size, value
  // and reference types, the func type form, limits flags.
  bin.insert(std::string("\0asm\1\0\0\0", 8));
  for (int id = 0; id <= 12; ++id) bin.insert(std::string{char(id), char(1)});
  for (int b : {0x7F, 0x7E, 0x7D, 0x7C, 0x7B, 0x70, 0x6F, 0x60, 0x40}) bin.insert(std::string(1, char(b)));
  bin.insert(std::string("\x80\x80\x80\x80\x00", 5));  // overlong LEB
  bin.insert(std::string("\xFF\xFF\xFF\xFF\x0F", 5));  // u32 max
  bin.insert(std::string("\4name", 5));
  for (const char* kw :
       {"module", "func", "param", "result", "local", "type", "import", "export", "table", "memory",
        "global", "mut", "start", "elem", "data", "offset", "item", "declare", "then", "else",
        "funcref", "externref", "i32", "i64", "f32", "f64", "v128", "i8x16", "i16x8", "i32x4",
        "i64x2", "f32x4", "f64x2", "offset=", "align=", "nan", "inf", "nan:0x", "nan:canonical",
        "nan:arithmetic", "0x", "binary", "quote", "register", "invoke", "get", "assert_return",
        "assert_trap", "assert_exhaustion", "assert_invalid", "assert_malformed",
        "assert_unlinkable", "assert_uninstantiable", "ref.extern", "(;", ";)", ";;", "\\u{"})
    txt.insert(kw);
  std::ofstream b(out / "wasm.dict"), t(out / "wat.dict");
  for (const auto& e : bin) b << dict_entry(e) << "\n";
  for (const auto& e : txt) t << dict_entry(e) << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s OUT_DIR SUITE_DIR...\n", argv[0]);
    return 2;
  }
  fs::path out = argv[1];
  for (const char* d : {"text", "binary", "valid", "recipes"}) fs::create_directories(out / d);
  size_t scripts = 0, modules = 0, valid = 0;
  for (int a = 2; a < argc; ++a) {
    std::error_code ec;
    for (const auto& e : fs::recursive_directory_iterator(argv[a], ec)) {
      if (e.path().extension() != ".wast") continue;
      std::string src = slurp(e.path());
      auto script = wisp::text::parse_wast(src);
      if (!script) continue;  // 3.0 scripts may use syntax wisp does not parse
      ++scripts;
      for (const auto& c : script->commands) {
        if (!c.has_module) continue;
        const auto& m = c.module;
        if (m.source_end > m.source_begin && m.source_end <= src.size())
          write(out / "text", src.data() + m.source_begin, m.source_end - m.source_begin);
        auto bytes = wisp::text::module_binary(m);
        if (!bytes) continue;
        ++modules;
        write(out / "binary", bytes->data(), bytes->size());
        auto dm = wisp::decode(*bytes);
        if (dm && wisp::validate(*dm)) {
          ++valid;
          write(out / "valid", bytes->data(), bytes->size());
        }
      }
    }
  }
  // Recipes for the generator: random bytes of a few sizes, from a fixed
  // seed so the corpus is reproducible.
  std::mt19937 rng(20261122);
  for (int i = 0; i < 300; ++i) {
    std::string r(size_t(16) << (i % 7), '\0');
    for (auto& c : r) c = char(rng());
    write(out / "recipes", r.data(), r.size());
  }
  write_dicts(out);
  std::printf("%zu scripts, %zu modules (%zu valid) -> %s\n", scripts, modules, valid, out.c_str());
  return scripts ? 0 : 1;
}
