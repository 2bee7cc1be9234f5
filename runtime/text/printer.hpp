// Binary -> text: prints a decoded module as WAT that parse_wat reads back.
//
// The output is meant for machines first (the round-trip fuzzer, debugging a
// fuzz finding) and people second: every index is numeric, instructions are
// flat (block/if/else/end as written in the binary), function types are
// always referenced with `(type N)`, and float constants keep their exact
// bits (hex floats, nan:0x payloads). Custom sections (including names) are
// not printed.
//
// For a module that decodes and validates, parse_wat(print_wat(m)) is a
// module with the same meaning whose encoding is wisp's canonical one (as
// wat2wasm lays it out); printing that again gives the same text, and
// encoding it again the same bytes.
#pragma once
#include <string>

#include "runtime/wasm/module.hpp"
#include "runtime/wasm/result.hpp"

namespace wisp::text {

// m must be decoded; it need not be validated. Fails (ErrorKind::Malformed)
// only if a function body or constant expression does not decode.
Result<std::string> print_wat(const Module& m);

}  // namespace wisp::text
