// Where compiled code lives: per module (compiled once, shared by every
// instance of it), in executable memory that is never writable at the same
// address (W^X: asmjit's JitAllocator with dual mapping, one RW view to
// write, one RX view to run; one such code heap per process), released
// with the module. A process-wide
// registry maps machine pcs back to functions, for faults in compiled code.
#pragma once
#include <asmjit/core.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "jit/x64/masm.hpp"
#include "runtime/vm/tiers.hpp"
#include "runtime/wasm/module.hpp"

namespace wisp::jit {

struct CompiledFunc {
  void* code = nullptr;  // RX
  size_t size = 0;
  std::vector<FaultSite> faults;  // by native_offset, ascending
  // On-stack-replacement entries: where each loop's body starts in the
  // wasm code, and the entry's offset in `code`; by loop_pc, ascending.
  struct Osr {
    const uint8_t* loop_pc;
    uint32_t native_offset;
  };
  std::vector<Osr> osr;
  uint32_t internal_offset = 0;  // the internal entry (jit/x64/masm.hpp)
  CompiledEntry entry = nullptr;  // the external one, shared by all (Masm::entry_thunk)
};

class CodeCache {
 public:
  CodeCache();
  ~CodeCache();
  // The module's cache, made on first use (Module::tier_cache).
  static CodeCache& of(const Module& m);
  // Function index func of m compiled, the first time it is asked for;
  // null when the compiler cannot take it.
  const CompiledFunc* get(const Module& m, uint32_t func, bool fuel);

 private:
  std::mutex mu_;
  // By fuel variant (0 without, 1 counting fuel), then function index.
  std::vector<std::unique_ptr<CompiledFunc>> funcs_[2];
  std::vector<uint8_t> refused_[2];
};

// The wasm position of a fault at machine pc in compiled code, or null.
const uint8_t* fault_wasm_pc(const void* pc);

}  // namespace wisp::jit
