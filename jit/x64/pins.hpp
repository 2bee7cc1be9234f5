// The x86-64 backend's pinned registers and operand shorthands, shared by
// its source files (masm.cpp, masm_simd.cpp). Register use: masm.hpp.
#pragma once
#include <asmjit/x86.h>

#include "jit/value_stack.hpp"
#include "runtime/vm/slot.hpp"

namespace wisp::jit::x64 {

using namespace asmjit::x86;

inline const Gp kFp = rbx, kCtx = r12, kMem = r13, kFrame = r14, kInst = r15;
inline constexpr int32_t kSlot = int32_t(sizeof(Slot));

inline Gp g32(Reg r) { return gpd(r.code); }
inline Gp g64(Reg r) { return gpq(r.code); }
inline Gp g(Reg r, VT t) { return t == VT::I32 ? g32(r) : g64(r); }
inline Xmm x(Reg r) { return xmm(r.code); }
inline Mem slot(uint32_t i) { return qword_ptr(kFp, int32_t(i) * kSlot); }

}  // namespace wisp::jit::x64
