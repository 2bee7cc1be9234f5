// Path resolution that never leaves a directory. See SANDBOX.md.
//
// Every path a guest passes to path_* is interpreted relative to one of its
// directory descriptors and must stay beneath it: ".." past that directory,
// absolute paths, and symlinks whose target would leave it are refused with
// ENOTCAPABLE. Two implementations, same contract:
//   * openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS): the kernel enforces
//     containment atomically, including against concurrent renames and
//     symlink swaps;
//   * a portable walk, used where openat2 is missing or filtered: one
//     component at a time with O_PATH | O_NOFOLLOW, symlinks expanded by
//     hand, ".." served from the stack of directories already opened (never
//     by asking the kernel for a parent), so a directory moved elsewhere
//     during the walk cannot lead outside either.
#pragma once
#include <sys/types.h>

#include <string>
#include <string_view>

#include "wasi/preview1/abi.hpp"
#include "wasi/preview1/unique_fd.hpp"

namespace wisp::wasi::sandbox {

enum class Mode : uint8_t { Auto, Openat2, Portable };
// Forces one implementation (tests). Openat2 on a kernel without it fails
// every resolution with ENOSYS.
void set_mode(Mode m);
// Whether the running kernel accepts openat2 with RESOLVE_BENEATH.
bool kernel_has_openat2();
// The implementation in use after Auto is settled.
bool using_openat2();

// Symlinks followed in one resolution before ELOOP (Linux's own limit).
inline constexpr int kMaxSymlinks = 40;

// Checks a guest path before any lookup: ENOTCAPABLE if absolute, ENOENT if
// empty, EINVAL if it contains NUL, EILSEQ if not UTF-8, ENAMETOOLONG if
// longer than PATH_MAX.
Errno check_path(std::string_view path);

// The object a path names, as (directory, one name in it). Operations then
// use the *at syscalls on (dir, name) without following a final symlink, so
// nothing after resolution can walk out of the sandbox.
struct Target {
  UniqueFd dir;                // O_PATH directory holding the final component
  std::string name;            // one component, no '/'; "." for the directory itself
  bool trailing_slash = false; // the path ended in '/': must name a directory
  // name plus the trailing slash, for syscalls that check it themselves and
  // never follow the last component (unlinkat, renameat, mkdirat, ...).
  std::string name_as_given() const { return trailing_slash ? name + "/" : name; }
};

// Resolves every component but the last. With follow, a symlink in the last
// component is expanded too (repeatedly, beneath root) until it names
// something that is not a symlink (or does not exist).
Errno resolve(int root, std::string_view path, bool follow, Target& out);

// openat(root, path, flags, mode) beneath root. follow: whether a symlink in
// the final component is followed (without it, O_NOFOLLOW semantics: ELOOP).
// flags should include O_CLOEXEC.
Errno open_beneath(int root, std::string_view path, int flags, mode_t mode, bool follow,
                   UniqueFd& out);

// Opens the directory path names beneath root as an O_PATH descriptor.
Errno open_dir(int root, std::string_view path, UniqueFd& out);

inline bool has_trailing_slash(std::string_view path) {
  return !path.empty() && path.back() == '/';
}

}  // namespace wisp::wasi::sandbox
