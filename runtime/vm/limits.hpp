// Resource limits of a Store: how much one store may allocate for its
// guests (SECURITY.md). Modelled on wasmtime's StoreLimits: per-memory and
// per-table sizes, counts of instances, tables, memories and globals, plus
// store-wide totals so that many small tables cannot add up to what one big
// one may not.
//
// Hitting a limit is never a crash. Instantiation (or Store::table/memory/
// global) fails with an ErrorKind::Limit error that names the limit;
// memory.grow and table.grow return -1, which the spec always allows.
#pragma once
#include <cstdint>
#include <string>

#include "runtime/wasm/result.hpp"

namespace wisp {

// Fuel: every instruction costs one unit; a bulk memory or table
// instruction pays one more per this many bytes or elements it touches (as
// wasmtime charges by size), so one memory.fill of 4 GiB is not one
// instruction's worth.
inline constexpr uint64_t kBulkBytesPerFuel = 64;
inline constexpr uint64_t kBulkElemsPerFuel = 8;

struct StoreLimits {
  uint64_t max_memory_bytes = UINT64_MAX;       // each linear memory
  uint64_t max_table_elements = 10'000'000;     // each table: minimum and growth (V8's cap)
  uint64_t max_total_memory_bytes = UINT64_MAX; // all memories of the store together
  // All tables of the store together: 800 MB of references.
  uint64_t max_total_table_elements = 100'000'000;
  uint32_t max_instances = 10'000;   // wasmtime's default
  uint32_t max_tables = 10'000;      // wasmtime's default
  uint32_t max_memories = 10'000;    // wasmtime's default
  uint32_t max_globals = 1'000'000;  // V8's cap on globals per module, here per store
};

// What a store holds now, checked against its limits. Everything a store
// allocates lives until the store dies, so usage only grows.
struct ResourceUsage {
  const StoreLimits* limits = nullptr;  // the store's config (never null in a Store)
  uint64_t memory_bytes = 0;
  uint64_t table_elements = 0;
  uint32_t instances = 0, tables = 0, memories = 0, globals = 0;

  // Whether `delta` more table elements fit, in one table now holding
  // `size`; counts them if so.
  bool take_table_elements(uint64_t size, uint64_t delta) {
    if (size > limits->max_table_elements || delta > limits->max_table_elements - size) return false;
    if (delta > limits->max_total_table_elements - table_elements ||
        table_elements > limits->max_total_table_elements)
      return false;
    table_elements += delta;
    return true;
  }
  bool take_memory_bytes(uint64_t delta) {
    if (memory_bytes > limits->max_total_memory_bytes ||
        delta > limits->max_total_memory_bytes - memory_bytes)
      return false;
    memory_bytes += delta;
    return true;
  }
  // An allocation that failed after its share was taken.
  void give_back_memory_bytes(uint64_t delta) { memory_bytes -= delta; }
  void give_back_table_elements(uint64_t delta) { table_elements -= delta; }
};

inline Error limit_error(std::string what) {
  return make_error(ErrorKind::Limit, std::move(what) + " limit exceeded");
}
inline Error out_of_memory() { return make_error(ErrorKind::Limit, "out of host memory"); }

}  // namespace wisp
