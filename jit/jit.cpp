// The baseline JIT's side of the tier seam (vm/tiers.hpp).
#include <new>

#include "jit/code_cache.hpp"
#include "runtime/vm/instances.hpp"

namespace wisp {

bool jit_compile(FuncInst* f, bool fuel) {
  Instance* inst = f->instance;
  // Compiled code reads memory 0 without bounds checks: only a guarded
  // memory may be used that way (vm/MEMORY.md).
  bool ok = inst && !(f->interp.wide) &&
            (inst->memories.empty() || !inst->memories[0]->mem.needs_bounds_checks());
  if (ok) {
    try {
      CompiledEntry e = jit::CodeCache::of(*inst->module).entry(*inst->module, f->index, fuel);
      if (e) {
        f->jit.entry = e;
        f->kind = FuncKind::Compiled;
        return true;
      }
    } catch (const std::bad_alloc&) {
      // out of memory while compiling: it stays interpreted
    }
  }
  f->kind = FuncKind::Interpreted;
  return false;
}

const uint8_t* jit_wasm_pc(const void* machine_pc) {
  return machine_pc ? jit::fault_wasm_pc(machine_pc) : nullptr;
}

}  // namespace wisp
