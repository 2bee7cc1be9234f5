// Traps: a kind plus the spec's message text.
#pragma once
#include <cstdint>

namespace wisp {

enum class TrapKind : uint8_t {
  None = 0,
  Unreachable,
  MemoryOutOfBounds,
  TableOutOfBounds,
  IndirectCallTypeMismatch,
  UndefinedElement,
  UninitializedElement,
  IntegerDivideByZero,
  IntegerOverflow,
  InvalidConversion,
  StackExhausted,
  OutOfFuel,
  HostError,  // a host function failed; details travel separately
  Exit,       // WASI proc_exit: not an error, carries an exit code
  Interrupted,  // Store::interrupt (a deadline: wisp run and serve's --timeout)
};

inline const char* trap_message(TrapKind k) {
  switch (k) {
    case TrapKind::None: return "no trap";
    case TrapKind::Unreachable: return "unreachable";
    case TrapKind::MemoryOutOfBounds: return "out of bounds memory access";
    case TrapKind::TableOutOfBounds: return "out of bounds table access";
    case TrapKind::IndirectCallTypeMismatch: return "indirect call type mismatch";
    case TrapKind::UndefinedElement: return "undefined element";
    case TrapKind::UninitializedElement: return "uninitialized element";
    case TrapKind::IntegerDivideByZero: return "integer divide by zero";
    case TrapKind::IntegerOverflow: return "integer overflow";
    case TrapKind::InvalidConversion: return "invalid conversion to integer";
    case TrapKind::StackExhausted: return "call stack exhausted";
    case TrapKind::OutOfFuel: return "all fuel consumed";
    case TrapKind::HostError: return "host function error";
    case TrapKind::Exit: return "exit";
    case TrapKind::Interrupted: return "interrupted";
  }
  return "unknown trap";
}

}  // namespace wisp
