// Runs .wast scripts of the official spec suite against wisp.
#pragma once
#include <cstddef>
#include <iosfwd>
#include <set>
#include <string>
#include <vector>

#include "runtime/vm/tiers.hpp"

namespace wisp::spec {

struct Options {
  bool verbose = false;
  std::string tier = "interp";  // as given on the command line
  Tier store_tier = Tier::Interp;
  uint64_t tier_sample = kTierSample;
  // "file.wast:line" entries whose failure is known and tolerated.
  std::set<std::string> expected_failures;
};

struct Stats {
  size_t passed = 0;
  size_t failed = 0;
  size_t skipped = 0;
  size_t expected_failed = 0;   // failed, but listed in expected_failures
  size_t unexpected_passed = 0; // listed, but passed (the list is stale)
  size_t message_mismatch = 0;  // rejected correctly, but with another message
  Stats& operator+=(const Stats& o);
};

// Runs one script; prints each failing assertion (file:line, what was
// expected and got) and a per-file line; with verbose, also skips,
// expected failures and message mismatches.
Stats run_file(const std::string& path, const Options& opts, std::ostream& out);

// Reads an expected-failures file: one "file.wast:line" per line, '#' comments.
std::set<std::string> read_expected_failures(const std::string& path);

}  // namespace wisp::spec
