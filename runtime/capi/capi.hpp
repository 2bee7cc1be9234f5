// The C API's objects (wasm.h), as wisp lays them out. Plain structs:
//
// - Types (valtype, functype, globaltype, tabletype, memorytype,
//   importtype, exporttype) are values owned by their handle. The four
//   extern types share one struct, wasm_externtype_t, which each of their
//   C types derives from, so an `as_externtype` cast is a pointer cast.
// - Runtime objects (functions, globals, tables, memories, instances,
//   modules, traps, foreign objects) are `Object`s owned by their store and
//   alive until it is deleted; a C handle (`wasm_func_t*` and the like) is a
//   small heap struct pointing at one. Copying a handle makes another one
//   for the same object (`same` compares objects), deleting it frees the
//   handle alone. Host info and its finalizer belong to the object: the
//   finalizers run when the store is deleted.
// - A handle is always allocated as the C type of its object's kind (a
//   function's as wasm_func_t, which derives from wasm_extern_t and
//   wasm_ref_t), so every cast the API offers is a valid C++ cast.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/api/wisp.hpp"
#include "runtime/capi/wasm.h"

struct wasm_config_t {};
struct wasm_engine_t {};

struct wasm_valtype_t {
  wasm_valkind_t kind = WASM_I32;
};

struct wasm_externtype_t {
  wasm_externkind_t kind = WASM_EXTERN_FUNC;
  // func
  wasm_valtype_vec_t params{0, nullptr}, results{0, nullptr};
  // global (content) and table (element)
  wasm_valtype_t* content = nullptr;
  wasm_mutability_t mutability = WASM_CONST;
  // table and memory
  wasm_limits_t limits{0, wasm_limits_max_default};
  virtual ~wasm_externtype_t();
};
struct wasm_functype_t : wasm_externtype_t {};
struct wasm_globaltype_t : wasm_externtype_t {};
struct wasm_tabletype_t : wasm_externtype_t {};
struct wasm_memorytype_t : wasm_externtype_t {};

struct wasm_importtype_t {
  wasm_name_t module{0, nullptr}, name{0, nullptr};
  wasm_externtype_t* type = nullptr;
  ~wasm_importtype_t();
};
struct wasm_exporttype_t {
  wasm_name_t name{0, nullptr};
  wasm_externtype_t* type = nullptr;
  ~wasm_exporttype_t();
};

namespace wisp::capi {

struct Object;

// A host function's callback and what it needs, owned by the store.
struct HostFunc {
  wasm_store_t* store = nullptr;
  wasm_func_callback_t callback = nullptr;
  wasm_func_callback_with_env_t callback_env = nullptr;
  void* env = nullptr;
  void (*finalizer)(void*) = nullptr;
  FuncType type;
};

struct FrameInfo {
  Object* instance = nullptr;  // its instance's object, if known
  uint32_t func = 0;
  size_t func_offset = 0, module_offset = 0;
};

struct Object {
  enum Kind : uint8_t { Func, Global, Table, Memory, Instance, Module, Trap, Foreign } kind = Foreign;
  wasm_store_t* store = nullptr;
  void* host_info = nullptr;
  void (*finalizer)(void*) = nullptr;
  // What it is, by kind:
  FuncInst* func = nullptr;
  GlobalInst* global = nullptr;
  TableInst* table = nullptr;
  MemoryInst* memory = nullptr;
  wisp::Instance* instance = nullptr;
  std::shared_ptr<const wisp::Module> module;
  std::string message;  // a trap's, with its terminating NUL
  std::vector<FrameInfo> frames;  // a trap's, innermost first
};

}  // namespace wisp::capi

struct wasm_store_t {
  wisp::Store store;
  std::vector<std::unique_ptr<wisp::capi::Object>> objects;
  std::unordered_map<const void*, wisp::capi::Object*> by_ptr;  // a runtime object's Object
  std::vector<std::unique_ptr<wisp::capi::HostFunc>> host_funcs;
  explicit wasm_store_t(wisp::StoreConfig cfg) : store(std::move(cfg)) {}
  ~wasm_store_t();
};

struct wasm_ref_t {
  wisp::capi::Object* obj = nullptr;
  virtual ~wasm_ref_t() = default;
};
struct wasm_extern_t : wasm_ref_t {};
struct wasm_func_t : wasm_extern_t {};
struct wasm_global_t : wasm_extern_t {};
struct wasm_table_t : wasm_extern_t {};
struct wasm_memory_t : wasm_extern_t {};
struct wasm_instance_t : wasm_ref_t {};
struct wasm_module_t : wasm_ref_t {};
struct wasm_trap_t : wasm_ref_t {};
struct wasm_foreign_t : wasm_ref_t {};

struct wasm_shared_module_t {
  std::shared_ptr<const wisp::Module> module;
};

struct wasm_frame_t {
  wisp::capi::FrameInfo info;
  wasm_ref_t* instance = nullptr;  // wasm_frame_instance's handle, made on first use
  explicit wasm_frame_t(const wisp::capi::FrameInfo& i) : info(i) {}
  wasm_frame_t(const wasm_frame_t& o) : info(o.info) {}
  wasm_frame_t& operator=(const wasm_frame_t&) = delete;
  ~wasm_frame_t() { delete instance; }
};

namespace wisp::capi {

// A new handle of obj's own C type (null for null).
wasm_ref_t* handle(Object* obj);
// The store's object for a runtime object (made on first use).
Object* object_for(wasm_store_t* s, Object::Kind kind, void* ptr);
// A new object of the store's (a trap, a foreign object, a module).
Object* new_object(wasm_store_t* s, Object::Kind kind);
// A trap object with this message and frames.
wasm_trap_t* make_trap(wasm_store_t* s, const wisp::Trap& t);

// Types from and to wisp's.
wasm_valkind_t valkind(ValType t);
ValType valtype(wasm_valkind_t k);
wasm_externtype_t* externtype_of(wasm_store_t* s, const Module& m, ExternKind kind, uint32_t index);
wasm_functype_t* functype_of(const FuncType& t);
FuncType functype(const wasm_functype_t* t);
Limits limits(const wasm_limits_t& l);
wasm_limits_t limits(const Limits& l);

// Values from and to wisp's (references as Object pointers: an externref
// holds the Object of the reference passed in; a funcref its FuncInst).
wisp::Value value(const wasm_val_t& v);
void value_out(wasm_store_t* s, const wisp::Value& v, wasm_val_t& out);

}  // namespace wisp::capi
