// A decoded component (the component model's binary format, Binary.md of
// WebAssembly/component-model): plain data, one struct per definition, in
// the order the binary gives them. Index spaces are implicit: each
// definition that creates an item says which sort it adds to, and
// `Component::count` holds how many each space has at the end.
// The decoder (decoder.hpp) checks the syntax and that every index refers
// to an item defined before it; type rules beyond that come with
// instantiation (issue 14).
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/wasm/module.hpp"

namespace wisp::component {

// The sorts (kinds of items) and so the index spaces of a component.
enum class Sort : uint8_t {
  CoreFunc, CoreTable, CoreMemory, CoreGlobal, CoreTag, CoreType, CoreModule, CoreInstance,
  Func, Value, Type, Component, Instance,
};
inline constexpr unsigned kSortCount = 13;
const char* sort_name(Sort s);

struct SortIdx {
  Sort sort{};
  uint32_t idx = 0;
};

// Component value types.
enum class Prim : uint8_t {
  Bool, S8, U8, S16, U16, S32, U32, S64, U64, F32, F64, Char, String, ErrorContext,
};
const char* prim_name(Prim p);

// A value type: a primitive, or a type index (of a defined value type).
struct ValType {
  bool is_prim = true;
  Prim prim = Prim::Bool;
  uint32_t idx = 0;
};

struct Field {
  std::string name;
  ValType type;
};
struct Case {
  std::string name;
  std::optional<ValType> type;
};

// An extern type: what an import or export is.
enum class ExternKind : uint8_t { CoreModule, Func, Value, Type, Component, Instance };
struct ExternType {
  ExternKind kind{};
  uint32_t idx = 0;          // the type (core type for CoreModule; value index for Value eq)
  bool type_sub_resource = false;  // Type: (sub resource) rather than (eq idx)
  bool value_eq = false;     // Value: (eq idx) rather than a value type
  ValType value_type;        // Value: the bound's type
};

struct Import {
  std::string name;
  ExternType type;
};
struct Export {
  std::string name;
  SortIdx item;
  std::optional<ExternType> type;  // an ascribed type
};

struct Type;  // below

// Declarations inside a component or instance type.
struct Alias;
struct Decl {
  enum Kind : uint8_t { CoreType, Type, Alias, Import, Export } kind{};
  std::shared_ptr<const struct CoreType> core_type;
  std::shared_ptr<const struct Type> type;
  std::shared_ptr<const struct Alias> alias;
  std::string name;  // Import, Export
  ExternType extern_type;
};

// One entry of the type index space.
struct Type {
  enum Kind : uint8_t {
    Prim, Record, Variant, List, FixedList, Tuple, Flags, Enum, Option, Result, Own, Borrow,
    Stream, Future, Map, Func, Component, Instance, Resource,
  } kind{};
  ValType prim;                     // Prim
  std::vector<Field> fields;        // Record; Func params
  std::vector<Case> cases;          // Variant
  std::vector<ValType> types;       // Tuple
  std::vector<std::string> labels;  // Flags, Enum
  std::optional<ValType> a, b;      // List/FixedList/Option/Stream/Future elem; Result ok/err; Map key/value
  uint32_t length = 0;              // FixedList
  uint32_t idx = 0;                 // Own, Borrow: the resource type
  std::optional<ValType> result;    // Func
  bool async = false;               // Func
  std::vector<Decl> decls;          // Component, Instance
  uint8_t rep = 0;                  // Resource: the core value type of its rep (0x7f i32)
  std::optional<uint32_t> dtor;     // Resource: core func index
};

// A core type: a core function type or a core module type (declarations
// kept as the bytes they came from, with their import and export names).
struct CoreType {
  bool is_module = false;
  std::vector<uint8_t> params, results;  // function type: core value type bytes
  std::vector<std::string> module_imports, module_exports;  // "module.name", "name"
};

struct Alias {
  Sort sort{};
  enum Target : uint8_t { Export, CoreExport, Outer } target{};
  uint32_t instance = 0;  // Export, CoreExport
  std::string name;       // Export, CoreExport
  uint32_t outer_count = 0, outer_idx = 0;  // Outer
};

struct CoreInstance {
  bool instantiate = true;  // instantiate a module, or a bag of inline exports
  uint32_t module = 0;
  std::vector<std::pair<std::string, uint32_t>> args;  // (name, core instance)
  std::vector<std::pair<std::string, SortIdx>> exports;
};

struct Instance {
  bool instantiate = true;
  uint32_t component = 0;
  std::vector<std::pair<std::string, SortIdx>> args;
  std::vector<std::pair<std::string, SortIdx>> exports;
};

struct CanonOptions {
  enum Encoding : uint8_t { Utf8, Utf16, Latin1Utf16 } encoding = Utf8;
  std::optional<uint32_t> memory, realloc, post_return, callback;
  bool async = false;
};

struct Canon {
  enum Kind : uint8_t { Lift, Lower, ResourceNew, ResourceDrop, ResourceRep, Other } kind{};
  uint32_t func = 0;  // Lift: core func; Lower: func
  uint32_t type = 0;  // Lift: func type; Resource*: resource type
  CanonOptions opts;
  uint8_t opcode = 0;  // Other: the async/thread built-in's opcode
};

struct Component;

// One definition, in binary order.
struct Definition {
  enum Kind : uint8_t {
    CoreModule, CoreInstance, CoreType, Component, Instance, Alias, Type, Canon, Start, Import, Export,
  } kind{};
  size_t offset = 0;  // of the definition in the file
  // CoreModule: the module's bytes, and the module the decoder decoded and
  // validated from them (instantiated as it is, by any number of stores).
  const uint8_t* module_bytes = nullptr;
  size_t module_size = 0;
  std::shared_ptr<wisp::Module> module;
  std::shared_ptr<const struct CoreInstance> core_instance;
  std::shared_ptr<const struct CoreType> core_type;
  std::shared_ptr<const struct Component> component;
  std::shared_ptr<const struct Instance> instance;
  std::shared_ptr<const struct Alias> alias;
  std::shared_ptr<const struct Type> type;
  std::shared_ptr<const struct Canon> canon;
  std::shared_ptr<const struct Import> import;
  std::shared_ptr<const struct Export> export_;
};

struct Component {
  std::vector<Definition> defs;
  std::array<uint32_t, kSortCount> count{};  // items in each index space
  // Shortcuts: the top-level imports and exports, in order.
  std::vector<const Import*> imports() const;
  std::vector<const Export*> exports() const;
  // The type of type index i (a definition of this component, or null when
  // i came from an alias, an import or an export).
  const Type* type(uint32_t i) const;
  std::vector<const Type*> types;  // by type index; null where not defined here
};

}  // namespace wisp::component
