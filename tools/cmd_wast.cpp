// wisp wast: the spec-test runner's command line.
#include <cstdio>
#include <cstring>
#include <iostream>

#include "spec-tests/wast_runner.hpp"
#include "tools/cli.hpp"
#include "tools/options.hpp"

namespace wisp::cli {

const char* const kWastUsage =
    "usage: wisp wast [options] FILE...\n"
    "Runs spec-test scripts (.wast): each failing assertion is printed with its\n"
    "file:line and what was expected and got, then the counts.\n"
    "  --tier interp|jit|auto  the tier to run them in (default interp)\n"
    "  --tier-sample N         auto: compile the function running every N\n"
    "                          interpreted instructions\n"
    "  --expected-failures FILE  assertions (file:line per line) that may fail\n"
    "  --strict-messages       fail when a rejection's message is not the spec's\n"
    "  --verbose, -v           also print skipped assertions, expected failures and\n"
    "                          message mismatches\n";

int cmd_wast(int argc, char** argv) {
  spec::Options opts;
  bool strict_messages = false;
  Args a("wast", argc, argv);
  for (; a.option(); a.next()) {
    std::string v;
    if (a.flag("--help", "-h")) {
      fputs(kWastUsage, stdout);
      return 0;
    }
    if (a.flag("--verbose", "-v")) opts.verbose = true;
    else if (a.value("--tier", opts.tier)) {}
    // Tier::Auto's sampling interval, in interpreted instructions: small
    // values compile almost everything early and exercise OSR.
    else if (a.number("--tier-sample", opts.tier_sample)) {
      if (!a.bad && opts.tier_sample == 0) a.fail("--tier-sample needs a positive number");
    }
    // A rejection with another message than the spec's fails the run (CI
    // holds the 2.0 suite to this).
    else if (a.flag("--strict-messages")) strict_messages = true;
    else if (a.value("--expected-failures", v)) {
      if (!a.bad) opts.expected_failures = spec::read_expected_failures(v);
    } else return a.unknown();
    if (a.bad) return 1;
  }
  const std::vector<std::string> files(argv + a.i, argv + argc);
  if (!parse_tier(opts.tier, opts.store_tier)) {
    error("wast: unknown tier '" + opts.tier + "' (available: " + kTierNames + ")");
    return 1;
  }
  if (files.empty()) return usage_error("wast", kWastUsage);
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
