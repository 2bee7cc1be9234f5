// The tier seam's JIT entry points where there is no JIT backend yet
// (every architecture but x86-64): every function stays interpreted.
#include "runtime/vm/instances.hpp"

namespace wisp {

bool jit_compile(FuncInst* f, bool) {
  f->kind = FuncKind::Interpreted;
  return false;
}

CompiledEntry jit_osr_entry(const FuncInst*, const uint8_t*) { return nullptr; }

const uint8_t* jit_wasm_pc(const void*) { return nullptr; }

}  // namespace wisp
