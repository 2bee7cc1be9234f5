// Heap accounting for wisp_coldstart (see count_alloc.cpp).
#pragma once
#include <cstdint>

namespace wisp::bench::alloc {
extern bool counting;        // count while true
extern int64_t live_bytes;   // allocated minus freed while counting, usable sizes
extern uint64_t allocations; // operator new calls while counting
}  // namespace wisp::bench::alloc
