// wisp wast: the spec-test runner's command line.
#include <cstring>
#include <iostream>

#include "spec-tests/wast_runner.hpp"
#include "tools/cli.hpp"

namespace wisp::cli {

int cmd_wast(int argc, char** argv) {
  spec::Options opts;
  bool strict_messages = false;
  std::vector<std::string> files;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--verbose" || a == "-v") opts.verbose = true;
    else if (a == "--tier" && i + 1 < argc) opts.tier = argv[++i];
    // Tier::Auto's sampling interval, in interpreted instructions: small
    // values compile almost everything early and exercise OSR.
    else if (a == "--tier-sample" && i + 1 < argc) {
      if (!parse_u64(argv[++i], opts.tier_sample) || opts.tier_sample == 0) {
        error("wast: --tier-sample needs a positive number");
        return 1;
      }
    }
    // A rejection with another message than the spec's fails the run (CI
    // holds the 2.0 suite to this).
    else if (a == "--strict-messages") strict_messages = true;
    else if (a == "--expected-failures" && i + 1 < argc)
      opts.expected_failures = spec::read_expected_failures(argv[++i]);
    else if (a.size() > 1 && a[0] == '-') {
      error("wast: unknown option " + a);
      return 1;
    } else files.push_back(a);
  }
  if (!parse_tier(opts.tier, opts.store_tier)) {
    error("wast: unknown tier '" + opts.tier + "' (available: " + kTierNames + ")");
    return 1;
  }
  if (files.empty()) {
    error("usage: wisp wast [--verbose] [--tier interp|jit|auto] [--tier-sample N] [--strict-messages] [--expected-failures FILE] FILE...");
    return 1;
  }
  spec::Stats total;
  for (const std::string& f : files) total += spec::run_file(f, opts, std::cout);
  std::cout << "\n";
  if (total.skipped) std::cout << total.skipped << " skipped\n";
  if (total.expected_failed) std::cout << total.expected_failed << " expected failures (listed)\n";
  if (total.unexpected_passed)
    std::cout << total.unexpected_passed << " listed as expected failures but passed\n";
  if (total.message_mismatch)
    std::cout << total.message_mismatch << " rejected with a different message than the spec's\n";
  std::cout << total.passed << " passed, " << total.failed << " failed\n";
  if (strict_messages && total.message_mismatch) return 1;
  return total.failed ? 1 : 0;
}

}  // namespace wisp::cli
