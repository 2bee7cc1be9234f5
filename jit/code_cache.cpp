// Compiled code, per module, in W^X memory (code_cache.hpp).
#include "jit/code_cache.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <shared_mutex>
#include <string>

#include "jit/compiler.hpp"

namespace wisp::jit {

namespace {

// Every compiled function's machine code, by start address: what a fault's
// pc is looked up in (off the hot path: only when a trap is reported).
struct Registry {
  std::shared_mutex mu;
  std::map<uintptr_t, const CompiledFunc*> by_start;
};
// Never destroyed: a module may outlive the statics (a static holding one
// is destroyed after these were made, so before them), and its cache
// unregisters its code then.
Registry& registry() {
  static Registry* r = new Registry;
  return *r;
}

std::mutex& cache_creation() {
  static std::mutex* mu = new std::mutex;
  return *mu;
}

asmjit::JitAllocator::CreateParams dual_mapping() {
  asmjit::JitAllocator::CreateParams p;
  p.options = asmjit::JitAllocatorOptions::kUseDualMapping;
  return p;
}

// The process's code heap: one dual-mapped allocator (thread-safe) for
// every module's code, each module releasing its blocks with it. One per
// module cost a memfd and two mappings per module, and as much again to
// undo: half the compile time of the spec suite's 1,500 small modules.
// Never destroyed, as the registry.
struct CodeHeap {
  asmjit::JitAllocator::CreateParams params = dual_mapping();
  asmjit::JitAllocator alloc{&params};
  bool dual = false;  // dual mapping works here; without it nothing is compiled
  CompiledEntry entry = nullptr;  // every function's external entry (Masm::entry_thunk)
  CodeHeap() {
    void* rx = nullptr;
    void* rw = nullptr;
    if (alloc.alloc(&rx, &rw, 64) != asmjit::kErrorOk) return;
    dual = rx != rw;
    alloc.release(rx);
    if (!dual) return;
    asmjit::CodeHolder code;
    code.init(asmjit::Environment::host());
    Masm(code).entry_thunk();
    if (code.flatten() != asmjit::kErrorOk || alloc.alloc(&rx, &rw, code.codeSize()) != asmjit::kErrorOk) {
      dual = false;
      return;
    }
    code.relocateToBase(uint64_t(uintptr_t(rx)));
    code.copyFlattenedData(rw, code.codeSize(), asmjit::CopySectionFlags::kPadSectionBuffer);
    entry = reinterpret_cast<CompiledEntry>(rx);
  }
};
CodeHeap& code_heap() {
  static CodeHeap* h = new CodeHeap;
  return *h;
}

}  // namespace

CodeCache::CodeCache() = default;

CodeCache::~CodeCache() {
  Registry& reg = registry();
  std::unique_lock lock(reg.mu);
  for (auto& variant : funcs_)
    for (auto& f : variant) {
      if (!f) continue;
      reg.by_start.erase(uintptr_t(f->code));
      code_heap().alloc.release(f->code);
    }
}

CodeCache& CodeCache::of(const Module& m) {
  std::lock_guard lock(cache_creation());
  if (!m.tier_cache) m.tier_cache = std::make_shared<CodeCache>();
  return *static_cast<CodeCache*>(m.tier_cache.get());
}

const CompiledFunc* CodeCache::get(const Module& m, uint32_t func, bool fuel) {
  std::lock_guard lock(mu_);
  auto& funcs = funcs_[fuel];
  auto& refused = refused_[fuel];
  if (funcs.size() < m.funcs.size()) {
    funcs.resize(m.funcs.size());
    refused.resize(m.funcs.size());
  }
  if (funcs[func]) return funcs[func].get();
  CodeHeap& heap = code_heap();
  if (refused[func] || !heap.dual) return nullptr;

  asmjit::CodeHolder code;
  code.init(asmjit::Environment::host());
  Compiler c(m, func, code, fuel);
  if (!c.run()) {
    refused[func] = 1;
    if (getenv("WISP_JIT_LOG")) fprintf(stderr, "jit: function %u not compiled: %s\n", func, c.why());
    return nullptr;
  }
  if (code.flatten() != asmjit::kErrorOk || code.resolveUnresolvedLinks() != asmjit::kErrorOk) {
    refused[func] = 1;
    return nullptr;
  }
  const size_t size = code.codeSize();
  void* rx = nullptr;
  void* rw = nullptr;
  if (heap.alloc.alloc(&rx, &rw, size) != asmjit::kErrorOk) return nullptr;  // try again later
  code.relocateToBase(uint64_t(uintptr_t(rx)));
  code.copyFlattenedData(rw, size, asmjit::CopySectionFlags::kPadSectionBuffer);
  // WISP_JIT_DUMP=DIR: each function's machine code as DIR/f<index>.bin
  // (objdump -D -b binary -mi386:x86-64 reads it).
  if (const char* dir = getenv("WISP_JIT_DUMP")) {
    const std::string path = std::string(dir) + "/f" + std::to_string(func) + ".bin";
    if (FILE* out = fopen(path.c_str(), "wb")) {
      fwrite(rw, 1, size, out);
      fclose(out);
    }
  }
  auto f = std::make_unique<CompiledFunc>();
  f->code = rx;
  f->size = size;
  f->entry = heap.entry;
  f->faults = c.masm().fault_sites();
  f->internal_offset = c.masm().internal_offset(code);
  for (const Masm::OsrSite& s : c.masm().osr_sites())
    f->osr.push_back({s.loop_pc, uint32_t(code.labelOffsetFromBase(s.stub))});
  std::sort(f->osr.begin(), f->osr.end(),
            [](const CompiledFunc::Osr& a, const CompiledFunc::Osr& b) { return a.loop_pc < b.loop_pc; });
  {
    Registry& reg = registry();
    std::unique_lock rlock(reg.mu);
    reg.by_start[uintptr_t(rx)] = f.get();
  }
  funcs[func] = std::move(f);
  return funcs[func].get();
}

const uint8_t* fault_wasm_pc(const void* pc) {
  const uintptr_t p = uintptr_t(pc);
  Registry& reg = registry();
  std::shared_lock lock(reg.mu);
  auto it = reg.by_start.upper_bound(p);
  if (it == reg.by_start.begin()) return nullptr;
  --it;
  const CompiledFunc* f = it->second;
  if (p >= it->first + f->size) return nullptr;
  const uint32_t off = uint32_t(p - it->first);
  auto site = std::lower_bound(f->faults.begin(), f->faults.end(), off,
                               [](const FaultSite& s, uint32_t o) { return s.native_offset < o; });
  if (site == f->faults.end() || site->native_offset != off) return nullptr;
  return site->wasm_pc;
}

}  // namespace wisp::jit
