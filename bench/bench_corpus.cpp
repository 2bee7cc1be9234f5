#include "bench/bench_corpus.hpp"

#include <dirent.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "runtime/valid/decoder.hpp"
#include "runtime/text/wast.hpp"
#include "runtime/valid/validator.hpp"

namespace wisp::bench {

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

static std::vector<std::string> list(const std::string& dir, const std::string& suffix) {
  std::vector<std::string> out;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n.size() > suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0)
        out.push_back(dir + "/" + n);
    }
    closedir(d);
  }
  std::sort(out.begin(), out.end());
  return out;
}

static bool valid(const std::vector<uint8_t>& bytes) {
  auto m = decode_borrowed(bytes.data(), bytes.size());
  return m.ok() && validate(m.value()).ok();
}

const Corpus& spec_corpus() {
  static const Corpus corpus = [] {
    Corpus c;
    for (const std::string& path : list(std::string(WISP_BENCH_TESTSUITE) + "/wasm-2.0", ".wast")) {
      std::vector<uint8_t> text = read_file(path);
      auto script = text::parse_wast(std::string_view(reinterpret_cast<const char*>(text.data()), text.size()));
      if (!script.ok()) continue;
      for (const text::Command& cmd : script->commands) {
        if (cmd.kind != text::Command::Module) continue;
        auto bin = text::module_binary(cmd.module);
        if (!bin.ok() || !valid(bin.value())) continue;
        c.total_bytes += bin->size();
        c.modules.push_back(std::move(bin.value()));
        c.names.push_back(path.substr(path.find_last_of('/') + 1) + ":" + std::to_string(cmd.line));
      }
    }
    return c;
  }();
  return corpus;
}

const std::vector<uint8_t>& largest_module(std::string* name) {
  static std::string which;
  static const std::vector<uint8_t> largest = [] {
    std::vector<uint8_t> best;
    for (const auto& m : spec_corpus().modules)
      if (m.size() > best.size()) {
        best = m;
        which = "largest spec-suite module";
      }
    for (const std::string& path : list(WISP_BENCH_WORKLOAD_DIR, ".wasm")) {
      std::vector<uint8_t> b = read_file(path);
      if (b.size() > best.size() && valid(b)) {
        best = std::move(b);
        which = path.substr(path.find_last_of('/') + 1);
      }
    }
    return best;
  }();
  if (name) *name = which;
  return largest;
}

}  // namespace wisp::bench
