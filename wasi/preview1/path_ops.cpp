// path_ops.hpp: each operation on a path beneath a directory, once.
#include "wasi/preview1/path_ops.hpp"

#include <dirent.h>
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
#include "wasi/preview1/host_stat.hpp"
#include "wasi/preview1/sandbox.hpp"

namespace wisp::wasi::path_ops {
namespace {

// The host path a descriptor refers to, from /proc; empty if unknown.
std::string host_path_of(int fd) {
  char link[64], buf[PATH_MAX + 1];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = ::readlink(link, buf, PATH_MAX);
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

Errno ok_or_errno(int rc) { return rc == 0 ? Errno::Success : last_errno(); }

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

}  // namespace

Errno stat_at(int root, std::string_view p, bool follow, struct stat& st) {
  sandbox::Target t;
  if (Errno e = resolve_for_stat(root, p, follow, t); e != Errno::Success) return e;
  if (fstatat(t.dir.get(), t.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return last_errno();
  if (t.trailing_slash && !S_ISDIR(st.st_mode)) return Errno::NotDir;
  return Errno::Success;
}

Errno create_directory(int root, std::string_view p) {
  sandbox::Target t;
  if (Errno e = sandbox::resolve(root, p, false, t); e != Errno::Success) return e;
  return ok_or_errno(mkdirat(t.dir.get(), t.name_as_given().c_str(), 0777));
}

Errno set_times(int root, std::string_view p, bool follow, const timespec ts[2]) {
  sandbox::Target t;
  if (Errno e = resolve_for_stat(root, p, follow, t); e != Errno::Success) return e;
  if (Errno e = check_trailing(t); e != Errno::Success) return e;
  return ok_or_errno(utimensat(t.dir.get(), t.name.c_str(), ts, AT_SYMLINK_NOFOLLOW));
}

Errno link(int old_root, std::string_view old_path, bool follow, int new_root, std::string_view new_path) {
  sandbox::Target ot, nt;
  if (Errno e = resolve_for_stat(old_root, old_path, follow, ot); e != Errno::Success) return e;
  if (Errno e = check_trailing(ot); e != Errno::Success) return e;
  if (Errno e = sandbox::resolve(new_root, new_path, false, nt); e != Errno::Success) return e;
  return ok_or_errno(::linkat(ot.dir.get(), ot.name.c_str(), nt.dir.get(), nt.name_as_given().c_str(), 0));
}

Errno readlink(int root, std::string_view p, std::string& target) {
  sandbox::Target t;
  if (Errno e = resolve_for_stat(root, p, false, t); e != Errno::Success) return e;
  if (Errno e = check_trailing(t); e != Errno::Success) return e;
  char raw[PATH_MAX + 1];
  ssize_t n = ::readlinkat(t.dir.get(), t.name.c_str(), raw, sizeof raw);
  if (n < 0) return last_errno();
  target.assign(raw, size_t(n));
  // An absolute target is a host path: never shown as it is. Beneath the
  // directory it is returned relative to the link (which the sandbox then
  // follows); outside, it is refused as following it would be.
  if (!target.empty() && target[0] == '/') {
    std::string rel;
    if (!relative_target(root, t.dir.get(), target, rel)) return Errno::NotCapable;
    target = std::move(rel);
  }
  return Errno::Success;
}

Errno remove_directory(int root, std::string_view p) {
  sandbox::Target t;
  if (Errno e = sandbox::resolve(root, p, false, t); e != Errno::Success) return e;
  return ok_or_errno(unlinkat(t.dir.get(), t.name_as_given().c_str(), AT_REMOVEDIR));
}

Errno rename(int old_root, std::string_view old_path, int new_root, std::string_view new_path) {
  sandbox::Target ot, nt;
  if (Errno e = sandbox::resolve(old_root, old_path, false, ot); e != Errno::Success) return e;
  if (Errno e = sandbox::resolve(new_root, new_path, false, nt); e != Errno::Success) return e;
  return ok_or_errno(::renameat(ot.dir.get(), ot.name_as_given().c_str(), nt.dir.get(), nt.name_as_given().c_str()));
}

// The link's contents are only data until something resolves them, and
// wisp's resolution refuses targets outside the sandbox. Absolute targets
// are still refused here: the directory is shared with the host, whose own
// programs would follow such a link anywhere.
Errno symlink(std::string_view target, int root, std::string_view new_path) {
  if (target.find('\0') != std::string_view::npos) return Errno::Inval;
  if (target.empty()) return Errno::NoEnt;
  if (target[0] == '/') return Errno::Perm;
  sandbox::Target t;
  if (Errno e = sandbox::resolve(root, new_path, false, t); e != Errno::Success) return e;
  return ok_or_errno(::symlinkat(std::string(target).c_str(), t.dir.get(), t.name_as_given().c_str()));
}

Errno unlink_file(int root, std::string_view p) {
  sandbox::Target t;
  if (Errno e = sandbox::resolve(root, p, false, t); e != Errno::Success) return e;
  return ok_or_errno(unlinkat(t.dir.get(), t.name_as_given().c_str(), 0));
}

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

}  // namespace wisp::wasi::path_ops
