// fd_readdir: directory listings in the guest's buffer, resumable by cookie.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "wasi/preview1/errno_map.hpp"
#include "wasi/preview1/functions.hpp"
#include "wasi/preview1/host_stat.hpp"
#include "wasi/wasi.hpp"

namespace wisp::wasi::fn {
namespace {

Filetype from_dtype(unsigned char t) {
  switch (t) {
    case DT_REG: return Filetype::RegularFile;
    case DT_DIR: return Filetype::Directory;
    case DT_LNK: return Filetype::SymbolicLink;
    case DT_CHR: return Filetype::CharacterDevice;
    case DT_BLK: return Filetype::BlockDevice;
    case DT_SOCK: return Filetype::SocketStream;
    default: return Filetype::Unknown;
  }
}

// Reads the whole directory. A fresh descriptor for "." keeps the guest's
// descriptor (and its offset) untouched.
Errno snapshot(int dirfd, DirSnapshot& out) {
  int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return last_errno();
  DIR* d = fdopendir(fd);
  if (!d) {
    Errno e = last_errno();
    close(fd);
    return e;
  }
  out.entries.clear();
  errno = 0;
  while (dirent* de = readdir(d)) {
    Filetype t = from_dtype(de->d_type);
    if (de->d_type == DT_UNKNOWN) {
      struct stat st;
      if (fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) t = filetype_from_mode(st.st_mode);
    }
    out.entries.push_back({uint64_t(de->d_ino), t, de->d_name});
    errno = 0;
  }
  Errno e = errno ? last_errno() : Errno::Success;
  closedir(d);
  return e;
}

}  // namespace

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
    if (Errno err = snapshot(e->host, *snap); err != Errno::Success) return err;
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
