// wisp's public C++ API: a header-only layer over the standard C API
// (wasm.h), as wasmtime's wasmtime.hh is over its C API, so a C++ host sees
// no runtime internals and links the same installed libraries (target
// wisp::wisp). Objects are move-only owners of their C handles; errors come
// back as values (Result), traps as Trap.
//
//   wisp::api::Engine engine;
//   wisp::api::Store store(engine);
//   auto module = wisp::api::Module::compile(store, bytes);   // Result<Module>
//   auto log = wisp::api::Func::wrap(store, [](int32_t x) { return x * 2; });
//   auto instance = wisp::api::Instance::create(store, *module, {log});
//   auto r = instance->func("run")->call<int32_t>(21);       // Result<int32_t>
//
// (The namespace is wisp::api: plain `wisp::` holds the runtime's own types.)
#pragma once
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "wasm.h"

namespace wisp::api {

// A trap or an error, with its message.
struct Trap {
  std::string message;
};

template <class T>
class Result {
 public:
  Result(T v) : v_(std::move(v)) {}
  Result(Trap t) : v_(std::move(t)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  T& operator*() { return value(); }
  T* operator->() { return &value(); }
  const Trap& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Trap> v_;
};

namespace detail {

template <class T, void (*Delete)(T*)>
struct Owner {
  struct Del {
    void operator()(T* p) const {
      if (p) Delete(p);
    }
  };
  explicit Owner(T* t = nullptr) : p(t) {}
  std::unique_ptr<T, Del> p;
};

inline Trap take_trap(wasm_trap_t* t) {
  wasm_message_t m;
  wasm_trap_message(t, &m);
  Trap out{std::string(m.data, m.size && m.data[m.size - 1] == '\0' ? m.size - 1 : m.size)};
  wasm_byte_vec_delete(&m);
  wasm_trap_delete(t);
  return out;
}

// C++ types a wrapped function may take and return, and their wasm kinds.
template <class T>
struct Kind;
template <>
struct Kind<int32_t> {
  static constexpr wasm_valkind_t k = WASM_I32;
  static wasm_val_t to(int32_t v) { return wasm_val_t{WASM_I32, {.i32 = v}}; }
  static int32_t from(const wasm_val_t& v) { return v.of.i32; }
};
template <>
struct Kind<uint32_t> {
  static constexpr wasm_valkind_t k = WASM_I32;
  static wasm_val_t to(uint32_t v) { return wasm_val_t{WASM_I32, {.i32 = int32_t(v)}}; }
  static uint32_t from(const wasm_val_t& v) { return uint32_t(v.of.i32); }
};
template <>
struct Kind<int64_t> {
  static constexpr wasm_valkind_t k = WASM_I64;
  static wasm_val_t to(int64_t v) { return wasm_val_t{WASM_I64, {.i64 = v}}; }
  static int64_t from(const wasm_val_t& v) { return v.of.i64; }
};
template <>
struct Kind<uint64_t> {
  static constexpr wasm_valkind_t k = WASM_I64;
  static wasm_val_t to(uint64_t v) { return wasm_val_t{WASM_I64, {.i64 = int64_t(v)}}; }
  static uint64_t from(const wasm_val_t& v) { return uint64_t(v.of.i64); }
};
template <>
struct Kind<float> {
  static constexpr wasm_valkind_t k = WASM_F32;
  static wasm_val_t to(float v) { return wasm_val_t{WASM_F32, {.f32 = v}}; }
  static float from(const wasm_val_t& v) { return v.of.f32; }
};
template <>
struct Kind<double> {
  static constexpr wasm_valkind_t k = WASM_F64;
  static wasm_val_t to(double v) { return wasm_val_t{WASM_F64, {.f64 = v}}; }
  static double from(const wasm_val_t& v) { return v.of.f64; }
};

template <class F>
struct Signature : Signature<decltype(&F::operator())> {};
template <class C, class R, class... A>
struct Signature<R (C::*)(A...) const> {
  using Ret = R;
  using Args = std::tuple<A...>;
};
template <class C, class R, class... A>
struct Signature<R (C::*)(A...)> {
  using Ret = R;
  using Args = std::tuple<A...>;
};
template <class R, class... A>
struct Signature<R (*)(A...)> {
  using Ret = R;
  using Args = std::tuple<A...>;
};

}  // namespace detail

class Engine {
 public:
  Engine() : e_{wasm_engine_new()} {}
  wasm_engine_t* c() const { return e_.p.get(); }

