// path_* operations other than path_open. Each resolves its path(s) with
// the sandbox to (directory, name) and then acts on that name with an *at
// syscall that does not follow a final symlink, so nothing here can reach
// outside the directory the guest named.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "wasi/preview1/errno_map.hpp"
#include "wasi/preview1/functions.hpp"
#include "wasi/preview1/host_stat.hpp"
#include "wasi/preview1/sandbox.hpp"
#include "wasi/wasi.hpp"

namespace wisp::wasi::fn {
namespace {

// The host path a descriptor refers to, from /proc; empty if unknown.
std::string host_path_of(int fd) {
  char link[64], buf[PATH_MAX + 1];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, buf, PATH_MAX);
  if (n <= 0 || buf[0] != '/') return {};
  return std::string(buf, size_t(n));
}

// Splits an absolute path into components, resolving "." and ".."
// lexically.
std::vector<std::string_view> components(std::string_view p) {
  std::vector<std::string_view> out;
  while (!p.empty()) {
    size_t slash = p.find('/');
    std::string_view c = p.substr(0, slash);
    p = slash == std::string_view::npos ? std::string_view() : p.substr(slash + 1);
    if (c.empty() || c == ".") continue;
    if (c == "..") {
      if (!out.empty()) out.pop_back();
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// An absolute symlink target (which names a host path the guest must not
// learn) as the guest can use it: relative to the link's own directory when
// it points beneath `root`, the directory the guest resolved from. False
// when it points outside, or the host paths cannot be known.
bool relative_target(int root, int link_dir, std::string_view target, std::string& out) {
  std::string root_path = host_path_of(root), link_path = host_path_of(link_dir);
  if (root_path.empty() || link_path.empty()) return false;
  auto r = components(root_path), d = components(link_path), t = components(target);
  auto under = [&](const std::vector<std::string_view>& v) {
    return v.size() >= r.size() && std::equal(r.begin(), r.end(), v.begin());
  };
  if (!under(d) || !under(t)) return false;
  size_t common = 0;
  while (common < d.size() && common < t.size() && d[common] == t[common]) ++common;
  out.clear();
  for (size_t i = common; i < d.size(); ++i) out += out.empty() ? ".." : "/..";
  for (size_t i = common; i < t.size(); ++i) {
    if (!out.empty()) out += '/';
    out += t[i];
  }
  if (out.empty()) out = ".";
  return true;
}

// The directory descriptor (with `needed` rights) and the guest's path.
Errno dir_path(Call& c, u32 fd, Rights needed, u32 path, u32 len, FdEntry*& dir,
               std::string_view& p) {
  if (Errno e = c.ctx.fds.get(fd, needed, dir); e != Errno::Success) return e;
  if (dir->kind != FdKind::Directory) return Errno::NotDir;
  if (!c.mem.view(path, len, p)) return Errno::Fault;
  return Errno::Success;
}

// Resolves for an operation that reads through the final component: it
// follows a final symlink when asked to, or when a trailing slash requires
// the target to be a directory (as the kernel's lookup would).
Errno resolve_for_stat(int root, std::string_view p, bool follow, sandbox::Target& t) {
  return sandbox::resolve(root, p, follow || sandbox::has_trailing_slash(p), t);
}

// With a trailing slash the target must be a directory.
Errno check_trailing(const sandbox::Target& t) {
  if (!t.trailing_slash) return Errno::Success;
  struct stat st;
  if (fstatat(t.dir.get(), t.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return last_errno();
  return S_ISDIR(st.st_mode) ? Errno::Success : Errno::NotDir;
}

Errno filestat_get(Call& c, u32 fd, u32 flags, u32 path, u32 len, u32 out,
                   const layout::Filestat& l) {
  FdEntry* dir;
  std::string_view p;
  if (Errno e = dir_path(c, fd, right::PathFilestatGet, path, len, dir, p); e != Errno::Success)
    return e;
  if (flags & ~lookupflags::SymlinkFollow) return Errno::Inval;
  if (!c.mem.in_bounds(out, l.size)) return Errno::Fault;
  sandbox::Target t;
  bool follow = flags & lookupflags::SymlinkFollow;
  if (Errno e = resolve_for_stat(dir->host, p, follow, t); e != Errno::Success) return e;
  struct stat st;
  if (fstatat(t.dir.get(), t.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return last_errno();
  if (t.trailing_slash && !S_ISDIR(st.st_mode)) return Errno::NotDir;
  return write_filestat(c.mem, out, st, l);
}

}  // namespace

Errno path_create_directory(Call& c, u32 fd, u32 path, u32 len) {
  FdEntry* dir;
  std::string_view p;
  if (Errno e = dir_path(c, fd, right::PathCreateDirectory, path, len, dir, p); e != Errno::Success)
    return e;
  sandbox::Target t;
  if (Errno e = sandbox::resolve(dir->host, p, false, t); e != Errno::Success) return e;
  return mkdirat(t.dir.get(), t.name_as_given().c_str(), 0777) == 0 ? Errno::Success
                                                                    : last_errno();
}

Errno path_filestat_get(Call& c, u32 fd, u32 flags, u32 path, u32 len, u32 out) {
  return filestat_get(c, fd, flags, path, len, out, layout::kFilestatP1);
}
Errno path_filestat_get_unstable(Call& c, u32 fd, u32 flags, u32 path, u32 len, u32 out) {
  return filestat_get(c, fd, flags, path, len, out, layout::kFilestatUnstable);
}

Errno path_filestat_set_times(Call& c, u32 fd, u32 flags, u32 path, u32 len, u64 atim, u64 mtim,
                              u32 fst) {
  FdEntry* dir;
  std::string_view p;
  if (Errno e = dir_path(c, fd, right::PathFilestatSetTimes, path, len, dir, p);
      e != Errno::Success)
    return e;
  if (flags & ~lookupflags::SymlinkFollow) return Errno::Inval;
  timespec ts[2];
  if (Errno e = times_from_flags(atim, mtim, fst, ts); e != Errno::Success) return e;
  sandbox::Target t;
  bool follow = flags & lookupflags::SymlinkFollow;
  if (Errno e = resolve_for_stat(dir->host, p, follow, t); e != Errno::Success) return e;
  if (Errno e = check_trailing(t); e != Errno::Success) return e;
  return utimensat(t.dir.get(), t.name.c_str(), ts, AT_SYMLINK_NOFOLLOW) == 0 ? Errno::Success
                                                                              : last_errno();
}

Errno path_link(Call& c, u32 old_fd, u32 old_flags, u32 old_path, u32 old_len, u32 new_fd,
                u32 new_path, u32 new_len) {
  FdEntry *odir, *ndir;
  std::string_view op, np;
  if (Errno e = dir_path(c, old_fd, right::PathLinkSource, old_path, old_len, odir, op);
      e != Errno::Success)
    return e;
  if (Errno e = dir_path(c, new_fd, right::PathLinkTarget, new_path, new_len, ndir, np);
      e != Errno::Success)
    return e;
  if (old_flags & ~lookupflags::SymlinkFollow) return Errno::Inval;
  sandbox::Target ot, nt;
  bool follow = old_flags & lookupflags::SymlinkFollow;
  if (Errno e = resolve_for_stat(odir->host, op, follow, ot); e != Errno::Success) return e;
  if (Errno e = check_trailing(ot); e != Errno::Success) return e;
  if (Errno e = sandbox::resolve(ndir->host, np, false, nt); e != Errno::Success) return e;
  return linkat(ot.dir.get(), ot.name.c_str(), nt.dir.get(), nt.name_as_given().c_str(), 0) == 0
             ? Errno::Success
             : last_errno();
}

Errno path_readlink(Call& c, u32 fd, u32 path, u32 len, u32 buf, u32 buf_len, u32 bufused_out) {
  FdEntry* dir;
  std::string_view p;
  if (Errno e = dir_path(c, fd, right::PathReadlink, path, len, dir, p); e != Errno::Success)
    return e;
  uint8_t* out = c.mem.ptr(buf, buf_len);
  if (!out || !c.mem.in_bounds(bufused_out, 4)) return Errno::Fault;
  sandbox::Target t;
  if (Errno e = resolve_for_stat(dir->host, p, false, t); e != Errno::Success) return e;
  if (Errno e = check_trailing(t); e != Errno::Success) return e;
  char raw[PATH_MAX + 1];
  ssize_t n = readlinkat(t.dir.get(), t.name.c_str(), raw, sizeof raw);
  if (n < 0) return last_errno();
  std::string target(raw, size_t(n));
  // An absolute target is a host path: never shown as it is. Beneath the
  // directory it is returned relative to the link (which the sandbox then
  // follows); outside, it is refused as following it would be.
  if (!target.empty() && target[0] == '/') {
    std::string rel;
    if (!relative_target(dir->host, t.dir.get(), target, rel)) return Errno::NotCapable;
    target = std::move(rel);
  }
  // Like readlink(2), a short buffer gets the first buf_len bytes.
  uint32_t copy = uint32_t(std::min<uint64_t>(target.size(), buf_len));
  std::memcpy(out, target.data(), copy);
  c.mem.store<uint32_t>(bufused_out, copy);
  return Errno::Success;
}

Errno path_remove_directory(Call& c, u32 fd, u32 path, u32 len) {
  FdEntry* dir;
  std::string_view p;
  if (Errno e = dir_path(c, fd, right::PathRemoveDirectory, path, len, dir, p);
      e != Errno::Success)
    return e;
  sandbox::Target t;
  if (Errno e = sandbox::resolve(dir->host, p, false, t); e != Errno::Success) return e;
  return unlinkat(t.dir.get(), t.name_as_given().c_str(), AT_REMOVEDIR) == 0 ? Errno::Success
                                                                             : last_errno();
}

Errno path_rename(Call& c, u32 fd, u32 old_path, u32 old_len, u32 new_fd, u32 new_path,
                  u32 new_len) {
  FdEntry *odir, *ndir;
  std::string_view op, np;
  if (Errno e = dir_path(c, fd, right::PathRenameSource, old_path, old_len, odir, op);
      e != Errno::Success)
    return e;
  if (Errno e = dir_path(c, new_fd, right::PathRenameTarget, new_path, new_len, ndir, np);
      e != Errno::Success)
    return e;
  sandbox::Target ot, nt;
  if (Errno e = sandbox::resolve(odir->host, op, false, ot); e != Errno::Success) return e;
  if (Errno e = sandbox::resolve(ndir->host, np, false, nt); e != Errno::Success) return e;
  return renameat(ot.dir.get(), ot.name_as_given().c_str(), nt.dir.get(),
                  nt.name_as_given().c_str()) == 0
             ? Errno::Success
             : last_errno();
}

// The link's contents are only data until something resolves them, and
// wisp's resolution refuses targets outside the sandbox. Absolute targets
// are still refused here: the directory is shared with the host, whose own
// programs would follow such a link anywhere.
Errno path_symlink(Call& c, u32 old_path, u32 old_len, u32 fd, u32 new_path, u32 new_len) {
  FdEntry* dir;
  std::string_view np, target;
  if (Errno e = dir_path(c, fd, right::PathSymlink, new_path, new_len, dir, np); e != Errno::Success)
    return e;
  if (!c.mem.view(old_path, old_len, target)) return Errno::Fault;
  if (target.find('\0') != std::string_view::npos) return Errno::Inval;
  if (target.empty()) return Errno::NoEnt;
  if (target[0] == '/') return Errno::Perm;
  sandbox::Target t;
  if (Errno e = sandbox::resolve(dir->host, np, false, t); e != Errno::Success) return e;
  std::string tgt(target);
  return symlinkat(tgt.c_str(), t.dir.get(), t.name_as_given().c_str()) == 0 ? Errno::Success
                                                                            : last_errno();
}

Errno path_unlink_file(Call& c, u32 fd, u32 path, u32 len) {
  FdEntry* dir;
  std::string_view p;
  if (Errno e = dir_path(c, fd, right::PathUnlinkFile, path, len, dir, p); e != Errno::Success)
    return e;
  sandbox::Target t;
  if (Errno e = sandbox::resolve(dir->host, p, false, t); e != Errno::Success) return e;
  return unlinkat(t.dir.get(), t.name_as_given().c_str(), 0) == 0 ? Errno::Success
                                                                 : last_errno();
}

}  // namespace wisp::wasi::fn
