// Regression: a guest recursing through a re-entrant host import, with the
// default StoreConfig (20000 frames), used to overflow the native stack
// (SIGSEGV at ~6000 levels on an 8 MB stack) before max_call_depth was
// reached. Store::call now refuses to nest when the thread's stack runs low,
// so this must end in a "call stack exhausted" trap -- also on a thread with
// a small stack.
#include <cstdio>
#include <pthread.h>

#include "runtime/text/wat.hpp"
#include "runtime/api/wisp.hpp"

namespace {

using namespace wisp;

FuncInst* g_target = nullptr;

// env.h(x) = f(x + 1): calls back into wasm, which calls env.h again.
TrapKind reenter(HostContext& ctx, Slot* args) {
  CallResult r = ctx.store->call(g_target, {Value::i32(args[0].u32)});
  if (auto* t = std::get_if<Trap>(&r)) {
    ctx.message = t->message;
    return TrapKind::HostError;
  }
  args[0].u64 = std::get<std::vector<Value>>(r)[0].bits.u32;
  return TrapKind::None;
}

bool run_once() {
  Store store;
  FuncType t{{ValType::I32}, {ValType::I32}};
  FuncInst* h = store.host_func(t, reenter, nullptr, "env.h");
  auto bin = text::parse_wat(R"((module
    (import "env" "h" (func $h (param i32) (result i32)))
    (func (export "f") (param i32) (result i32) (call $h (i32.add (local.get 0) (i32.const 1))))))");
  auto m = load_module(*bin);
  if (!m) return false;
  Extern imports[] = {{ExternKind::Func, h}};
  auto inst = store.instantiate(*m, imports);
  if (!inst) return false;
  g_target = (*inst)->func_export("f");
  CallResult r = store.call(g_target, {Value::i32(0)});
  auto* trap = std::get_if<Trap>(&r);
  // The innermost call traps; each host level passes the message outwards.
  bool ok = trap && trap->message.find("call stack exhausted") != std::string::npos;
  std::printf("%s\n", trap ? trap->message.c_str() : "returned (no trap)");
  return ok;
}

}  // namespace

int main() {
  bool ok = run_once();
  // And on a 512 KiB thread (pthread's default is 8 MB).
  bool small_ok = false;
  {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 512 << 10);
    pthread_t th;
    auto body = [](void* p) -> void* {
      *static_cast<bool*>(p) = run_once();
      return nullptr;
    };
    if (pthread_create(&th, &attr, body, &small_ok) == 0) pthread_join(th, nullptr);
    pthread_attr_destroy(&attr);
  }
  std::printf("%d passed, %d failed\n", int(ok) + int(small_ok), 2 - int(ok) - int(small_ok));
  return ok && small_ok ? 0 : 1;
}