 private:
  detail::Owner<wasm_engine_t, wasm_engine_delete> e_;
};

// Everything made in a store lives until the store is destroyed.
class Store {
 public:
  explicit Store(Engine& engine) : s_{wasm_store_new(engine.c())} {}
  wasm_store_t* c() const { return s_.p.get(); }

 private:
  detail::Owner<wasm_store_t, wasm_store_delete> s_;
};

class Module {
 public:
  // Decodes and validates a binary module.
  static Result<Module> compile(Store& store, const std::vector<uint8_t>& bytes) {
    wasm_byte_vec_t b{bytes.size(), reinterpret_cast<byte_t*>(const_cast<uint8_t*>(bytes.data()))};
    wasm_module_t* m = wasm_module_new(store.c(), &b);
    if (!m) return Trap{"malformed or invalid module"};
    return Module(m);
  }
  static bool validate(Store& store, const std::vector<uint8_t>& bytes) {
    wasm_byte_vec_t b{bytes.size(), reinterpret_cast<byte_t*>(const_cast<uint8_t*>(bytes.data()))};
    return wasm_module_validate(store.c(), &b);
  }
  // Export names, in order.
  std::vector<std::string> exports() const {
    wasm_exporttype_vec_t v;
    wasm_module_exports(c(), &v);
    std::vector<std::string> out;
    for (size_t i = 0; i < v.size; ++i) {
      const wasm_name_t* n = wasm_exporttype_name(v.data[i]);
      out.emplace_back(n->data, n->size);
    }
    wasm_exporttype_vec_delete(&v);
    return out;
  }
  wasm_module_t* c() const { return m_.p.get(); }

 private:
  explicit Module(wasm_module_t* m) : m_{m} {}
  detail::Owner<wasm_module_t, wasm_module_delete> m_;
};

class Func {
 public:
  // A host function from a C++ callable taking and returning int32_t,
  // uint32_t, int64_t, uint64_t, float or double (or void). A callable that
  // throws traps the wasm calling it with the exception's message.
  template <class F>
  static Func wrap(Store& store, F f) {
    using Sig = detail::Signature<std::decay_t<F>>;
    using R = typename Sig::Ret;
    return wrap_impl<R>(store, std::move(f), static_cast<typename Sig::Args*>(nullptr));
  }

  size_t params() const { return wasm_func_param_arity(c()); }
  size_t results() const { return wasm_func_result_arity(c()); }

  // Calls with C++ values; R is void or the one result's type.
  template <class R = void, class... A>
  Result<std::conditional_t<std::is_void_v<R>, std::monostate, R>> call(A... args) const {
    wasm_val_t in[sizeof...(A) + 1] = {detail::Kind<A>::to(args)...};
    wasm_val_t out[1] = {};
    wasm_val_vec_t a{sizeof...(A), in}, r{std::is_void_v<R> ? 0u : 1u, out};
    if (wasm_trap_t* t = wasm_func_call(c(), &a, &r)) return detail::take_trap(t);
    if constexpr (std::is_void_v<R>) return std::monostate{};
    else return detail::Kind<R>::from(out[0]);
  }

  wasm_func_t* c() const { return f_.p.get(); }
  explicit Func(wasm_func_t* f) : f_{f} {}

