// Instantiates a module with dummy imports and calls every exported
// function under execution limits. Shared by fuzz_instantiate_run and its
// regression replays.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>

#include <string>
#include <vector>

#include "runtime/vm/tiers.hpp"
#include "runtime/wasm/module.hpp"

namespace wisp::fuzz {

struct RunLimits {
  uint64_t fuel = 100000;                // instructions per call (and for instantiation)
  uint64_t max_memory_bytes = 16 << 20;  // every memory
  uint32_t max_call_depth = 300;         // one input in eight: StoreConfig's default
  size_t value_stack_bytes = 1 << 20;
  // The store's limits stop huge and numerous tables (the generator makes
  // both); these keep a run's memory small.
  uint64_t max_table_elements = 100000;        // each table
  uint64_t max_total_table_elements = 1000000; // all tables of the store
  uint32_t max_tables = 1000;
  Tier tier = Tier::Interp;
  uint64_t tier_sample = kTierSample;  // Tier::Auto
};

// What a run did, for comparing tiers (fuzz_differential): each export
// call's results (a NaN as "nan") or trap (message and backtrace), then
// the final globals and a hash of memory 0. out_of_fuel: some call ran out,
// and where fuel runs out differs between tiers (jit/compiler.hpp), so the
// state after that is not comparable.
struct RunRecord {
  std::vector<std::string> calls;
  std::vector<std::string> globals;
  uint64_t memory_hash = 0;
  bool out_of_fuel = false;
};

// What happened, for tuning the generator (fuzz/README.md).
struct RunStats {
  uint64_t modules = 0, instantiated = 0, calls = 0, returned = 0;
  uint64_t traps[32] = {};  // by TrapKind
  uint64_t link_errors = 0, start_traps = 0, limit_errors = 0;
};

// Every import gets a dummy of its type: functions return zeros (one traps
// on a magic argument, to cover host traps), tables start null, memories
// empty, globals zero. Arguments to exports come from `seed` (any bytes).
// Traps, link errors and limit errors are fine; a result of the wrong type or count is
// reported as a bug (abort).
void instantiate_and_run(std::shared_ptr<const Module> m, const uint8_t* seed, size_t seed_size,
                         const RunLimits& limits = {}, RunStats* stats = nullptr,
                         RunRecord* record = nullptr);

}  // namespace wisp::fuzz
