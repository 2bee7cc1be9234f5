// sock_accept, sock_recv, sock_send, sock_shutdown. The guest cannot create
// sockets or connect anywhere: it only has listeners the host preopened
// (--tcplisten) and the connections accepted from them.
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "wasi/preview1/errno_map.hpp"
#include "wasi/preview1/functions.hpp"
#include "wasi/preview1/iovec.hpp"
#include "wasi/wasi.hpp"

namespace wisp::wasi::fn {
namespace {

// A descriptor that must be a socket: EBADF if not open, ENOTSOCK if it is
// something else, ENOTCAPABLE if it lacks `needed`.
Errno socket_fd(Call& c, u32 fd, Rights needed, FdEntry*& out) {
  FdEntry* e = c.ctx.fds.find(fd);
  if (!e) return Errno::Badf;
  if (e->kind != FdKind::Socket) {
    // Stdio may be a socket too (inetd-style).
    struct stat st;
    if (e->kind != FdKind::Stdio || fstat(e->host, &st) != 0 || !S_ISSOCK(st.st_mode))
      return Errno::NotSock;
  }
  if ((e->base & needed) != needed) return Errno::NotCapable;
  out = e;
  return Errno::Success;
}

template <class Io>
Errno sock_io(Call& c, u32 fd, Rights needed, u32 iovs, u32 iovs_len, int flags, u32 len_out,
              Io io, int* msg_flags_out) {
  FdEntry* e;
  if (Errno err = socket_fd(c, fd, needed, e); err != Errno::Success) return err;
  if (!c.mem.in_bounds(len_out, 4)) return Errno::Fault;
  IovecList list;
  if (Errno err = list.init(c.mem, iovs, iovs_len); err != Errno::Success) return err;
  iovec v[IovecList::kBatch];
  uint64_t want;
  msghdr msg{};
  msg.msg_iov = v;
  msg.msg_iovlen = list.next(v, want);
  // Stream sockets: one batch per call is a valid short transfer.
  ssize_t n;
  do {
    n = io(e->host, &msg, flags);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return last_errno();
  if (msg_flags_out) *msg_flags_out = msg.msg_flags;
  c.mem.store<uint32_t>(len_out, uint32_t(n));
  return Errno::Success;
}

}  // namespace

Errno sock_accept(Call& c, u32 fd, u32 flags, u32 fd_out) {
  FdEntry* e;
  if (Errno err = socket_fd(c, fd, right::SockAccept, e); err != Errno::Success) return err;
  if (flags & ~uint32_t(fdflags::Nonblock)) return Errno::Inval;
  if (!c.mem.in_bounds(fd_out, 4)) return Errno::Fault;
  int s;
  do {
    s = accept4(e->host, nullptr, nullptr,
                SOCK_CLOEXEC | ((flags & fdflags::Nonblock) ? SOCK_NONBLOCK : 0));
  } while (s < 0 && errno == EINTR);
  if (s < 0) return last_errno();
  FdEntry ne;
  ne.kind = FdKind::Socket;
  ne.filetype = Filetype::SocketStream;
  ne.host = s;
  ne.base = right::Socket;
  uint32_t guest_fd;
  if (Errno err = c.ctx.fds.insert(std::move(ne), guest_fd); err != Errno::Success) return err;
  c.mem.store<uint32_t>(fd_out, guest_fd);
  return Errno::Success;
}

Errno sock_recv(Call& c, u32 fd, u32 ri_data, u32 ri_data_len, u32 ri_flags, u32 ro_datalen_out,
                u32 ro_flags_out) {
  if (ri_flags & ~uint32_t(riflags::RecvPeek | riflags::RecvWaitall)) return Errno::Inval;
  if (!c.mem.in_bounds(ro_flags_out, 2)) return Errno::Fault;
  int flags = ((ri_flags & riflags::RecvPeek) ? MSG_PEEK : 0) |
              ((ri_flags & riflags::RecvWaitall) ? MSG_WAITALL : 0);
  int mflags = 0;
  Errno e = sock_io(c, fd, right::FdRead, ri_data, ri_data_len, flags, ro_datalen_out,
                    [](int s, msghdr* m, int f) { return recvmsg(s, m, f); }, &mflags);
  if (e != Errno::Success) return e;
  c.mem.store<uint16_t>(ro_flags_out, (mflags & MSG_TRUNC) ? roflags::RecvDataTruncated : 0);
  return Errno::Success;
}

Errno sock_send(Call& c, u32 fd, u32 si_data, u32 si_data_len, u32 si_flags, u32 so_datalen_out) {
  if (si_flags != 0) return Errno::Inval;
  // MSG_NOSIGNAL: a peer that hung up is EPIPE for the guest, not SIGPIPE for wisp.
  return sock_io(c, fd, right::FdWrite, si_data, si_data_len, MSG_NOSIGNAL, so_datalen_out,
                 [](int s, msghdr* m, int f) { return sendmsg(s, m, f); }, nullptr);
}

Errno sock_shutdown(Call& c, u32 fd, u32 how) {
  FdEntry* e;
  if (Errno err = socket_fd(c, fd, right::SockShutdown, e); err != Errno::Success) return err;
  int h;
  switch (how) {
    case sdflags::Rd: h = SHUT_RD; break;
    case sdflags::Wr: h = SHUT_WR; break;
    case sdflags::Rd | sdflags::Wr: h = SHUT_RDWR; break;
    default: return Errno::Inval;
  }
  return shutdown(e->host, h) == 0 ? Errno::Success : last_errno();
}

}  // namespace wisp::wasi::fn