 private:
  template <class R, class F, class... A>
  static Func wrap_impl(Store& store, F f, std::tuple<A...>*) {
    wasm_valtype_t* ps[sizeof...(A) + 1] = {wasm_valtype_new(detail::Kind<A>::k)...};
    wasm_valtype_vec_t params, results;
    wasm_valtype_vec_new(&params, sizeof...(A), ps);
    if constexpr (std::is_void_v<R>) {
      wasm_valtype_vec_new_empty(&results);
    } else {
      wasm_valtype_t* rs[1] = {wasm_valtype_new(detail::Kind<R>::k)};
      wasm_valtype_vec_new(&results, 1, rs);
    }
    wasm_functype_t* type = wasm_functype_new(&params, &results);
    struct Env {
      F f;
      wasm_store_t* store;
    };
    auto* env = new Env{std::move(f), store.c()};
    auto callback = [](void* e, const wasm_val_vec_t* args, wasm_val_vec_t* res) -> wasm_trap_t* {
      auto* env = static_cast<Env*>(e);
      try {
        auto vals = [&]<size_t... I>(std::index_sequence<I...>) {
          return std::tuple<A...>{detail::Kind<A>::from(args->data[I])...};
        }(std::index_sequence_for<A...>{});
        if constexpr (std::is_void_v<R>) {
          std::apply(env->f, vals);
        } else {
          res->data[0] = detail::Kind<R>::to(std::apply(env->f, vals));
        }
        return nullptr;
      } catch (const std::exception& ex) {
        return trap(env->store, ex.what());
      } catch (...) {
        return trap(env->store, "host function threw");
      }
    };
    wasm_func_t* fn = wasm_func_new_with_env(store.c(), type, callback, env, [](void* e) { delete static_cast<Env*>(e); });
    wasm_functype_delete(type);
    return Func(fn);
  }
  static wasm_trap_t* trap(wasm_store_t* store, const char* message) {
    wasm_message_t m;
    wasm_name_new_from_string_nt(&m, message);
    wasm_trap_t* t = wasm_trap_new(store, &m);
    wasm_byte_vec_delete(&m);
    return t;
  }
  detail::Owner<wasm_func_t, wasm_func_delete> f_;
};

class Memory {
 public:
  explicit Memory(wasm_memory_t* m) : m_{m} {}
  uint8_t* data() const { return reinterpret_cast<uint8_t*>(wasm_memory_data(c())); }
  size_t size() const { return wasm_memory_data_size(c()); }
  uint32_t pages() const { return wasm_memory_size(c()); }
  bool grow(uint32_t delta) { return wasm_memory_grow(c(), delta); }
  wasm_memory_t* c() const { return m_.p.get(); }

 private:
  detail::Owner<wasm_memory_t, wasm_memory_delete> m_;
};

class Instance {
 public:
  // Instantiates module with host functions as its imports, in order.
  static Result<Instance> create(Store& store, const Module& module, const std::vector<const Func*>& imports) {
    std::vector<wasm_extern_t*> ext;
    for (const Func* f : imports) ext.push_back(wasm_func_as_extern(f->c()));
    wasm_extern_vec_t v{ext.size(), ext.data()};
    wasm_trap_t* trap = nullptr;
    wasm_instance_t* i = wasm_instance_new(store.c(), module.c(), &v, &trap);
    if (!i) return trap ? detail::take_trap(trap) : Trap{"instantiation failed"};
    return Instance(i, module);
  }
  static Result<Instance> create(Store& store, const Module& module, std::initializer_list<const Func*> imports) {
    return create(store, module, std::vector<const Func*>(imports));
  }

  // The exported function or memory `name`, if there is one.
  std::optional<Func> func(std::string_view name) const {
    wasm_extern_t* e = find(name);
    wasm_func_t* f = e ? wasm_extern_as_func(e) : nullptr;
    if (!f) {
      if (e) wasm_extern_delete(e);
      return std::nullopt;
    }
    return Func(f);
  }
  std::optional<Memory> memory(std::string_view name) const {
    wasm_extern_t* e = find(name);
    wasm_memory_t* m = e ? wasm_extern_as_memory(e) : nullptr;
    if (!m) {
      if (e) wasm_extern_delete(e);
      return std::nullopt;
    }
    return Memory(m);
  }
  wasm_instance_t* c() const { return i_.p.get(); }

 private:
  Instance(wasm_instance_t* i, const Module& m) : i_{i}, names_(m.exports()) {}
  // A new handle of the export called name (the caller deletes it).
  wasm_extern_t* find(std::string_view name) const {
    wasm_extern_vec_t v;
    wasm_instance_exports(c(), &v);
    wasm_extern_t* found = nullptr;
    for (size_t k = 0; k < v.size && k < names_.size(); ++k)
      if (names_[k] == name) {
        found = v.data[k];
        v.data[k] = nullptr;  // kept: not deleted with the vector
      }
    wasm_extern_vec_delete(&v);
    return found;
  }
  detail::Owner<wasm_instance_t, wasm_instance_delete> i_;
  std::vector<std::string> names_;
};

}  // namespace wisp::api
