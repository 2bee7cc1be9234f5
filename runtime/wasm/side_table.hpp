// The in-place interpreter's side table (Titzer, OOPSLA 2022, section 3).
//
// The interpreter runs the original bytecode. A branch needs what the
// bytecode does not say directly: where the target is, where the side table
// continues there, and how to reshape the value stack. The validator emits
// one SideEntry per control transfer, in code order:
//   br, br_if          one entry
//   br_table n         n+1 entries (the targets, then the default)
//   if                 one entry: the jump taken when the condition is 0
//                      (to just past `else`, or past `end` if there is none)
//   else               one entry: the jump from the end of the then-arm
//                      to just past `end`
// A fall-through instruction (br_if not taken, if taken) advances the side
// table pointer by its entry count, so stp always indexes the next entry.
#pragma once
#include <cstdint>

namespace wisp {

struct SideEntry {
  int32_t pc_delta;   // target pc minus the pc of the branch's opcode byte
  int32_t stp_delta;  // target side-table index minus this entry's index
  uint32_t keep;      // values on top of the stack that the branch carries
  uint32_t drop;      // values below those to discard
};
static_assert(sizeof(SideEntry) == 16);

}  // namespace wisp
