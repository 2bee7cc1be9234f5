// Module corpora for the micro-benchmarks: every module of the spec suite
// (decoded from the .wast scripts once, outside the timed region), and the
// largest single module at hand.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace wisp::bench {

struct Corpus {
  std::vector<std::vector<uint8_t>> modules;  // valid modules only
  std::vector<std::string> names;             // "file.wast:line", one per module
  size_t total_bytes = 0;
};

// All valid modules (text, binary and quote forms) of wasm-2.0/*.wast.
const Corpus& spec_corpus();
// The largest valid module among the spec suite and bench/workloads/*.wasm;
// `name` says which.
const std::vector<uint8_t>& largest_module(std::string* name = nullptr);

std::vector<uint8_t> read_file(const std::string& path);

}  // namespace wisp::bench
