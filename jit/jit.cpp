// The baseline JIT's side of the tier seam (vm/tiers.hpp).
#include <algorithm>
#include <new>

#include "jit/code_cache.hpp"
#include "runtime/vm/instances.hpp"

namespace wisp {

bool jit_compile(FuncInst* f, bool fuel) {
  Instance* inst = f->instance;
  // Compiled code reads memory 0 without bounds checks: only a guarded
  // memory may be used that way (vm/MEMORY.md).
  bool ok = inst &&
            (inst->memories.empty() || !inst->memories[0]->mem.needs_bounds_checks());
  if (ok) {
    try {
      const jit::CompiledFunc* c = jit::CodeCache::of(*inst->module).get(*inst->module, f->index, fuel);
      if (c) {
        f->jit.entry = c->entry;
        f->jit.code = c;
        f->jit.internal = static_cast<const uint8_t*>(c->code) + c->internal_offset;
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

CompiledEntry jit_osr_entry(const FuncInst* f, const uint8_t* pc) {
  const auto* c = static_cast<const jit::CompiledFunc*>(f->jit.code);
  if (!c) return nullptr;
  auto it = std::lower_bound(c->osr.begin(), c->osr.end(), pc,
                             [](const jit::CompiledFunc::Osr& o, const uint8_t* p) { return o.loop_pc < p; });
  if (it == c->osr.end() || it->loop_pc != pc) return nullptr;
  return reinterpret_cast<CompiledEntry>(static_cast<uint8_t*>(c->code) + it->native_offset);
}

const uint8_t* jit_wasm_pc(const void* machine_pc) {
  return machine_pc ? jit::fault_wasm_pc(machine_pc) : nullptr;
}

}  // namespace wisp
