// WASI 0.2's context and the table of host resources (host.hpp, table.hpp).
#include "wasi/preview2/host.hpp"

#include "wasi/preview2/http.hpp"
#include "wasi/preview2/values.hpp"

namespace wisp::wasi::p2 {

Result<std::unique_ptr<Context>> Context::create(const WasiConfig& cfg) {
  auto caps = WasiCtx::create(cfg);
  if (!caps.ok()) return caps.take_error();
  auto ctx = std::make_unique<Context>();
  ctx->caps = std::move(caps.value());
  ctx->args = cfg.args;
  ctx->env = cfg.env;
  ctx->allow_http = cfg.allow_http;
  return ctx;
}

void define(component::ComponentLinker& linker, Context& ctx) {
  define_cli(linker, ctx);
  define_io(linker, ctx);
  define_filesystem(linker, ctx);
  define_http(linker, ctx);
}

uint32_t Table::add(Entry e) {
  uint32_t rep;
  if (!free_.empty()) {
    rep = free_.back();
    free_.pop_back();
  } else {
    rep = uint32_t(entries_.size());
    entries_.emplace_back();
  }
  entries_[rep] = std::move(e);
  return rep;
}

void Table::remove(uint32_t rep) {
  if (rep == 0 || rep >= entries_.size() || entries_[rep].kind == Kind::Free) return;
  entries_[rep] = Entry{};
  free_.push_back(rep);
}

uint32_t error_code(Errno e) {
  switch (e) {
    case Errno::Acces: return 0;
    case Errno::Again: return 1;
    case Errno::Already: return 2;
    case Errno::Badf: return 3;
    case Errno::Busy: return 4;
    case Errno::Deadlk: return 5;
    case Errno::Dquot: return 6;
    case Errno::Exist: return 7;
    case Errno::Fbig: return 8;
    case Errno::Ilseq: return 9;
    case Errno::InProgress: return 10;
    case Errno::Intr: return 11;
    case Errno::Inval: return 12;
    case Errno::Io: return 13;
    case Errno::IsDir: return 14;
    case Errno::Loop: return 15;
    case Errno::Mlink: return 16;
    case Errno::MsgSize: return 17;
    case Errno::NameTooLong: return 18;
    case Errno::NoDev: return 19;
    case Errno::NoEnt: return 20;
    case Errno::NoLck: return 21;
    case Errno::NoMem: return 22;
    case Errno::NoSpc: return 23;
    case Errno::NotDir: return 24;
    case Errno::NotEmpty: return 25;
    case Errno::NotRecoverable: return 26;
    case Errno::NotSup:
    case Errno::NoSys: return 27;
    case Errno::NotTy: return 28;
    case Errno::Nxio: return 29;
    case Errno::Overflow: return 30;
    case Errno::Perm:
    case Errno::NotCapable: return 31;  // leaving the sandbox: not-permitted, as the WIT says
    case Errno::Pipe: return 32;
    case Errno::Rofs: return 33;
    case Errno::Spipe: return 34;
    case Errno::TxtBsy: return 35;
    case Errno::Xdev: return 36;
    default: return 13;  // io
  }
}

}  // namespace wisp::wasi::p2
