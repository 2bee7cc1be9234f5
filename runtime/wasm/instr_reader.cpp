#include "runtime/wasm/instr_reader.hpp"

#include "runtime/wasm/unsupported.hpp"

namespace wisp {

std::string illegal_opcode(uint8_t byte, uint32_t code) {
  auto u = unsupported_opcode(byte, code);
  if (!u) return "illegal opcode";
  return std::string("illegal opcode: ") + (*u->name ? std::string(u->name) + ", " : std::string()) +
         "not supported yet (" + u->feature + ")";
}

// 2.0 encodes memory indices of memory.size/grow/fill/copy/init as one zero
// byte, not a LEB ("zero byte expected" even for a redundant 0x80 0x00).
static bool zero_byte(Reader& r) {
  const uint8_t* at = r.pos();
  uint8_t b{};
  if (!r.u8(b)) return false;
  if (b != 0) return r.fail("zero byte expected", at);
  return true;
}

static bool mem_arg(Reader& r, MemArg& m) {
  const uint8_t* at = r.pos();
  uint32_t flags{};
  if (!r.u32(flags)) return false;
  if (flags >= 32) return r.fail("malformed memop flags", at);
  m.align = flags;
  m.mem = 0;
  uint32_t off{};
  if (!r.u32(off)) return false;
  m.offset = off;
  return true;
}

static bool lane(Reader& r, uint8_t& out) {
  return r.u8(out);
}

bool read_immediates(Reader& r, Instr& in) {
  switch (op_info(in.op).imm) {
    case Imm::None:
      return true;
    case Imm::BlockType: {
      // s33: negative one-byte values are 0x40 (empty) or a value type.
      const uint8_t* at = r.pos();
      if (!r.sleb<33>(in.block_type)) return false;
      if (in.block_type < 0 && in.block_type != -64) {
        uint8_t b = uint8_t(in.block_type & 0x7F);
        switch (b) {
          case 0x7F: case 0x7E: case 0x7D: case 0x7C: case 0x7B: case 0x70: case 0x6F:
            break;
          default:
            return r.fail("malformed value type", at);
        }
      }
      return true;
    }
    case Imm::Label:
    case Imm::Func:
    case Imm::Local:
    case Imm::Global:
    case Imm::Table:
    case Imm::Data:
    case Imm::Elem:
      return r.u32(in.idx);
    case Imm::BrTable: {
      if (!r.u32(in.count)) return false;
      in.vec = r.pos();
      uint32_t t{};
      // Count is attacker-controlled: each target takes at least one byte,
      // so the loop is bounded by the remaining input.
      for (uint32_t i = 0; i < in.count; ++i)
        if (!r.u32(t)) return false;
      return r.u32(in.idx);  // default target
    }
    case Imm::CallIndirect:
      return r.u32(in.idx) && r.u32(in.idx2);
    case Imm::MemArg:
      return mem_arg(r, in.mem);
    case Imm::MemArgLane:
      return mem_arg(r, in.mem) && lane(r, in.lane);
    case Imm::Memory:
      in.idx = 0;
      return zero_byte(r);
    case Imm::MemoryInit:
      in.idx2 = 0;
      return r.u32(in.idx) && zero_byte(r);
    case Imm::MemoryCopy:
      in.idx = in.idx2 = 0;
      return zero_byte(r) && zero_byte(r);
    case Imm::TableInit:
      return r.u32(in.idx) && r.u32(in.idx2);
    case Imm::TableCopy:
      return r.u32(in.idx) && r.u32(in.idx2);
    case Imm::I32:
      return r.sleb<32>(in.i32);
    case Imm::I64:
      return r.sleb<64>(in.i64);
    case Imm::F32: {
      const uint8_t* p = nullptr;
      if (!r.bytes(4, p)) return false;
      std::memcpy(&in.f32, p, 4);
      return true;
    }
    case Imm::F64: {
      const uint8_t* p = nullptr;
      if (!r.bytes(8, p)) return false;
      std::memcpy(&in.f64, p, 8);
      return true;
    }
    case Imm::V128:
    case Imm::Shuffle:
      return r.bytes(16, in.vec);
    case Imm::Lane:
      return lane(r, in.lane);
    case Imm::SelectT: {
      if (!r.u32(in.count)) return false;
      in.vec = r.pos();
      ValType t{};
      for (uint32_t i = 0; i < in.count; ++i)
        if (!r.val_type(t)) return false;
      return true;
    }
    case Imm::HeapType: {
      ValType t{};
      if (!r.ref_type(t)) return false;
      in.heap = t;
      return true;
    }
  }
  return r.fail("illegal opcode", in.pc);
}

}  // namespace wisp
