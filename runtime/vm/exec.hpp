// Execution state shared by the interpreter (and later the JIT): the value
// stack, the call-frame stack and trap details. One per Store.
//
// Frame layout on the value stack (slots grow upwards):
//   fp[0 .. nparams)              arguments, placed there by the caller
//   fp[nparams .. nparams+nlocals) declared locals, zeroed on entry
//   then the operand stack, at most max_height slots
// A call leaves the arguments where the caller pushed them: they become the
// callee's first locals without a copy. A return copies the results to
// fp[0..nresults) of the callee, which is where the caller's operand stack
// expects them.
#pragma once
#include <cstdint>
#include <string>

#include "runtime/vm/slot.hpp"
#include "runtime/wasm/side_table.hpp"
#include "runtime/vm/trap.hpp"

namespace wisp {

struct FuncInst;

// frames[k] describes the k-th active wasm function: the function, and the
// pc/stp/fp it will resume at once its callee returns. pc is the wasm
// bytecode position in every tier (compiled code stores the call's), so a
// backtrace reads the same from either; stp is the interpreter's side-table
// position, unused by compiled frames.
struct Frame {
  const uint8_t* pc;
  const SideEntry* stp;
  Slot* fp;
  FuncInst* fn;
};

struct Instance;

struct ExecContext {
  // Interpreter registers that do not fit in argument registers: kept here
  // and reloaded by the handlers that need them (calls, globals, tables).
  Instance* inst = nullptr;            // instance of the running function
  const uint8_t* code_end = nullptr;   // its final `end` byte
  Frame* entry_frame = nullptr;        // frame of the innermost host->wasm entry
  const uint8_t* fault_pc = nullptr;   // pc of the last memory access (for traps)
  FuncInst* pending_callee = nullptr;  // host callee, from a call handler to h_CallHost

  Slot* stack_base = nullptr;
  Slot* stack_limit = nullptr;
  Slot* stack_top = nullptr;   // first free slot between calls (for re-entry)
  Frame* frames_base = nullptr;
  Frame* frames_limit = nullptr;
  Frame* frame_top = nullptr;  // innermost active frame, frames_base-1 if none
  uint64_t fuel = 0;
  bool fuel_enabled = false;
  // fuel_enabled says the counter runs (the interpreter's counting
  // handlers, compiled code's fuel variant); it counts the embedder's fuel
  // (user_fuel), Tier::Auto's instructions to the next tier-up sample
  // (tiering, tiers.hpp), or both: then fuel holds at most a sample's
  // worth and the rest of the embedder's fuel waits in fuel_reserve.
  bool user_fuel = false;
  bool tiering = false;
  uint64_t fuel_reserve = 0;
  uint64_t tier_sample = 0;  // StoreConfig::tier_sample
  uint32_t osr_window = 0;   // instructions left to find a loop header in
  // What tiering did, for tests and `wisp run --stats`.
  uint64_t tier_ups = 0, osr_entries = 0;
  // Fuel that compiled code must count: the embedder's, not tiering's.
  bool counts_fuel() const { return user_fuel; }
  uint64_t fuel_total() const { return fuel + fuel_reserve; }
  // Refills the counter to run `want` more instructions before it empties
  // again, from the embedder's fuel if there is any. False: it is all gone.
  bool refill_fuel(uint64_t want) {
    if (!user_fuel) {
      fuel = want;
      return true;
    }
    uint64_t total = fuel_total();
    if (total == 0) return false;
    fuel = want < total ? want : total;
    fuel_reserve = total - fuel;
    return true;
  }
  // Takes n at once (a bulk operation, or compiled code's straight-line
  // run) when the counter alone holds less. False: not enough fuel, and
  // the tank is left empty. Without the embedder's fuel, tiering's count
  // just runs out.
  bool take_fuel(uint64_t n) {
    if (!user_fuel) {
      fuel = fuel > n ? fuel - n : 0;
      return true;
    }
    uint64_t total = fuel_total();
    if (n > total) {
      fuel = fuel_reserve = 0;
      return false;
    }
    total -= n;
    fuel = tiering && tier_sample < total ? tier_sample : total;
    fuel_reserve = total - fuel;
    return true;
  }
  // Compiled code checks its native stack against this on entry (the
  // interpreter needs none: its wasm calls do not recurse natively).
  uintptr_t native_stack_limit = 0;

  // Set when a call traps.
  TrapKind trap = TrapKind::None;
  std::string trap_message;  // HostError details
  int64_t trap_index = -1;   // table element index of an element trap
  int exit_code = 0;         // TrapKind::Exit
};

}  // namespace wisp
