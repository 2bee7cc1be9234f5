// The interpreter's side of Tier::Auto (jit/README.md, "Tiering"): when
// the fuel counter runs out, either the embedder's fuel is gone (a trap) or
// it is time for a tier-up sample. The function running then is where the
// interpreter spends its time, so it is compiled; if it is compiled, the
// interpreter watches, for a while, for one of its loop headers and moves
// the running call into compiled code there (on-stack replacement). The
// frames are the same in both tiers (vm/exec.hpp), so that is a jump, not a
// translation.
#include "runtime/interp/handler_abi.hpp"
#include "runtime/vm/instances.hpp"
#include "runtime/vm/tiers.hpp"

namespace wisp {

Resume interp_fuel_empty(ExecContext* t, const uint8_t* pc, Slot* sp, Slot* fp) {
  // The embedder's fuel, if any, comes first: all of it gone is a trap.
  if (!t->tiering || !t->refill_fuel(1)) {
    interp_trap_exit(t, pc, TrapKind::OutOfFuel);
    return {nullptr, sp};
  }
  Frame* frame = t->frame_top;
  FuncInst* f = frame->fn;
  if (t->osr_window == 0) {  // a sample
    if (f->kind == FuncKind::Interpreted && !f->jit.refused) {
      if (jit_compile(f, t->counts_fuel())) ++t->tier_ups;
      else f->jit.refused = true;
    }
    if (f->kind != FuncKind::Compiled) {
      t->refill_fuel(t->tier_sample);
      return {pc, sp};
    }
    t->osr_window = kOsrWindow;
  }
  // Looking for a loop header of the running function, one instruction at a
  // time (the counter is set to run out again at the next one).
  if (f->kind == FuncKind::Compiled) {
    if (CompiledEntry entry = jit_osr_entry(f, pc)) {
      t->osr_window = 0;
      t->refill_fuel(t->tier_sample);
      ++t->osr_entries;
      TrapKind k = run_compiled(entry, fp, t, f);
      if (k != TrapKind::None) {
        t->trap = k;  // the frames are as the trap left them
        return {nullptr, sp};
      }
      // The compiled code returned from the call (results at fp[0..n)) and
      // popped the frame; the interpreter's own return, at the function's
      // final `end`, pops it.
      t->frame_top = frame;
      // The dispatch of that `end` charges one instruction, which compiled
      // code counted already.
      ++t->fuel;
      return {f->code_end, fp + f->nresults};
    }
  }
  t->refill_fuel(--t->osr_window == 0 ? t->tier_sample : 1);
  return {pc, sp};
}

}  // namespace wisp
