// Every WASI function, in the form thunk<> adapts (see call.hpp). Names are
// the import names; the _unstable variants implement wasi_unstable where
// its ABI differs from preview1 (whence encoding, filestat and subscription
// layouts).
#pragma once
#include <cstdint>

#include "wasi/preview1/call.hpp"

namespace wisp::wasi::fn {

using u32 = uint32_t;
using u64 = uint64_t;

// args_env.cpp
Errno args_get(Call&, u32 argv, u32 argv_buf);
Errno args_sizes_get(Call&, u32 argc_out, u32 buf_size_out);
Errno environ_get(Call&, u32 environ, u32 environ_buf);
Errno environ_sizes_get(Call&, u32 count_out, u32 buf_size_out);

// clocks_random.cpp
Errno clock_res_get(Call&, u32 id, u32 out);
Errno clock_time_get(Call&, u32 id, u64 precision, u32 out);
Errno random_get(Call&, u32 buf, u32 len);

// fd_io.cpp
Errno fd_read(Call&, u32 fd, u32 iovs, u32 iovs_len, u32 nread_out);
Errno fd_write(Call&, u32 fd, u32 iovs, u32 iovs_len, u32 nwritten_out);
Errno fd_pread(Call&, u32 fd, u32 iovs, u32 iovs_len, u64 offset, u32 nread_out);
Errno fd_pwrite(Call&, u32 fd, u32 iovs, u32 iovs_len, u64 offset, u32 nwritten_out);
Errno fd_seek(Call&, u32 fd, u64 offset, u32 whence, u32 newoffset_out);
Errno fd_seek_unstable(Call&, u32 fd, u64 offset, u32 whence, u32 newoffset_out);
Errno fd_tell(Call&, u32 fd, u32 offset_out);

// fd_meta.cpp
Errno fd_advise(Call&, u32 fd, u64 offset, u64 len, u32 advice);
Errno fd_allocate(Call&, u32 fd, u64 offset, u64 len);
Errno fd_close(Call&, u32 fd);
Errno fd_datasync(Call&, u32 fd);
Errno fd_sync(Call&, u32 fd);
Errno fd_fdstat_get(Call&, u32 fd, u32 out);
Errno fd_fdstat_set_flags(Call&, u32 fd, u32 flags);
Errno fd_fdstat_set_rights(Call&, u32 fd, u64 base, u64 inheriting);
Errno fd_filestat_get(Call&, u32 fd, u32 out);
Errno fd_filestat_get_unstable(Call&, u32 fd, u32 out);
Errno fd_filestat_set_size(Call&, u32 fd, u64 size);
Errno fd_filestat_set_times(Call&, u32 fd, u64 atim, u64 mtim, u32 fst_flags);
Errno fd_prestat_get(Call&, u32 fd, u32 out);
Errno fd_prestat_dir_name(Call&, u32 fd, u32 path, u32 path_len);
Errno fd_renumber(Call&, u32 fd, u32 to);

// fd_readdir.cpp
Errno fd_readdir(Call&, u32 fd, u32 buf, u32 buf_len, u64 cookie, u32 bufused_out);

// path_open.cpp
Errno path_open(Call&, u32 dirfd, u32 dirflags, u32 path, u32 path_len, u32 oflags,
                u64 rights_base, u64 rights_inheriting, u32 fdflags, u32 fd_out);

// path.cpp
Errno path_create_directory(Call&, u32 fd, u32 path, u32 path_len);
Errno path_filestat_get(Call&, u32 fd, u32 flags, u32 path, u32 path_len, u32 out);
Errno path_filestat_get_unstable(Call&, u32 fd, u32 flags, u32 path, u32 path_len, u32 out);
Errno path_filestat_set_times(Call&, u32 fd, u32 flags, u32 path, u32 path_len, u64 atim,
                              u64 mtim, u32 fst_flags);
Errno path_link(Call&, u32 old_fd, u32 old_flags, u32 old_path, u32 old_len, u32 new_fd,
                u32 new_path, u32 new_len);
Errno path_readlink(Call&, u32 fd, u32 path, u32 path_len, u32 buf, u32 buf_len,
                    u32 bufused_out);
Errno path_remove_directory(Call&, u32 fd, u32 path, u32 path_len);
Errno path_rename(Call&, u32 fd, u32 old_path, u32 old_len, u32 new_fd, u32 new_path,
                  u32 new_len);
Errno path_symlink(Call&, u32 old_path, u32 old_len, u32 fd, u32 new_path, u32 new_len);
Errno path_unlink_file(Call&, u32 fd, u32 path, u32 path_len);

// poll.cpp
Errno poll_oneoff(Call&, u32 in, u32 out, u32 nsubscriptions, u32 nevents_out);
Errno poll_oneoff_unstable(Call&, u32 in, u32 out, u32 nsubscriptions, u32 nevents_out);

// proc.cpp (proc_exit has no result and is a HostFn of its own)
TrapKind proc_exit(HostContext& hc, Slot* args);
Errno proc_raise(Call&, u32 sig);
Errno sched_yield(Call&);

// sock.cpp
Errno sock_accept(Call&, u32 fd, u32 flags, u32 fd_out);
Errno sock_recv(Call&, u32 fd, u32 ri_data, u32 ri_data_len, u32 ri_flags, u32 ro_datalen_out,
                u32 ro_flags_out);
Errno sock_send(Call&, u32 fd, u32 si_data, u32 si_data_len, u32 si_flags, u32 so_datalen_out);
Errno sock_shutdown(Call&, u32 fd, u32 how);

}  // namespace wisp::wasi::fn
