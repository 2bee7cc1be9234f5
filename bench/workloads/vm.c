/* vm: a small register bytecode VM (switch-dispatch loop, which clang lowers
 * to br_table) running a hand-assembled program: an LCG-driven update of a
 * 256-word table with a call/return subroutine and data-dependent branches.
 * Stresses the dispatch loop, br_table, indirect-ish control flow, i32 ops
 * and loads/stores from a small array.  n = outer iterations of the
 * bytecode program (about 17 bytecode instructions each). */
#include "bench.h"

BENCH_SIZES(700000, 5000)

enum {
  OP_HALT,
  OP_LOADK, /* r[a] = imm */
  OP_MOV,   /* r[a] = r[b] */
  OP_ADD,   /* r[a] = r[b] + r[c] */
  OP_SUB,
  OP_MUL,
  OP_XOR,
  OP_AND,
  OP_OR,
  OP_SHL, /* r[a] = r[b] << (r[c] & 31) */
  OP_SHR,
  OP_ADDI,  /* r[a] = r[b] + imm */
  OP_MULI,  /* r[a] = r[b] * imm */
  OP_ANDI,  /* r[a] = r[b] & imm */
  OP_SHRI,  /* r[a] = r[b] >> imm */
  OP_ROTLI, /* r[a] = rotl(r[b], imm) */
  OP_LOAD,  /* r[a] = mem[r[b] & 255] */
  OP_STORE, /* mem[r[b] & 255] = r[a] */
  OP_JMP,   /* pc = imm */
  OP_JZ,    /* if r[a] == 0: pc = imm */
  OP_JNZ,   /* if r[a] != 0: pc = imm */
  OP_JLTU,  /* if r[a] < r[b]: pc = imm */
  OP_CALL,  /* push pc; pc = imm */
  OP_RET,
  OP_COUNT
};

typedef struct {
  uint8_t op, a, b, c;
  int32_t imm;
} insn;

#define I(op, a, b, c, imm) {OP_##op, a, b, c, imm}

/* r0 = loop counter, r1 = LCG state, r2 = accumulator, r7 = scratch */
static const insn program[] = {
    /*  0 */ I(LOADK, 1, 0, 0, 12345),
    /*  1 */ I(LOADK, 2, 0, 0, 0),
    /*  2 */ I(LOADK, 6, 0, 0, 3),
    /* loop: */
    /*  3 */ I(MULI, 1, 1, 0, 1664525),
    /*  4 */ I(ADDI, 1, 1, 0, 1013904223),
    /*  5 */ I(SHRI, 4, 1, 0, 13),
    /*  6 */ I(LOAD, 5, 4, 0, 0),
    /*  7 */ I(ADD, 5, 5, 1, 0),
    /*  8 */ I(XOR, 5, 5, 2, 0),
    /*  9 */ I(STORE, 5, 4, 0, 0),
    /* 10 */ I(ANDI, 7, 5, 0, 3),
    /* 11 */ I(JZ, 7, 0, 0, 14),
    /* 12 */ I(CALL, 0, 0, 0, 19),
    /* 13 */ I(JMP, 0, 0, 0, 15),
    /* 14 */ I(SUB, 2, 2, 5, 0),
    /* 15 */ I(ADDI, 0, 0, 0, -1),
    /* 16 */ I(JNZ, 0, 0, 0, 3),
    /* 17 */ I(HALT, 0, 0, 0, 0),
    /* 18 */ I(HALT, 0, 0, 0, 0),
    /* mix subroutine: r2 = rotl(r2 + r5, 5) ^ (r5 >> r6), r6 cycles 3..10 */
    /* 19 */ I(ADD, 2, 2, 5, 0),
    /* 20 */ I(ROTLI, 2, 2, 0, 5),
    /* 21 */ I(SHR, 7, 5, 6, 0),
    /* 22 */ I(XOR, 2, 2, 7, 0),
    /* 23 */ I(ADDI, 6, 6, 0, 1),
    /* 24 */ I(LOADK, 7, 0, 0, 11),
    /* 25 */ I(JLTU, 6, 7, 0, 27),
    /* 26 */ I(LOADK, 6, 0, 0, 3),
    /* 27 */ I(RET, 0, 0, 0, 0),
};

static BENCH_NOINLINE uint32_t execute(const insn *code, uint32_t *r, uint32_t *mem,
                                       uint64_t *steps_out) {
  uint32_t stack[64];
  int sp = 0;
  int32_t pc = 0;
  uint64_t steps = 0;
  for (;;) {
    const insn *in = &code[pc++];
    steps++;
    switch (in->op) {
      case OP_HALT: *steps_out = steps; return r[0];
      case OP_LOADK: r[in->a] = (uint32_t)in->imm; break;
      case OP_MOV: r[in->a] = r[in->b]; break;
      case OP_ADD: r[in->a] = r[in->b] + r[in->c]; break;
      case OP_SUB: r[in->a] = r[in->b] - r[in->c]; break;
      case OP_MUL: r[in->a] = r[in->b] * r[in->c]; break;
      case OP_XOR: r[in->a] = r[in->b] ^ r[in->c]; break;
      case OP_AND: r[in->a] = r[in->b] & r[in->c]; break;
      case OP_OR: r[in->a] = r[in->b] | r[in->c]; break;
      case OP_SHL: r[in->a] = r[in->b] << (r[in->c] & 31); break;
      case OP_SHR: r[in->a] = r[in->b] >> (r[in->c] & 31); break;
      case OP_ADDI: r[in->a] = r[in->b] + (uint32_t)in->imm; break;
      case OP_MULI: r[in->a] = r[in->b] * (uint32_t)in->imm; break;
      case OP_ANDI: r[in->a] = r[in->b] & (uint32_t)in->imm; break;
      case OP_SHRI: r[in->a] = r[in->b] >> (in->imm & 31); break;
      case OP_ROTLI: {
        uint32_t v = r[in->b], s = (uint32_t)in->imm & 31;
        r[in->a] = (v << s) | (v >> ((32 - s) & 31));
        break;
      }
      case OP_LOAD: r[in->a] = mem[r[in->b] & 255]; break;
      case OP_STORE: mem[r[in->b] & 255] = r[in->a]; break;
      case OP_JMP: pc = in->imm; break;
      case OP_JZ: if (r[in->a] == 0) pc = in->imm; break;
      case OP_JNZ: if (r[in->a] != 0) pc = in->imm; break;
      case OP_JLTU: if (r[in->a] < r[in->b]) pc = in->imm; break;
      case OP_CALL:
        if (sp == 64) { *steps_out = steps; return 0xdeadu; }
        stack[sp++] = (uint32_t)pc;
        pc = in->imm;
        break;
      case OP_RET: pc = (int32_t)stack[--sp]; break;
      default: *steps_out = steps; return 0xbadu;
    }
  }
}

uint64_t bench_kernel(int32_t n) {
  if (n < 1) n = 1;
  uint32_t r[8] = {0};
  uint32_t mem[256];
  for (uint32_t i = 0; i < 256; i++) mem[i] = i * 2654435761u;
  r[0] = (uint32_t)n;
  uint64_t steps = 0;
  uint32_t status = execute(program, r, mem, &steps);
  uint64_t h = bench_mix(0, status);
  h = bench_mix(h, steps);
  for (int i = 0; i < 8; i++) h = bench_mix(h, r[i]);
  for (int i = 0; i < 256; i++) h = bench_mix(h, mem[i]);
  return bench_final(h);
}
