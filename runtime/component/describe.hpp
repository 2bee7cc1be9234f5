// A component's imports and exports as text, in WIT's spelling where the
// types allow it (`wisp inspect`):
//
//   import wasi:cli/stdout@0.2.12: instance {
//     get-stdout: func() -> own<output-stream>
//   }
//   export wasi:cli/run@0.2.12: instance {
//     run: func() -> result
//   }
#pragma once
#include <string>

#include "runtime/component/component.hpp"

namespace wisp::component {

std::string describe(const Component& c);

}  // namespace wisp::component
