#include "wasi/preview1/sandbox.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "wasi/preview1/errno_map.hpp"

namespace wisp::wasi::sandbox {
namespace {

// openat2 is recent (Linux 5.6); spell out its ABI rather than depend on the
// headers having it. The syscall number is the same on every architecture.
struct OpenHow {
  uint64_t flags;
  uint64_t mode;
  uint64_t resolve;
};
constexpr uint64_t kResolveNoMagiclinks = 0x02;
constexpr uint64_t kResolveBeneath = 0x08;
constexpr long kSysOpenat2 = 437;

long raw_openat2(int dir, const char* path, uint64_t flags, uint64_t mode) {
  OpenHow how{flags, mode, kResolveBeneath | kResolveNoMagiclinks};
  return syscall(kSysOpenat2, dir, path, &how, sizeof how);
}

// 0 = not decided yet, 1 = openat2, 2 = portable.
std::atomic<int> g_impl{0};
Mode g_forced = Mode::Auto;

bool probe_openat2() {
  long fd = raw_openat2(AT_FDCWD, ".", O_PATH | O_CLOEXEC, 0);
  if (fd >= 0) {
    ::close(int(fd));
    return true;
  }
  // ENOSYS: old kernel. EPERM/EACCES: a seccomp filter. E2BIG/EINVAL: a
  // kernel that does not know these resolve flags. All mean "walk by hand".
  return false;
}

bool use_openat2() {
  if (g_forced == Mode::Openat2) return true;
  if (g_forced == Mode::Portable) return false;
  int v = g_impl.load(std::memory_order_relaxed);
  if (v == 0) {
    // WISP_WASI_RESOLVER=portable selects the fallback even where openat2
    // works, so the fallback can be tested end to end on any kernel. It can
    // only choose between two implementations of the same guarantee.
    const char* force = getenv("WISP_WASI_RESOLVER");
    bool portable = force && std::string_view(force) == "portable";
    v = !portable && probe_openat2() ? 1 : 2;
    g_impl.store(v, std::memory_order_relaxed);
  }
  return v == 1;
}

bool valid_utf8(std::string_view s) {
  size_t i = 0, n = s.size();
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) len = 2, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0) len = 3, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0) len = 4, cp = c & 0x07;
    else return false;
    if (n - i < len) return false;
    for (size_t k = 1; k < len; ++k) {
      unsigned char d = s[i + k];
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

// Host errno of a failed openat2, in WASI terms. EXDEV is what the kernel
// says when resolution would leave the directory.
Errno openat2_errno(int e) {
  if (e == EXDEV) return Errno::NotCapable;
  return from_host_errno(e);
}

// Reads the target of a symlink: (dir, name), or the link itself when dir
// is an O_PATH descriptor of it and name is "".
Errno read_link(int dir, const char* name, std::string& out) {
  char buf[PATH_MAX + 1];
  ssize_t n = readlinkat(dir, name, buf, sizeof buf);
  if (n < 0) return last_errno();
  if (size_t(n) >= sizeof buf) return Errno::NameTooLong;
  out.assign(buf, size_t(n));
  return Errno::Success;
}

// Appends path's components to `pending`, which is consumed from the back.
void push_components(std::vector<std::string>& pending, std::string_view path) {
  size_t end = path.size();
  while (end > 0) {
    size_t start = path.rfind('/', end - 1);
    start = start == std::string_view::npos ? 0 : start + 1;
    if (end > start) pending.emplace_back(path.substr(start, end - start));
    end = start == 0 ? 0 : start - 1;
  }
}

// The portable walk: every component opened with O_PATH | O_NOFOLLOW from the
// directory before it, so the kernel never follows a symlink or ".." for us.
Errno walk_dir(int root, std::string_view path, UniqueFd& out) {
  std::vector<UniqueFd> stack;  // directories entered below root, innermost last
  std::vector<std::string> pending;
  push_components(pending, path);
  int hops = 0;
  while (!pending.empty()) {
    std::string c = std::move(pending.back());
    pending.pop_back();
    if (c == ".") continue;
    if (c == "..") {
      if (stack.empty()) return Errno::NotCapable;
      stack.pop_back();
      continue;
    }
    int cur = stack.empty() ? root : stack.back().get();
    UniqueFd fd(openat(cur, c.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.valid()) return last_errno();
    struct stat st;
    if (fstat(fd.get(), &st) != 0) return last_errno();
    if (S_ISLNK(st.st_mode)) {
      if (++hops > kMaxSymlinks) return Errno::Loop;
      std::string target;
      if (Errno e = read_link(fd.get(), "", target); e != Errno::Success) return e;
      if (target.empty()) return Errno::NoEnt;
      if (target[0] == '/') return Errno::NotCapable;
      push_components(pending, target);
      continue;
    }
    if (!S_ISDIR(st.st_mode)) return Errno::NotDir;
    stack.push_back(std::move(fd));
  }
  if (!stack.empty()) {
    out = std::move(stack.back());
    return Errno::Success;
  }
  // The path named root itself; it must be a directory.
  UniqueFd self(openat(root, ".", O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!self.valid()) return last_errno();
  out = std::move(self);
  return Errno::Success;
}

Errno open_dir_impl(int root, std::string_view path, UniqueFd& out) {
  if (!use_openat2()) return walk_dir(root, path, out);
  std::string p(path);
  for (int attempt = 0;; ++attempt) {
    long fd = raw_openat2(root, p.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
    if (fd >= 0) {
      out.reset(int(fd));
      return Errno::Success;
    }
    // EAGAIN: a rename raced with a ".." lookup; the kernel asks us to retry.
    if (errno == EAGAIN && attempt < 16) continue;
    return openat2_errno(errno);
  }
}

// Splits "a/b/c//" into parent "a/b", name "c", trailing slash. A path with no
// slash has parent ".".
void split_last(std::string_view path, std::string_view& parent, std::string_view& name,
                bool& trailing) {
  size_t end = path.size();
  while (end > 0 && path[end - 1] == '/') --end;
  trailing = end < path.size();
  std::string_view stripped = path.substr(0, end);
  size_t slash = stripped.rfind('/');
  if (slash == std::string_view::npos) {
    parent = ".";
    name = stripped;
  } else {
    parent = stripped.substr(0, slash);
    name = stripped.substr(slash + 1);
    if (parent.empty()) parent = "/";  // cannot happen: absolute paths are refused first
  }
}

}  // namespace

void set_mode(Mode m) { g_forced = m; }
bool kernel_has_openat2() { return probe_openat2(); }
bool using_openat2() { return use_openat2(); }

Errno check_path(std::string_view path) {
  if (path.empty()) return Errno::NoEnt;
  if (path.size() > PATH_MAX) return Errno::NameTooLong;
  if (path.find('\0') != std::string_view::npos) return Errno::Inval;
  if (!valid_utf8(path)) return Errno::Ilseq;
  if (path[0] == '/') return Errno::NotCapable;
  return Errno::Success;
}

Errno open_dir(int root, std::string_view path, UniqueFd& out) {
  if (Errno e = check_path(path); e != Errno::Success) return e;
  return open_dir_impl(root, path, out);
}

Errno resolve(int root, std::string_view path_in, bool follow, Target& out) {
  if (Errno e = check_path(path_in); e != Errno::Success) return e;
  std::string path(path_in);
  for (int hops = 0;; ++hops) {
    std::string_view parent, name;
    bool trailing;
    split_last(path, parent, name, trailing);
    if (name == "." || name == "..") {
      // The path names a directory by way of "." or "..": the directory
      // itself is the target.
      out.trailing_slash = false;
      out.name.assign(1, '.');  // (= "." trips a GCC 12 -Wrestrict false positive)
      return open_dir_impl(root, path, out.dir);
    }
    UniqueFd dir;
    if (Errno e = open_dir_impl(root, parent, dir); e != Errno::Success) return e;
    std::string name_str(name);
    if (follow) {
      std::string target;
      Errno e = read_link(dir.get(), name_str.c_str(), target);
      if (e == Errno::Success) {
        // A symlink: continue from the directory that holds it.
        if (hops >= kMaxSymlinks) return Errno::Loop;
        if (target.empty()) return Errno::NoEnt;
        if (target[0] == '/') return Errno::NotCapable;
        std::string next = parent == "." ? std::string() : std::string(parent) + "/";
        next += target;
        if (trailing) next += '/';
        if (next.size() > 4 * PATH_MAX) return Errno::NameTooLong;
        path = std::move(next);
        continue;
      }
      // EINVAL: not a symlink; ENOENT: nothing there yet. Either way the
      // name itself is the target. Anything else (EACCES, ENOTDIR) is real.
      if (e != Errno::Inval && e != Errno::NoEnt) return e;
    }
    out.dir = std::move(dir);
    out.name = std::move(name_str);
    out.trailing_slash = trailing;
    return Errno::Success;
  }
}

Errno open_beneath(int root, std::string_view path, int flags, mode_t mode, bool follow,
                   UniqueFd& out) {
  if (Errno e = check_path(path); e != Errno::Success) return e;
  // O_CREAT | O_EXCL never follows a final symlink (POSIX).
  if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) follow = false;
  if (!(flags & O_CREAT)) mode = 0;  // openat2 insists
  if (use_openat2()) {
    std::string p(path);
    int f = flags | (follow ? 0 : O_NOFOLLOW);
    for (int attempt = 0;; ++attempt) {
      long fd = raw_openat2(root, p.c_str(), uint64_t(f), mode);
      if (fd >= 0) {
        out.reset(int(fd));
        return Errno::Success;
      }
      if (errno == EAGAIN && attempt < 16) continue;
      return openat2_errno(errno);
    }
  }
  // Portable: resolve to (dir, name) and open the name without following. If
  // the name turned into a symlink since resolve() looked (ELOOP), look again.
  // A trailing slash follows the last symlink, as in the kernel's own lookup.
  if (has_trailing_slash(path)) follow = true;
  for (int attempt = 0;; ++attempt) {
    Target t;
    if (Errno e = resolve(root, path, follow, t); e != Errno::Success) return e;
    int f = flags | O_NOFOLLOW | (t.trailing_slash ? O_DIRECTORY : 0);
    int fd = openat(t.dir.get(), t.name.c_str(), f, mode);
    if (fd >= 0) {
      out.reset(fd);
      return Errno::Success;
    }
    if (errno == ELOOP && follow && attempt < 8) continue;
    return last_errno();
  }
}

}  // namespace wisp::wasi::sandbox
