// The WAT parser proper, shared by parse_wat and the .wast script parser.
// Internal to runtime/text.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime/wasm/opcodes.hpp"
#include "runtime/wasm/result.hpp"
#include "runtime/text/lexer.hpp"
#include "runtime/text/module_builder.hpp"

namespace wisp::text {

// Parses module fields from ts.toks[pos] up to (not including) the `)` or
// Eof that ends them; pos is left there.
Result<BuiltModule> parse_module_fields(const TokenStream& ts, size_t& pos);

// Parses `(module $id? field*)` with ts.toks[pos] at the `(`; pos ends past
// the closing `)`. The caller has checked that no `binary`/`quote` follows.
Result<Bytes> parse_module_sexpr(const TokenStream& ts, size_t& pos, bool with_names = false);

// Error helpers with the spec interpreter's wording, shared with the .wast
// parser: a token that is not a valid token of the language at all is an
// "unknown operator"; a valid token in the wrong place is "unexpected token".
Error unexpected_token(const TokenStream& ts, const Token& t);
// "unknown operator NAME", and the proposal wisp lacks when NAME is one of
// its instructions (wasm/unsupported.hpp).
std::string unknown_operator(std::string_view name);
bool is_known_keyword(std::string_view kw);
// inf, nan, nan:0x... (the float keywords)
inline bool is_number_keyword(std::string_view kw) {
  return kw == "inf" || kw == "nan" || kw.substr(0, 4) == "nan:";
}

// Index spaces of a module.
enum Space : uint8_t { kTypes, kFuncs, kTables, kMemories, kGlobals, kElems, kDatas, kSpaceCount };

class WatParser {
 public:
  explicit WatParser(const TokenStream& ts, size_t pos) : ts_(ts), p_(pos) {}
  Result<BuiltModule> run();
  size_t pos() const { return p_; }
  // A v128.const's immediates and nothing after them ("i32x4 1 2 3 4").
  Status v128_literal(Bytes& out);

 private:
  struct Field {
    size_t begin;    // token index of the field's `(`
    uint32_t index;  // index in the field's own space (func/table/...)
    bool imported;
  };

  // --- token helpers (wat_common.cpp)
  const Token& peek(size_t k = 0) const {
    size_t i = p_ + k;
    return i < ts_.toks.size() ? ts_.toks[i] : ts_.toks.back();
  }
  std::string_view text(const Token& t) const { return ts_.text(t); }
  bool at(Tok k) const { return peek().kind == k; }
  bool at_keyword(std::string_view kw) const {
    return peek().kind == Tok::Keyword && text(peek()) == kw;
  }
  // `(` followed by keyword kw.
  bool at_sexpr(std::string_view kw) const {
    return peek().kind == Tok::LParen && peek(1).kind == Tok::Keyword && text(peek(1)) == kw;
  }
  Error err(const Token& t, std::string msg) const { return text_error(ts_.src, t.begin, std::move(msg)); }
  Error err_here(std::string msg) const { return err(peek(), std::move(msg)); }
  Error unexpected() const { return unexpected_token(ts_, peek()); }
  Status expect(Tok k);
  Status expect_keyword(std::string_view kw);
  Status skip_sexpr();  // at `(`: skips to past the matching `)`

  // --- literals and names (wat_common.cpp)
  Result<uint32_t> parse_u32(const char* range_msg = "i32 constant out of range");
  Result<uint64_t> parse_int_lit(unsigned bits);
  Result<std::string> parse_name();  // a string that must be UTF-8
  Result<ValType> parse_valtype();
  Result<ValType> parse_reftype();
  Result<Limits> parse_limits();
  std::string_view take_id();  // `$x` or empty
  Status bind(Space s, std::string_view id, uint32_t index, const Token& at);
  Result<uint32_t> resolve(Space s);  // a var: numeric or `$name`

  // --- module fields (wat_parser.cpp)
  Status scan_fields();  // pass 1: names, indices, explicit types
  Status scan_import_kind(ExternKind k, std::string_view id, const Token& at);
  Status note_definition(ExternKind k);
  Status parse_field(const Field& f);  // pass 2
  Status parse_type_field();
  Status parse_import_field();
  Status parse_func_field(const Field& f);
  Status parse_table_field(const Field& f);
  Status parse_memory_field(const Field& f);
  Status parse_global_field(const Field& f);
  Status parse_export_field();
  Status parse_start_field();
  Status parse_elem_field();
  Status parse_data_field();
  Status parse_inline_exports(ExternKind k, uint32_t index);
  Result<BuiltImport> parse_inline_import();  // `(import "m" "n")`
  Result<GlobalType> parse_global_type();
  Result<TableType> parse_table_type();
  Result<FuncType> parse_func_sig(std::vector<std::string_view>* names);  // (param)* (result)*
  // A type use: `(type x)?` then inline params/results. `names` collects
  // parameter ids (empty for unnamed) when non-null.
  Result<uint32_t> parse_type_use(std::vector<std::string_view>* names);
  uint32_t find_or_add_type(const FuncType& ft);
  // --- segments (segment_parser.cpp)
  Result<Bytes> parse_offset_expr();  // `(offset instr*)` or one folded instr
  Result<Bytes> parse_elem_item();
  Status parse_elem_list(BuiltElem& e, bool allow_bare_funcs);

  // --- instructions (instr_parser.cpp)
  // Parses instr* up to the `)` that closes the enclosing form (not consumed)
  // and appends their encoding plus the final `end`.
  Status parse_expr(Bytes& out);
  // Parses exactly one folded instruction (ts at its `(`), without `end`.
  Status parse_folded(Bytes& out);
  Status parse_instr_seq(Bytes& out, bool single_folded);
  Status parse_plain_immediates(Op op, const Token& op_tok, Bytes& out);
  Status parse_block_type(Bytes& out);
  Status parse_memarg(const OpInfo& info, Bytes& out);
  Status parse_v128_const(Bytes& out);
  Result<uint32_t> resolve_label();
  Result<uint32_t> resolve_local();
  Status parse_lane_index(Bytes& out);
  // Number tokens (and inf/nan keywords) from p_ on.
  size_t count_literals() const;

  const TokenStream& ts_;
  size_t p_;
  BuiltModule m_;
  std::vector<Field> fields_;
  std::unordered_map<std::string_view, uint32_t> names_[kSpaceCount];
  uint32_t counts_[kSpaceCount] = {};
  std::unordered_map<std::string, uint32_t> type_index_;  // see find_or_add_type
  size_t indexed_types_ = 0;
  // First non-import definition seen, for "import after ..." (empty if none).
  const char* first_def_ = nullptr;
  bool seen_start_ = false;

  // Per-function state.
  std::unordered_map<std::string_view, uint32_t> locals_;
  uint32_t num_locals_ = 0;
  std::vector<std::string_view> labels_;  // innermost last; empty = unnamed
  // Name -> positions in labels_ (innermost last), so lookups stay O(1)
  // however deep the nesting.
  std::unordered_map<std::string_view, std::vector<size_t>> label_positions_;
  void push_label(std::string_view name);
  void pop_label();
  void clear_labels();
};

}  // namespace wisp::text
