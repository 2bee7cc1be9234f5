// The import tables: wasi_snapshot_preview1, and wasi_unstable (snapshot 0),
// which shares most functions and differs in seek whence, filestat and
// subscription layouts, and in lacking sock_accept.
#include "runtime/api/wisp.hpp"
#include "wasi/preview1/functions.hpp"
#include "wasi/wasi.hpp"

namespace wisp::wasi {
namespace {

struct Import {
  const char* name;
  FuncType type;
  HostFn fn;
};

template <auto F>
Import imp(const char* name) {
  return {name, wasm_type<F>(), &thunk<F>};
}

// Functions whose ABI is the same in both modules.
std::vector<Import> common_imports() {
  using namespace fn;
  return {
      imp<args_get>("args_get"),
      imp<args_sizes_get>("args_sizes_get"),
      imp<environ_get>("environ_get"),
      imp<environ_sizes_get>("environ_sizes_get"),
      imp<clock_res_get>("clock_res_get"),
      imp<clock_time_get>("clock_time_get"),
      imp<fd_advise>("fd_advise"),
      imp<fd_allocate>("fd_allocate"),
      imp<fd_close>("fd_close"),
      imp<fd_datasync>("fd_datasync"),
      imp<fd_fdstat_get>("fd_fdstat_get"),
      imp<fd_fdstat_set_flags>("fd_fdstat_set_flags"),
      imp<fd_fdstat_set_rights>("fd_fdstat_set_rights"),
      imp<fd_filestat_set_size>("fd_filestat_set_size"),
      imp<fd_filestat_set_times>("fd_filestat_set_times"),
      imp<fd_pread>("fd_pread"),
      imp<fd_prestat_get>("fd_prestat_get"),
      imp<fd_prestat_dir_name>("fd_prestat_dir_name"),
      imp<fd_pwrite>("fd_pwrite"),
      imp<fd_read>("fd_read"),
      imp<fd_readdir>("fd_readdir"),
      imp<fd_renumber>("fd_renumber"),
      imp<fd_sync>("fd_sync"),
      imp<fd_tell>("fd_tell"),
      imp<fd_write>("fd_write"),
      imp<path_create_directory>("path_create_directory"),
      imp<path_filestat_set_times>("path_filestat_set_times"),
      imp<path_link>("path_link"),
      imp<path_open>("path_open"),
      imp<path_readlink>("path_readlink"),
      imp<path_remove_directory>("path_remove_directory"),
      imp<path_rename>("path_rename"),
      imp<path_symlink>("path_symlink"),
      imp<path_unlink_file>("path_unlink_file"),
      Import{"proc_exit", FuncType{{ValType::I32}, {}}, &fn::proc_exit},
      imp<proc_raise>("proc_raise"),
      imp<random_get>("random_get"),
      imp<sched_yield>("sched_yield"),
      imp<sock_recv>("sock_recv"),
      imp<sock_send>("sock_send"),
      imp<sock_shutdown>("sock_shutdown"),
  };
}


const std::vector<Import>& preview1_imports() {
  static const std::vector<Import> p1 = [] {
    using namespace fn;
    std::vector<Import> v = common_imports();
    v.push_back(imp<fd_filestat_get>("fd_filestat_get"));
    v.push_back(imp<fd_seek>("fd_seek"));
    v.push_back(imp<path_filestat_get>("path_filestat_get"));
    v.push_back(imp<poll_oneoff>("poll_oneoff"));
    v.push_back(imp<sock_accept>("sock_accept"));
    return v;
  }();
  return p1;
}

const std::vector<Import>& unstable_imports() {
  static const std::vector<Import> u = [] {
    using namespace fn;
    std::vector<Import> v = common_imports();
    v.push_back(imp<fd_filestat_get_unstable>("fd_filestat_get"));
    v.push_back(imp<fd_seek_unstable>("fd_seek"));
    v.push_back(imp<path_filestat_get_unstable>("path_filestat_get"));
    v.push_back(imp<poll_oneoff_unstable>("poll_oneoff"));
    return v;
  }();
  return u;
}

// Host functions are created when a module first imports them: a program
// that uses fd_write and proc_exit pays for two, not ninety.
void define_lazily(Linker& linker, Store& store, WasiCtx& ctx, const char* module,
                   const std::vector<Import>& imports) {
  linker.define_lazy(module, [&store, &ctx, module, &imports](std::string_view name) -> std::optional<Extern> {
    for (const Import& i : imports) {
      if (name != i.name) continue;
      FuncInst* f = store.host_func(i.type, i.fn, &ctx, std::string(module) + "." + i.name);
      return Extern{ExternKind::Func, f};
    }
    return std::nullopt;
  });
}

}  // namespace

void add_to_linker(Linker& linker, Store& store, WasiCtx& ctx) {
  define_lazily(linker, store, ctx, "wasi_snapshot_preview1", preview1_imports());
  define_lazily(linker, store, ctx, "wasi_unstable", unstable_imports());
}

}  // namespace wisp::wasi
