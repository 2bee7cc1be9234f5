// fd_readdir: directory listings in the guest's buffer, resumable by cookie.
#include <cstring>

#include "wasi/preview1/functions.hpp"
#include "wasi/preview1/host_stat.hpp"
#include "wasi/preview1/path_ops.hpp"
#include "wasi/wasi.hpp"

namespace wisp::wasi::fn {
// Cookies are positions in a snapshot taken when the listing starts (cookie
// 0); d_next of each entry is the cookie of the one after it. An entry that
// does not fit is written truncated, which tells the guest the buffer was
// full (bufused == buf_len), as the spec describes.
Errno fd_readdir(Call& c, u32 fd, u32 buf, u32 buf_len, u64 cookie, u32 bufused_out) {
  FdEntry* e;
  if (Errno err = c.ctx.fds.get(fd, right::FdReaddir, e); err != Errno::Success) return err;
  if (e->kind != FdKind::Directory) return Errno::NotDir;
  uint8_t* p = c.mem.ptr(buf, buf_len);
  if (!p || !c.mem.in_bounds(bufused_out, 4)) return Errno::Fault;
  if (cookie == 0 || !e->dir) {
    auto snap = std::make_unique<DirSnapshot>();
    if (Errno err = path_ops::snapshot(e->host, *snap); err != Errno::Success) return err;
    e->dir = std::move(snap);
  }
  const auto& entries = e->dir->entries;
  uint32_t used = 0;
  for (uint64_t i = cookie; i < entries.size() && used < buf_len; ++i) {
    const DirSnapshot::Entry& de = entries[i];
    uint8_t hdr[layout::kDirentSize] = {};
    put<uint64_t>(hdr, layout::kDirentNext, i + 1);
    put<uint64_t>(hdr, layout::kDirentIno, de.ino);
    put<uint32_t>(hdr, layout::kDirentNamlen, uint32_t(de.name.size()));
    put<uint8_t>(hdr, layout::kDirentType, uint8_t(de.type));
    uint32_t n = std::min<uint32_t>(layout::kDirentSize, buf_len - used);
    std::memcpy(p + used, hdr, n);
    used += n;
    n = uint32_t(std::min<uint64_t>(de.name.size(), buf_len - used));
    std::memcpy(p + used, de.name.data(), n);
    used += n;
  }
  c.mem.store<uint32_t>(bufused_out, used);
  return Errno::Success;
}

}  // namespace wisp::wasi::fn
