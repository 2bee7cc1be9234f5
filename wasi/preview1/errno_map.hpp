// Host errno -> WASI errno.
#pragma once
#include "wasi/preview1/abi.hpp"

namespace wisp::wasi {

// Maps a Linux errno; anything without a WASI counterpart becomes EIO.
Errno from_host_errno(int e);
// from_host_errno(errno), for the common "syscall failed" path.
Errno last_errno();

}  // namespace wisp::wasi
