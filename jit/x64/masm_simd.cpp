// x86-64 code for the v128 instructions (masm.hpp, "v128"): SSE4.1, one
// instruction where the ISA has the wasm operation, short sequences where
// it has its parts. Every instruction is here; only the i64x2 signed
// comparisons on a CPU without SSE4.2 go to the interpreter's handlers
// (jit/README.md, "SIMD").
#include <cstring>

#include "jit/x64/masm.hpp"
#include "jit/x64/pins.hpp"

namespace wisp::jit {

using namespace asmjit;
using namespace asmjit::x86;
using namespace x64;

namespace {

// dst = dst op src in one instruction.
struct OneInst {
  Op op;
  InstId id;
};
constexpr OneInst kOneInst[] = {
    {Op::I8x16Add, Inst::kIdPaddb},        {Op::I8x16AddSatS, Inst::kIdPaddsb},
    {Op::I8x16AddSatU, Inst::kIdPaddusb},  {Op::I8x16Sub, Inst::kIdPsubb},
    {Op::I8x16SubSatS, Inst::kIdPsubsb},   {Op::I8x16SubSatU, Inst::kIdPsubusb},
    {Op::I8x16MinS, Inst::kIdPminsb},      {Op::I8x16MinU, Inst::kIdPminub},
    {Op::I8x16MaxS, Inst::kIdPmaxsb},      {Op::I8x16MaxU, Inst::kIdPmaxub},
    {Op::I8x16AvgrU, Inst::kIdPavgb},      {Op::I8x16Eq, Inst::kIdPcmpeqb},
    {Op::I8x16GtS, Inst::kIdPcmpgtb},      {Op::I8x16NarrowI16x8S, Inst::kIdPacksswb},
    {Op::I8x16NarrowI16x8U, Inst::kIdPackuswb},
    {Op::I16x8Add, Inst::kIdPaddw},        {Op::I16x8AddSatS, Inst::kIdPaddsw},
    {Op::I16x8AddSatU, Inst::kIdPaddusw},  {Op::I16x8Sub, Inst::kIdPsubw},
    {Op::I16x8SubSatS, Inst::kIdPsubsw},   {Op::I16x8SubSatU, Inst::kIdPsubusw},
    {Op::I16x8Mul, Inst::kIdPmullw},       {Op::I16x8MinS, Inst::kIdPminsw},
    {Op::I16x8MinU, Inst::kIdPminuw},      {Op::I16x8MaxS, Inst::kIdPmaxsw},
    {Op::I16x8MaxU, Inst::kIdPmaxuw},      {Op::I16x8AvgrU, Inst::kIdPavgw},
    {Op::I16x8Eq, Inst::kIdPcmpeqw},       {Op::I16x8GtS, Inst::kIdPcmpgtw},
    {Op::I16x8NarrowI32x4S, Inst::kIdPackssdw}, {Op::I16x8NarrowI32x4U, Inst::kIdPackusdw},
    {Op::I32x4Add, Inst::kIdPaddd},        {Op::I32x4Sub, Inst::kIdPsubd},
    {Op::I32x4Mul, Inst::kIdPmulld},       {Op::I32x4MinS, Inst::kIdPminsd},
    {Op::I32x4MinU, Inst::kIdPminud},      {Op::I32x4MaxS, Inst::kIdPmaxsd},
    {Op::I32x4MaxU, Inst::kIdPmaxud},      {Op::I32x4Eq, Inst::kIdPcmpeqd},
    {Op::I32x4GtS, Inst::kIdPcmpgtd},      {Op::I32x4DotI16x8S, Inst::kIdPmaddwd},
    {Op::I64x2Add, Inst::kIdPaddq},        {Op::I64x2Sub, Inst::kIdPsubq},
    {Op::I64x2Eq, Inst::kIdPcmpeqq},
    {Op::V128And, Inst::kIdPand},          {Op::V128Or, Inst::kIdPor},
    {Op::V128Xor, Inst::kIdPxor},
    {Op::F32x4Add, Inst::kIdAddps},        {Op::F32x4Sub, Inst::kIdSubps},
    {Op::F32x4Mul, Inst::kIdMulps},        {Op::F32x4Div, Inst::kIdDivps},
    {Op::F64x2Add, Inst::kIdAddpd},        {Op::F64x2Sub, Inst::kIdSubpd},
    {Op::F64x2Mul, Inst::kIdMulpd},        {Op::F64x2Div, Inst::kIdDivpd},
};

// The integer comparisons SSE lacks are built from these, per lane width.
struct IntLanes {
  InstId eq, gt, mins, maxs, minu, maxu;
};
constexpr IntLanes kLanes8 = {Inst::kIdPcmpeqb, Inst::kIdPcmpgtb, Inst::kIdPminsb,
                              Inst::kIdPmaxsb,  Inst::kIdPminub,  Inst::kIdPmaxub};
constexpr IntLanes kLanes16 = {Inst::kIdPcmpeqw, Inst::kIdPcmpgtw, Inst::kIdPminsw,
                               Inst::kIdPmaxsw,  Inst::kIdPminuw,  Inst::kIdPmaxuw};
constexpr IntLanes kLanes32 = {Inst::kIdPcmpeqd, Inst::kIdPcmpgtd, Inst::kIdPminsd,
                               Inst::kIdPmaxsd,  Inst::kIdPminud,  Inst::kIdPmaxud};

// A 16-byte constant of one repeated lane.
constexpr uint64_t rep8(uint8_t b) { return 0x0101010101010101ull * b; }
constexpr uint64_t rep16(uint16_t w) { return 0x0001000100010001ull * w; }
constexpr uint64_t rep32(uint32_t d) { return 0x0000000100000001ull * d; }

bool g_no_sse42 = false;  // Masm::pretend_no_sse42

bool has_sse42() {
  static const bool yes = CpuInfo::host().hasFeature(CpuFeatures::X86::kSSE4_2);
  return yes && !g_no_sse42;
}

}  // namespace

void Masm::pretend_no_sse42(bool on) { g_no_sse42 = on; }

void Masm::v128_const(Reg dst, const uint8_t* bytes) {
  uint64_t lo, hi;
  std::memcpy(&lo, bytes, 8);
  std::memcpy(&hi, bytes + 8, 8);
  if (lo == 0 && hi == 0) a_.pxor(x(dst), x(dst));
  else if (lo == ~uint64_t(0) && hi == ~uint64_t(0)) a_.pcmpeqd(x(dst), x(dst));
  else a_.movups(x(dst), ptr(constant(lo, hi)));
}

void Masm::v128_not(Reg r) {
  a_.pcmpeqd(xmm0, xmm0);
  a_.pxor(x(r), xmm0);
}

// The comparisons that are not one instruction. dst = a, src = b.
bool Masm::simd_compare(Op op, Reg dst, Reg src) {
  const Xmm d = x(dst), s = x(src);
  // Floats: cmpps/cmppd predicates 0 eq, 1 lt, 2 le, 4 neq (true for
  // NaNs, as wasm's ne); gt and ge are lt and le with operands swapped.
  auto fcmp = [&](bool f64, uint32_t pred, bool swap) {
    InstId id = f64 ? Inst::kIdCmppd : Inst::kIdCmpps;
    if (swap) {
      a_.emit(id, s, d, Imm(pred));
      a_.movaps(d, s);
    } else {
      a_.emit(id, d, s, Imm(pred));
    }
  };
  switch (op) {
    case Op::F32x4Eq: fcmp(false, 0, false); return true;
    case Op::F32x4Ne: fcmp(false, 4, false); return true;
    case Op::F32x4Lt: fcmp(false, 1, false); return true;
    case Op::F32x4Le: fcmp(false, 2, false); return true;
    case Op::F32x4Gt: fcmp(false, 1, true); return true;
    case Op::F32x4Ge: fcmp(false, 2, true); return true;
    case Op::F64x2Eq: fcmp(true, 0, false); return true;
    case Op::F64x2Ne: fcmp(true, 4, false); return true;
    case Op::F64x2Lt: fcmp(true, 1, false); return true;
    case Op::F64x2Le: fcmp(true, 2, false); return true;
    case Op::F64x2Gt: fcmp(true, 1, true); return true;
    case Op::F64x2Ge: fcmp(true, 2, true); return true;
    default: break;
  }
  // i64x2: eq (SSE4.1) and gt_s (SSE4.2) and their negations.
  switch (op) {
    case Op::I64x2Ne: a_.pcmpeqq(d, s); v128_not(dst); return true;
    case Op::I64x2GtS: case Op::I64x2LtS: case Op::I64x2LeS: case Op::I64x2GeS:
      if (!has_sse42()) return false;
      if (op == Op::I64x2GtS || op == Op::I64x2LeS) {
        a_.pcmpgtq(d, s);
      } else {
        a_.pcmpgtq(s, d);
        a_.movdqa(d, s);
      }
      if (op == Op::I64x2LeS || op == Op::I64x2GeS) v128_not(dst);
      return true;
    default: break;
  }
  // 8-, 16- and 32-bit lanes: lt_s is gt_s swapped; a <= b is
  // min(a, b) == a, a >= b is max(a, b) == a (signed or unsigned), and
  // their negations are gt and lt.
  const IntLanes* l;
  enum { Ne, LtS, LeS, GeS, LtU, GtU, LeU, GeU } kind;
  switch (op) {
    case Op::I8x16Ne: l = &kLanes8; kind = Ne; break;
    case Op::I8x16LtS: l = &kLanes8; kind = LtS; break;
    case Op::I8x16LeS: l = &kLanes8; kind = LeS; break;
    case Op::I8x16GeS: l = &kLanes8; kind = GeS; break;
    case Op::I8x16LtU: l = &kLanes8; kind = LtU; break;
    case Op::I8x16GtU: l = &kLanes8; kind = GtU; break;
    case Op::I8x16LeU: l = &kLanes8; kind = LeU; break;
    case Op::I8x16GeU: l = &kLanes8; kind = GeU; break;
    case Op::I16x8Ne: l = &kLanes16; kind = Ne; break;
    case Op::I16x8LtS: l = &kLanes16; kind = LtS; break;
    case Op::I16x8LeS: l = &kLanes16; kind = LeS; break;
    case Op::I16x8GeS: l = &kLanes16; kind = GeS; break;
    case Op::I16x8LtU: l = &kLanes16; kind = LtU; break;
    case Op::I16x8GtU: l = &kLanes16; kind = GtU; break;
    case Op::I16x8LeU: l = &kLanes16; kind = LeU; break;
    case Op::I16x8GeU: l = &kLanes16; kind = GeU; break;
    case Op::I32x4Ne: l = &kLanes32; kind = Ne; break;
    case Op::I32x4LtS: l = &kLanes32; kind = LtS; break;
    case Op::I32x4LeS: l = &kLanes32; kind = LeS; break;
    case Op::I32x4GeS: l = &kLanes32; kind = GeS; break;
    case Op::I32x4LtU: l = &kLanes32; kind = LtU; break;
    case Op::I32x4GtU: l = &kLanes32; kind = GtU; break;
    case Op::I32x4LeU: l = &kLanes32; kind = LeU; break;
    case Op::I32x4GeU: l = &kLanes32; kind = GeU; break;
    default: return false;
  }
  switch (kind) {
    case Ne:
      a_.emit(l->eq, d, s);
      v128_not(dst);
      return true;
    case LtS:
      a_.emit(l->gt, s, d);
      a_.movdqa(d, s);
      return true;
    default: {
      InstId pick = kind == LeS ? l->mins : kind == GeS ? l->maxs
                  : (kind == LeU || kind == GtU) ? l->minu : l->maxu;
      a_.movdqa(xmm0, d);
      a_.emit(pick, xmm0, s);
      a_.emit(l->eq, d, xmm0);
      if (kind == LtU || kind == GtU) v128_not(dst);
      return true;
    }
  }
}

// Splats, lane accesses, shuffles, reductions. src[0] is the vector (or
// the scalar of a splat).
bool Masm::simd_lanes(const Instr& in, Reg dst, const Reg* src) {
  const Xmm d = x(dst);
  const uint8_t lane = in.lane;
  switch (in.op) {
    case Op::I8x16Splat:
      a_.movd(d, g32(src[0]));
      a_.pxor(xmm0, xmm0);
      a_.pshufb(d, xmm0);
      return true;
    case Op::I16x8Splat:
      a_.movd(d, g32(src[0]));
      a_.pshuflw(d, d, 0);
      a_.pshufd(d, d, 0);
      return true;
    case Op::I32x4Splat:
      a_.movd(d, g32(src[0]));
      a_.pshufd(d, d, 0);
      return true;
    case Op::I64x2Splat:
      a_.movq(d, g64(src[0]));
      a_.punpcklqdq(d, d);
      return true;
    case Op::F32x4Splat: a_.shufps(d, d, 0); return true;
    case Op::F64x2Splat: a_.movddup(d, d); return true;
    case Op::I8x16ExtractLaneS:
      a_.pextrb(eax, x(src[0]), lane);
      a_.movsx(g32(dst), al);
      return true;
    case Op::I8x16ExtractLaneU: a_.pextrb(g32(dst), x(src[0]), lane); return true;
    case Op::I16x8ExtractLaneS:
      a_.pextrw(eax, x(src[0]), lane);
      a_.movsx(g32(dst), ax);
      return true;
    case Op::I16x8ExtractLaneU: a_.pextrw(g32(dst), x(src[0]), lane); return true;
    case Op::I32x4ExtractLane:
      if (lane == 0) a_.movd(g32(dst), x(src[0]));
      else a_.pextrd(g32(dst), x(src[0]), lane);
      return true;
    case Op::I64x2ExtractLane:
      if (lane == 0) a_.movq(g64(dst), x(src[0]));
      else a_.pextrq(g64(dst), x(src[0]), lane);
      return true;
    // A float's register may hold anything above it.
    case Op::F32x4ExtractLane:
      if (lane) a_.pshufd(d, d, lane);
      return true;
    case Op::F64x2ExtractLane:
      if (lane) a_.pshufd(d, d, 0xEE);
      return true;
    case Op::I8x16ReplaceLane: a_.pinsrb(d, g32(src[1]), lane); return true;
    case Op::I16x8ReplaceLane: a_.pinsrw(d, g32(src[1]), lane); return true;
    case Op::I32x4ReplaceLane: a_.pinsrd(d, g32(src[1]), lane); return true;
    case Op::I64x2ReplaceLane: a_.pinsrq(d, g64(src[1]), lane); return true;
    case Op::F32x4ReplaceLane: a_.insertps(d, x(src[1]), uint32_t(lane) << 4); return true;
    case Op::F64x2ReplaceLane:
      if (lane == 0) a_.movsd(d, x(src[1]));
      else a_.unpcklpd(d, x(src[1]));
      return true;
    case Op::I8x16Shuffle: {
      // pshufb each operand with its lanes' indices (0x80 elsewhere: zero)
      // and or the halves.
      uint8_t ma[16], mb[16];
      bool any_a = false, any_b = false;
      for (int i = 0; i < 16; ++i) {
        const uint8_t l = in.vec[i];
        ma[i] = l < 16 ? l : 0x80;
        mb[i] = l >= 16 ? uint8_t(l - 16) : 0x80;
        any_a |= l < 16;
        any_b |= l >= 16;
      }
      uint64_t lo, hi;
      if (!any_a) {
        a_.movdqa(d, x(src[1]));
      } else {
        std::memcpy(&lo, ma, 8), std::memcpy(&hi, ma + 8, 8);
        a_.pshufb(d, ptr(constant(lo, hi)));
      }
      std::memcpy(&lo, mb, 8), std::memcpy(&hi, mb + 8, 8);
      if (!any_b) return true;
      if (!any_a) {
        a_.pshufb(d, ptr(constant(lo, hi)));
      } else {
        a_.pshufb(x(src[1]), ptr(constant(lo, hi)));
        a_.por(d, x(src[1]));
      }
      return true;
    }
    case Op::I8x16Swizzle:
      // Indices of 16 and up become 0x80 and up (pshufb's zero) by an
      // unsigned saturating add that keeps the low four bits of the others.
      a_.paddusb(x(src[1]), ptr(constant(rep8(0x70), rep8(0x70))));
      a_.pshufb(d, x(src[1]));
      return true;
    case Op::V128AnyTrue:
      a_.xor_(eax, eax);
      a_.ptest(x(src[0]), x(src[0]));
      a_.setnz(al);
      a_.mov(g32(dst), eax);
      return true;
    case Op::I8x16AllTrue: case Op::I16x8AllTrue: case Op::I32x4AllTrue: case Op::I64x2AllTrue: {
      InstId eq = in.op == Op::I8x16AllTrue ? Inst::kIdPcmpeqb
                : in.op == Op::I16x8AllTrue ? Inst::kIdPcmpeqw
                : in.op == Op::I32x4AllTrue ? Inst::kIdPcmpeqd : Inst::kIdPcmpeqq;
      a_.xor_(eax, eax);
      a_.pxor(xmm0, xmm0);
      a_.emit(eq, xmm0, x(src[0]));  // a zero lane's mask
      a_.ptest(xmm0, xmm0);
      a_.setz(al);
      a_.mov(g32(dst), eax);
      return true;
    }
    case Op::I8x16Bitmask: a_.pmovmskb(g32(dst), x(src[0])); return true;
    case Op::I16x8Bitmask:
      a_.packsswb(x(src[0]), x(src[0]));  // signs kept
      a_.pmovmskb(g32(dst), x(src[0]));
      a_.movzx(g32(dst), gpb(dst.code));
      return true;
    case Op::I32x4Bitmask: a_.movmskps(g32(dst), x(src[0])); return true;
    case Op::I64x2Bitmask: a_.movmskpd(g32(dst), x(src[0])); return true;
    default: return false;
  }
}

// Conversions, extensions and the other one-operand instructions.
bool Masm::simd_convert(Op op, Reg dst, Reg src, Reg tmp) {
  const Xmm d = x(dst), t = x(tmp);
  (void)src;  // dst is src: one class
  // The high half's extension: the high 8 bytes moved down first.
  auto high = [&](InstId ext) {
    a_.pshufd(xmm0, d, 0xEE);
    a_.emit(ext, d, xmm0);
  };
  constexpr uint64_t kSign32x = rep32(0x80000000u), kSign64x = 0x8000000000000000ull;
  switch (op) {
    case Op::V128Not: v128_not(dst); return true;
    case Op::I8x16Abs: a_.pabsb(d, d); return true;
    case Op::I16x8Abs: a_.pabsw(d, d); return true;
    case Op::I32x4Abs: a_.pabsd(d, d); return true;
    case Op::I64x2Abs:  // (x ^ s) - s, s the sign spread over the lane
      a_.pshufd(xmm0, d, 0xF5);
      a_.psrad(xmm0, 31);
      a_.pxor(d, xmm0);
      a_.psubq(d, xmm0);
      return true;
    case Op::I8x16Neg: case Op::I16x8Neg: case Op::I32x4Neg: case Op::I64x2Neg:
      a_.pxor(xmm0, xmm0);
      a_.emit(op == Op::I8x16Neg ? Inst::kIdPsubb : op == Op::I16x8Neg ? Inst::kIdPsubw
              : op == Op::I32x4Neg ? Inst::kIdPsubd : Inst::kIdPsubq, xmm0, d);
      a_.movdqa(d, xmm0);
      return true;
    case Op::F32x4Abs: a_.andps(d, ptr(constant(~kSign32x, ~kSign32x))); return true;
    case Op::F32x4Neg: a_.xorps(d, ptr(constant(kSign32x, kSign32x))); return true;
    case Op::F64x2Abs: a_.andps(d, ptr(constant(~kSign64x, ~kSign64x))); return true;
    case Op::F64x2Neg: a_.xorps(d, ptr(constant(kSign64x, kSign64x))); return true;
    case Op::F32x4Sqrt: a_.sqrtps(d, d); return true;
    case Op::F64x2Sqrt: a_.sqrtpd(d, d); return true;
    // Rounding modes as in masm.cpp's scalar ones.
    case Op::F32x4Ceil: a_.roundps(d, d, 2); return true;
    case Op::F32x4Floor: a_.roundps(d, d, 1); return true;
    case Op::F32x4Trunc: a_.roundps(d, d, 3); return true;
    case Op::F32x4Nearest: a_.roundps(d, d, 0); return true;
    case Op::F64x2Ceil: a_.roundpd(d, d, 2); return true;
    case Op::F64x2Floor: a_.roundpd(d, d, 1); return true;
    case Op::F64x2Trunc: a_.roundpd(d, d, 3); return true;
    case Op::F64x2Nearest: a_.roundpd(d, d, 0); return true;
    case Op::F32x4ConvertI32x4S: a_.cvtdq2ps(d, d); return true;
    case Op::F64x2ConvertLowI32x4S: a_.cvtdq2pd(d, d); return true;
    case Op::F64x2PromoteLowF32x4: a_.cvtps2pd(d, d); return true;
    case Op::F32x4DemoteF64x2Zero: a_.cvtpd2ps(d, d); return true;
    case Op::I32x4TruncSatF32x4S:
      // NaN lanes zeroed first; cvttps2dq gives 0x80000000 out of range,
      // which is right below; above, a positive input with a negative
      // result, it becomes 0x7fffffff.
      a_.movaps(xmm0, d);
      a_.cmpps(xmm0, xmm0, 0);  // ordered: all ones
      a_.andps(d, xmm0);
      a_.pxor(xmm0, d);  // ~input (0 for NaN lanes)
      a_.cvttps2dq(d, d);
      a_.pand(xmm0, d);
      a_.psrad(xmm0, 31);
      a_.pxor(d, xmm0);
      return true;
    case Op::I32x4TruncSatF32x4U: {
      // lo = cvtt(x) is right below 2^31; hi = cvtt(x - 2^31), clamped at 0,
      // adds the rest above it; at 2^32 and up hi overflows too and is made
      // 0x7fffffff (lo's 0x80000000 + it: all ones). NaNs and negatives
      // are zeroed first.
      constexpr uint64_t k2p31 = rep32(0x4F000000);  // 2^31 as an f32
      a_.xorps(xmm0, xmm0);
      a_.maxps(d, xmm0);  // a NaN gives the second operand: 0
      a_.movaps(xmm0, ptr(constant(k2p31, k2p31)));
      a_.movaps(t, d);
      a_.subps(t, xmm0);
      a_.cmpps(xmm0, t, 2);  // 2^31 <= x - 2^31
      a_.cvttps2dq(t, t);
      a_.pxor(t, xmm0);
      a_.pxor(xmm0, xmm0);
      a_.pmaxsd(t, xmm0);
      a_.cvttps2dq(d, d);
      a_.paddd(d, t);
      return true;
    }
    case Op::F32x4ConvertI32x4U:
      // The low 16 bits convert exactly; the high part, halved to fit the
      // signed conversion, converts exactly too and is doubled; one rounding
      // in the final add.
      a_.pxor(t, t);
      a_.pblendw(t, d, 0x55);
      a_.psubd(d, t);
      a_.cvtdq2ps(t, t);
      a_.psrld(d, 1);
      a_.cvtdq2ps(d, d);
      a_.addps(d, d);
      a_.addps(d, t);
      return true;
    case Op::I32x4TruncSatF64x2SZero: {
      // NaNs zeroed, clamped above; below, cvttpd2dq's 0x80000000 is the
      // saturated value. The two high lanes come out zero.
      constexpr uint64_t kMax = 0x41DFFFFFFFC00000ull;  // 2147483647.0
      a_.movapd(xmm0, d);
      a_.cmppd(xmm0, xmm0, 0);
      a_.andpd(d, xmm0);
      a_.minpd(d, ptr(constant(kMax, kMax)));
      a_.cvttpd2dq(d, d);
      return true;
    }
    case Op::I32x4TruncSatF64x2UZero: {
      // Clamped to [0, 2^32 - 1] (NaN to 0), truncated, and plus 2^52 each
      // lane's low 32 bits are the integer: those two dwords, then zeros.
      constexpr uint64_t kMax = 0x41EFFFFFFFE00000ull, k2p52 = 0x4330000000000000ull;
      a_.xorpd(xmm0, xmm0);
      a_.maxpd(d, xmm0);
      a_.minpd(d, ptr(constant(kMax, kMax)));
      a_.roundpd(d, d, 3);
      a_.addpd(d, ptr(constant(k2p52, k2p52)));
      a_.shufps(d, xmm0, 0x88);
      return true;
    }
    case Op::F64x2ConvertLowI32x4U: {
      // 2^52 + x as a double by putting 0x43300000 above each u32, less 2^52.
      constexpr uint64_t kHigh = rep32(0x43300000), k2p52 = 0x4330000000000000ull;
      a_.unpcklps(d, ptr(constant(kHigh, kHigh)));
      a_.subpd(d, ptr(constant(k2p52, k2p52)));
      return true;
    }
    case Op::I16x8ExtendLowI8x16S: a_.pmovsxbw(d, d); return true;
    case Op::I16x8ExtendLowI8x16U: a_.pmovzxbw(d, d); return true;
    case Op::I32x4ExtendLowI16x8S: a_.pmovsxwd(d, d); return true;
    case Op::I32x4ExtendLowI16x8U: a_.pmovzxwd(d, d); return true;
    case Op::I64x2ExtendLowI32x4S: a_.pmovsxdq(d, d); return true;
    case Op::I64x2ExtendLowI32x4U: a_.pmovzxdq(d, d); return true;
    case Op::I16x8ExtendHighI8x16S: high(Inst::kIdPmovsxbw); return true;
    case Op::I16x8ExtendHighI8x16U: high(Inst::kIdPmovzxbw); return true;
    case Op::I32x4ExtendHighI16x8S: high(Inst::kIdPmovsxwd); return true;
    case Op::I32x4ExtendHighI16x8U: high(Inst::kIdPmovzxwd); return true;
    case Op::I64x2ExtendHighI32x4S: high(Inst::kIdPmovsxdq); return true;
    case Op::I64x2ExtendHighI32x4U: high(Inst::kIdPmovzxdq); return true;
    case Op::I8x16Popcnt: {
      // Each nibble's count from a 16-entry table (pshufb), then added.
      const uint64_t lo = 0x0302020102010100ull, hi = 0x0403030203020201ull;
      const Label nib = constant(rep8(0x0F), rep8(0x0F)), table = constant(lo, hi);
      a_.movdqa(xmm0, d);
      a_.psrlw(xmm0, 4);
      a_.pand(xmm0, ptr(nib));
      a_.pand(d, ptr(nib));
      a_.movdqa(t, ptr(table));
      a_.pshufb(t, d);
      a_.movdqa(d, ptr(table));
      a_.pshufb(d, xmm0);
      a_.paddb(d, t);
      return true;
    }
    case Op::I16x8ExtaddPairwiseI8x16S:  // pmaddubsw: unsigned first, signed second
      a_.movdqa(xmm0, ptr(constant(rep8(1), rep8(1))));
      a_.pmaddubsw(xmm0, d);
      a_.movdqa(d, xmm0);
      return true;
    case Op::I16x8ExtaddPairwiseI8x16U: a_.pmaddubsw(d, ptr(constant(rep8(1), rep8(1)))); return true;
    case Op::I32x4ExtaddPairwiseI16x8S: a_.pmaddwd(d, ptr(constant(rep16(1), rep16(1)))); return true;
    case Op::I32x4ExtaddPairwiseI16x8U:
      // As signed (each lane less 0x8000), then 2 * 0x8000 added back.
      a_.pxor(d, ptr(constant(rep16(0x8000), rep16(0x8000))));
      a_.pmaddwd(d, ptr(constant(rep16(1), rep16(1))));
      a_.paddd(d, ptr(constant(rep32(0x10000), rep32(0x10000))));
      return true;
    default: return false;
  }
}

bool Masm::simd(const Instr& in, Reg dst, const Reg* src, unsigned n, Reg tmp) {
  const Op op = in.op;
  for (const OneInst& o : kOneInst) {
    if (o.op == op) {
      a_.emit(o.id, x(dst), x(src[1]));
      return true;
    }
  }
  const Xmm d = x(dst), t = x(tmp);
  switch (op) {
    case Op::I8x16Shl: case Op::I8x16ShrS: case Op::I8x16ShrU: case Op::I16x8Shl:
    case Op::I16x8ShrS: case Op::I16x8ShrU: case Op::I32x4Shl: case Op::I32x4ShrS:
    case Op::I32x4ShrU: case Op::I64x2Shl: case Op::I64x2ShrS: case Op::I64x2ShrU:
      return simd_shift(op, dst, &src[1], 0, tmp);
    case Op::V128AndNot:  // pandn complements its first operand
      a_.pandn(x(src[1]), d);
      a_.movdqa(d, x(src[1]));
      return true;
    case Op::V128Bitselect:  // (a & c) | (b & ~c)
      a_.pand(d, x(src[2]));
      a_.pandn(x(src[2]), x(src[1]));
      a_.por(d, x(src[2]));
      return true;
    // pmin(a, b) = b < a ? b : a: minps with the operands swapped (it
    // returns its second operand unless the first is less). pmax alike.
    case Op::F32x4Pmin: a_.minps(x(src[1]), d); a_.movaps(d, x(src[1])); return true;
    case Op::F32x4Pmax: a_.maxps(x(src[1]), d); a_.movaps(d, x(src[1])); return true;
    case Op::F64x2Pmin: a_.minpd(x(src[1]), d); a_.movaps(d, x(src[1])); return true;
    case Op::F64x2Pmax: a_.maxpd(x(src[1]), d); a_.movaps(d, x(src[1])); return true;
    case Op::F32x4Min: case Op::F64x2Min: case Op::F32x4Max: case Op::F64x2Max: {
      // minps/maxps return the second operand for NaNs and for zeros of
      // either sign, so both orders are computed and merged: or (min) keeps
      // -0 and NaNs; for max the difference of the two (a sign) is or-ed in
      // and subtracted, so +0 wins. NaN lanes then become the canonical
      // NaN: all ones shifted right clears the payload below the quiet bit.
      const bool f64 = op == Op::F64x2Min || op == Op::F64x2Max;
      const bool mn = op == Op::F32x4Min || op == Op::F64x2Min;
      const InstId m = mn ? (f64 ? Inst::kIdMinpd : Inst::kIdMinps) : (f64 ? Inst::kIdMaxpd : Inst::kIdMaxps);
      const Xmm s = x(src[1]);
      a_.movaps(t, s);
      a_.emit(m, t, d);
      a_.emit(m, d, s);
      if (mn) {
        a_.orps(t, d);
      } else {
        a_.xorps(d, t);
        a_.orps(t, d);
        if (f64) a_.subpd(t, d);
        else a_.subps(t, d);
      }
      a_.emit(f64 ? Inst::kIdCmppd : Inst::kIdCmpps, d, t, Imm(3));  // unordered
      if (mn) a_.orps(t, d);
      if (f64) a_.psrlq(d, 13);
      else a_.psrld(d, 10);
      a_.andnps(d, t);
      return true;
    }
    case Op::I16x8Q15mulrSatS:
      // pmulhrsw rounds as wasm does; only -1 * -1 overflows, to 0x8000,
      // which no other product gives: those lanes flip to 0x7fff.
      a_.pmulhrsw(d, x(src[1]));
      a_.movdqa(xmm0, ptr(constant(rep16(0x8000), rep16(0x8000))));
      a_.pcmpeqw(xmm0, d);
      a_.pxor(d, xmm0);
      return true;
    case Op::I64x2Mul:
      // lo*lo + ((hi(a)*lo(b) + lo(a)*hi(b)) << 32), 32x32->64 products.
      a_.movdqa(t, d);
      a_.psrlq(t, 32);
      a_.pmuludq(t, x(src[1]));
      a_.movdqa(xmm0, x(src[1]));
      a_.psrlq(xmm0, 32);
      a_.pmuludq(xmm0, d);
      a_.paddq(t, xmm0);
      a_.psllq(t, 32);
      a_.pmuludq(d, x(src[1]));
      a_.paddq(d, t);
      return true;
    case Op::I16x8ExtmulLowI8x16S: case Op::I16x8ExtmulHighI8x16S: case Op::I16x8ExtmulLowI8x16U:
    case Op::I16x8ExtmulHighI8x16U: case Op::I32x4ExtmulLowI16x8S: case Op::I32x4ExtmulHighI16x8S:
    case Op::I32x4ExtmulLowI16x8U: case Op::I32x4ExtmulHighI16x8U: {
      // Both operands' halves widened, then multiplied.
      const bool hi = op == Op::I16x8ExtmulHighI8x16S || op == Op::I16x8ExtmulHighI8x16U ||
                      op == Op::I32x4ExtmulHighI16x8S || op == Op::I32x4ExtmulHighI16x8U;
      const bool i16 = op == Op::I16x8ExtmulLowI8x16S || op == Op::I16x8ExtmulHighI8x16S ||
                       op == Op::I16x8ExtmulLowI8x16U || op == Op::I16x8ExtmulHighI8x16U;
      const bool sgn = op == Op::I16x8ExtmulLowI8x16S || op == Op::I16x8ExtmulHighI8x16S ||
                       op == Op::I32x4ExtmulLowI16x8S || op == Op::I32x4ExtmulHighI16x8S;
      const InstId ext = i16 ? (sgn ? Inst::kIdPmovsxbw : Inst::kIdPmovzxbw)
                             : (sgn ? Inst::kIdPmovsxwd : Inst::kIdPmovzxwd);
      for (unsigned i = 0; i < 2; ++i) {
        const Xmm r = x(src[i]);
        if (hi) a_.pshufd(r, r, 0xEE);
        a_.emit(ext, r, r);
      }
      a_.emit(i16 ? Inst::kIdPmullw : Inst::kIdPmulld, d, x(src[1]));
      return true;
    }
    case Op::I64x2ExtmulLowI32x4S: case Op::I64x2ExtmulHighI32x4S:
    case Op::I64x2ExtmulLowI32x4U: case Op::I64x2ExtmulHighI32x4U: {
      // pmuldq/pmuludq multiply dwords 0 and 2: the two lanes go there.
      const bool hi = op == Op::I64x2ExtmulHighI32x4S || op == Op::I64x2ExtmulHighI32x4U;
      const bool sgn = op == Op::I64x2ExtmulLowI32x4S || op == Op::I64x2ExtmulHighI32x4S;
      const uint32_t order = hi ? 0xFA : 0x50;
      a_.pshufd(d, d, order);
      a_.pshufd(x(src[1]), x(src[1]), order);
      if (sgn) a_.pmuldq(d, x(src[1]));
      else a_.pmuludq(d, x(src[1]));
      return true;
    }
    default: break;
  }
  if (n == 2 && simd_compare(op, dst, src[1])) return true;
  if (simd_lanes(in, dst, src)) return true;
  if (n == 1 && simd_convert(op, dst, src[0], tmp)) return true;
  return false;
}

bool Masm::simd_shift(Op op, Reg dst, const Reg* count, uint32_t imm, Reg tmp) {
  const Xmm d = x(dst), t = x(tmp);
  uint32_t bits;
  switch (op) {
    case Op::I8x16Shl: case Op::I8x16ShrS: case Op::I8x16ShrU: bits = 8; break;
    case Op::I16x8Shl: case Op::I16x8ShrS: case Op::I16x8ShrU: bits = 16; break;
    case Op::I32x4Shl: case Op::I32x4ShrS: case Op::I32x4ShrU: bits = 32; break;
    case Op::I64x2Shl: case Op::I64x2ShrS: case Op::I64x2ShrU: bits = 64; break;
    default: return false;
  }
  // The count modulo the lane width, in xmm0 (and ecx). For 8-bit lanes the
  // 16-bit shifts do the work; an arithmetic shift of bytes goes through
  // words holding each byte in their high half (8 more).
  const uint32_t extra = op == Op::I8x16ShrS ? 8 : 0;
  if (!count) {  // a constant count: the immediate forms, where SSE has them
    const uint32_t n = imm & (bits - 1);
    switch (op) {
      case Op::I16x8Shl: a_.psllw(d, n); return true;
      case Op::I16x8ShrS: a_.psraw(d, n); return true;
      case Op::I16x8ShrU: a_.psrlw(d, n); return true;
      case Op::I32x4Shl: a_.pslld(d, n); return true;
      case Op::I32x4ShrS: a_.psrad(d, n); return true;
      case Op::I32x4ShrU: a_.psrld(d, n); return true;
      case Op::I64x2Shl: a_.psllq(d, n); return true;
      case Op::I64x2ShrU: a_.psrlq(d, n); return true;
      default: break;
    }
  }
  if (count) {
    a_.mov(ecx, g32(*count));
    a_.and_(ecx, bits - 1);
    if (extra) a_.add(ecx, extra);
  } else {
    a_.mov(ecx, (imm & (bits - 1)) + extra);
  }
  a_.movd(xmm0, ecx);
  switch (op) {
    case Op::I16x8Shl: a_.psllw(d, xmm0); return true;
    case Op::I16x8ShrS: a_.psraw(d, xmm0); return true;
    case Op::I16x8ShrU: a_.psrlw(d, xmm0); return true;
    case Op::I32x4Shl: a_.pslld(d, xmm0); return true;
    case Op::I32x4ShrS: a_.psrad(d, xmm0); return true;
    case Op::I32x4ShrU: a_.psrld(d, xmm0); return true;
    case Op::I64x2Shl: a_.psllq(d, xmm0); return true;
    case Op::I64x2ShrU: a_.psrlq(d, xmm0); return true;
    case Op::I64x2ShrS:
      // ((x >>u n) ^ m) - m with m = the sign bit >>u n.
      a_.movdqa(t, ptr(constant(0x8000000000000000ull, 0x8000000000000000ull)));
      a_.psrlq(t, xmm0);
      a_.psrlq(d, xmm0);
      a_.pxor(d, t);
      a_.psubq(d, t);
      return true;
    case Op::I8x16Shl:
    case Op::I8x16ShrU: {
      // Words shifted, then each byte masked with 0xff shifted alike (made
      // in tmp's low byte and spread to every byte).
      const bool left = op == Op::I8x16Shl;
      a_.pcmpeqd(t, t);
      a_.psrlw(t, 8);  // 0x00ff words
      if (left) {
        a_.psllw(d, xmm0);
        a_.psllw(t, xmm0);
      } else {
        a_.psrlw(d, xmm0);
        a_.psrlw(t, xmm0);
      }
      a_.pxor(xmm0, xmm0);
      a_.pshufb(t, xmm0);
      a_.pand(d, t);
      return true;
    }
    case Op::I8x16ShrS:
      a_.movdqa(t, d);
      a_.punpckhbw(t, t);
      a_.punpcklbw(d, d);
      a_.psraw(t, xmm0);
      a_.psraw(d, xmm0);
      a_.packsswb(d, t);
      return true;
    default: return false;
  }
}

void Masm::simd_load(const Instr& in, Reg dst, Reg addr) {
  Mem m = mem_operand(addr, in.mem.offset);
  const Xmm d = x(dst);
  note_fault();  // the first instruction below reads memory
  switch (in.op) {
    case Op::V128Load: m.setSize(16); a_.movups(d, m); return;
    case Op::V128Load8x8S: m.setSize(8); a_.pmovsxbw(d, m); return;
    case Op::V128Load8x8U: m.setSize(8); a_.pmovzxbw(d, m); return;
    case Op::V128Load16x4S: m.setSize(8); a_.pmovsxwd(d, m); return;
    case Op::V128Load16x4U: m.setSize(8); a_.pmovzxwd(d, m); return;
    case Op::V128Load32x2S: m.setSize(8); a_.pmovsxdq(d, m); return;
    case Op::V128Load32x2U: m.setSize(8); a_.pmovzxdq(d, m); return;
    case Op::V128Load8Splat:
      m.setSize(1);
      a_.pinsrb(d, m, 0);
      a_.pxor(xmm0, xmm0);
      a_.pshufb(d, xmm0);
      return;
    case Op::V128Load16Splat:
      m.setSize(2);
      a_.pinsrw(d, m, 0);
      a_.pshuflw(d, d, 0);
      a_.pshufd(d, d, 0);
      return;
    case Op::V128Load32Splat:
      m.setSize(4);
      a_.movss(d, m);
      a_.shufps(d, d, 0);
      return;
    case Op::V128Load64Splat: m.setSize(8); a_.movddup(d, m); return;
    case Op::V128Load32Zero: m.setSize(4); a_.movss(d, m); return;
    case Op::V128Load64Zero: m.setSize(8); a_.movsd(d, m); return;
    case Op::V128Load8Lane: m.setSize(1); a_.pinsrb(d, m, in.lane); return;
    case Op::V128Load16Lane: m.setSize(2); a_.pinsrw(d, m, in.lane); return;
    case Op::V128Load32Lane: m.setSize(4); a_.pinsrd(d, m, in.lane); return;
    case Op::V128Load64Lane: m.setSize(8); a_.pinsrq(d, m, in.lane); return;
    default: faults_.pop_back(); return;
  }
}

void Masm::simd_store(const Instr& in, Reg addr, Reg value) {
  Mem m = mem_operand(addr, in.mem.offset);
  const Xmm v = x(value);
  note_fault();
  switch (in.op) {
    case Op::V128Store: m.setSize(16); a_.movups(m, v); return;
    case Op::V128Store8Lane: m.setSize(1); a_.pextrb(m, v, in.lane); return;
    case Op::V128Store16Lane: m.setSize(2); a_.pextrw(m, v, in.lane); return;
    case Op::V128Store32Lane:
      m.setSize(4);
      if (in.lane == 0) a_.movss(m, v);
      else a_.pextrd(m, v, in.lane);
      return;
    case Op::V128Store64Lane:
      m.setSize(8);
      if (in.lane == 0) a_.movsd(m, v);
      else a_.movhps(m, v);
      return;
    default: faults_.pop_back(); return;
  }
}

void Masm::call_simd_handler(const void* fn, uint32_t sp_slot, const uint8_t* imm) {
  a_.lea(rdi, ptr(kFp, int32_t(sp_slot) * kSlot));
  a_.mov(rsi, uint64_t(uintptr_t(imm)));
  a_.mov(rdx, kMem);
  a_.mov(rax, uint64_t(uintptr_t(fn)));
  a_.call(rax);
}

}  // namespace wisp::jit
