// The tier seam (ARCHITECTURE.md): how a function runs, what each tier
// keeps per function, and the entry points the VM calls. Nothing of a
// tier's own headers is included below this line: the VM sees a tier only
// through what is declared here, and a new tier (the baseline JIT) adds its
// FuncKind, its per-function data and its entry beside the interpreter's.
#pragma once
#include <cstdint>

#include "runtime/vm/exec.hpp"
#include "runtime/wasm/side_table.hpp"

namespace wisp {

struct Module;

struct FuncInst;
struct Instance;

// How a function runs. Every call that leaves a tier goes through
// rt::invoke (helpers.hpp), which dispatches on it.
enum class FuncKind : uint8_t {
  Interpreted,  // wasm, run by the in-place interpreter from its bytecode
  Host,         // a HostFn
  Compiled,     // wasm, run as machine code from the baseline JIT (jit/)
  Uncompiled,   // wasm under --tier jit, not called yet: the first call
                // compiles it (Compiled), or leaves it Interpreted when the
                // JIT cannot take it
};

// Which tier runs wasm functions (StoreConfig::tier, `--tier`).
enum class Tier : uint8_t {
  Interp,  // the in-place interpreter only
  Jit,     // the baseline JIT, each function compiled on its first call;
           // what it cannot compile yet stays interpreted
  Auto,    // the interpreter first; what it spends its time in is compiled,
           // and a running function moves into compiled code at a loop
           // header (on-stack replacement). See jit/README.md.
};

// Auto: every kTierSample interpreted instructions (StoreConfig::
// tier_sample), the function running is compiled (the interpreter's fuel
// counter counts them: ExecContext::tiering). Then, for up to kOsrWindow
// instructions, the interpreter looks for one of its loop headers to enter
// the compiled code at. 5,000 rather than 20,000: a big program with a
// flat profile (Yosys, bench/real/run) ran 3.6 s at 20,000, 2.8 s at 5,000,
// 2.7 s at 2,000; compiling a function costs about as much as interpreting
// a few thousand instructions (jit/README.md, "Tiering").
inline constexpr uint64_t kTierSample = 5000;
inline constexpr uint32_t kOsrWindow = 4096;

// The interpreter's per-function data, written by interp_prepare and read
// by the interpreter alone. It lives in the FuncInst so that a call finds
// it with the callee's other fields, in the same cache line.
struct InterpCode {
  const SideEntry* side_table = nullptr;  // branch targets of this body
  bool wide = false;                      // touches v128: the handler set that copies slots whole
};

// The baseline JIT's per-function data: the machine code's entry, a
// function of the C calling convention, called with the function's frame
// (its arguments in place), the context and the function itself. It
// returns TrapKind::None, or the trap that ended it with the trapping
// frame left on the frame stack for the backtrace.
using CompiledEntry = TrapKind (*)(Slot* fp, ExecContext* ctx, FuncInst* self);
struct JitCode {
  CompiledEntry entry = nullptr;
  // Compiled callers in the same instance enter here instead (jit/x64/
  // masm.cpp: pinned registers as they are; not a C function).
  const void* internal = nullptr;
  const void* code = nullptr;  // the JIT's record of it (loop entries for OSR)
  bool refused = false;        // the JIT cannot compile it: do not ask again
};

// Enters compiled code. Not through a plain call of `entry` in sanitizer
// builds: UBSan's -fsanitize=function reads a signature word just before
// the callee, which machine code from the JIT does not have (and which may
// not be mapped).
#if defined(__clang__)
__attribute__((no_sanitize("function")))
#endif
inline TrapKind run_compiled(CompiledEntry entry, Slot* fp, ExecContext* ctx, FuncInst* self) {
  return entry(fp, ctx, self);
}

// Fills the interpreter's data of m's n defined functions, funcs[0..n),
// from the validated module (once per module: the instances' template).
void interp_prepare(const Module& m, FuncInst* funcs, uint32_t n);

// Runs wasm function fn with its arguments at ctx.stack_top[0..nparams)
// and leaves the results at stack_top[0..nresults). Must run inside
// run_guarded. Called only by rt::invoke.
TrapKind interp_call(ExecContext& ctx, FuncInst* fn);

// The interpreter's handler of v128 instruction 0xFD `code` (slot.hpp's
// SimdHandler: operands in the slots below sp, immediates at pc), or null.
// The baseline JIT calls it for the few v128 instructions it has no inline
// code for (jit/README.md, "SIMD"), so both tiers compute them alike.
SimdHandler interp_simd_handler(uint8_t code);

// Compiles fn (an Uncompiled or Interpreted function) with the baseline
// JIT, or finds it compiled already for its module, and makes it Compiled.
// False, and fn left Interpreted, when the JIT cannot take it yet. With
// fuel, the code counts it (the variant is the store's mode: Store sends
// compiled functions back to Uncompiled when the mode changes).
bool jit_compile(FuncInst* fn, bool fuel);

// On-stack replacement: the entry of compiled fn at the loop whose body
// starts at wasm position pc, or null. Called with fn's frame on top, its
// operands in their slots (the interpreter's and the JIT's frames are the
// same), the entry continues the running call in compiled code and
// returns as fn's entry would, popping the frame.
CompiledEntry jit_osr_entry(const FuncInst* fn, const uint8_t* pc);

// The wasm bytecode position of a faulting memory access in compiled code,
// from the machine pc the signal handler saw; null if pc is not in
// compiled code.
const uint8_t* jit_wasm_pc(const void* machine_pc);

}  // namespace wisp
