// What the rest of the runtime may ask about the SIMD handlers beyond
// kSimdHandlers (slot.hpp). See SIMD.md.
#pragma once

namespace wisp {

// "sse4.1", "portable" (WISP_SIMD_PORTABLE or a non-x86 target) or "none"
// (WISP_SIMD=0: every kSimdHandlers entry is null).
extern const char* const kSimdBackend;

// False when the handlers were compiled for SSE4.1 and this CPU lacks it;
// a host should refuse to run SIMD code then rather than die of SIGILL
// (which the trap handler would not recognise).
bool simd_backend_supported();

}  // namespace wisp
