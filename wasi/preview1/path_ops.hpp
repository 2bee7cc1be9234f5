// Operations on a path beneath a directory descriptor, shared by WASI
// preview 1 (path.cpp) and WASI 0.2 (preview2/filesystem.cpp): the
// capability layer's one implementation of each. Every path resolves with
// the sandbox (sandbox.hpp) to (directory, name) and the operation acts on
// that name with an *at syscall that does not follow a final symlink, so
// nothing here can reach outside `root`. Errors are WASI errnos.
#pragma once
#include <sys/stat.h>
#include <time.h>

#include <string>
#include <string_view>

#include "wasi/preview1/abi.hpp"
#include "wasi/preview1/fd_table.hpp"

namespace wisp::wasi::path_ops {

// stat of what p names; follow: a final symlink is followed (a trailing
// slash follows it too and requires a directory).
Errno stat_at(int root, std::string_view p, bool follow, struct stat& st);
Errno create_directory(int root, std::string_view p);
Errno set_times(int root, std::string_view p, bool follow, const timespec ts[2]);
Errno link(int old_root, std::string_view old_path, bool follow, int new_root, std::string_view new_path);
// A link's target; an absolute one beneath root comes back relative to the
// link, one outside is refused (ENOTCAPABLE): host paths are never shown.
Errno readlink(int root, std::string_view p, std::string& target);
Errno remove_directory(int root, std::string_view p);
Errno rename(int old_root, std::string_view old_path, int new_root, std::string_view new_path);
// Absolute targets are refused (EPERM).
Errno symlink(std::string_view target, int root, std::string_view new_path);
Errno unlink_file(int root, std::string_view p);

// Every entry of the directory dirfd ("." and ".." included), read through a
// fresh descriptor so dirfd's offset stays untouched.
Errno snapshot(int dirfd, DirSnapshot& out);

}  // namespace wisp::wasi::path_ops
