// wasi:io: error, streams and poll (host.hpp).
//
// Streams read and write at once: a stdio stream with read(2)/write(2), a
// file stream with pread/pwrite at its offset. The non-blocking `read`
// returns what is there without waiting (poll with timeout 0 first); the
// `blocking-` forms wait. Pollables wait in ppoll(2): for the descriptors
// of the streams they came from and for the nearest monotonic deadline.
#include <poll.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "wasi/preview1/errno_map.hpp"
#include "wasi/preview2/host.hpp"
#include "wasi/preview2/values.hpp"

namespace wisp::wasi::p2 {

namespace {

constexpr uint64_t kMaxChunk = 1 << 20;  // bytes a read or check-write offers at most



// Waits until fd is ready for `events` (or failed, or hung up).
void wait_fd(int fd, short events) {
  pollfd p{fd, events, 0};
  while (::poll(&p, 1, -1) < 0 && errno == EINTR) {
  }
}

bool fd_ready(int fd, short events) {
  pollfd p{fd, events, 0};
  return ::poll(&p, 1, 0) > 0;
}

// stream-error: last-operation-failed(own<error>) for errno e, or closed.
Value failed(Context& ctx, Errno e, const std::string& what) {
  Entry er;
  er.kind = Kind::Error;
  er.error = e;
  er.message = what;
  Value v = with_items(Value::Variant, 0, {own(ctx.table.add(std::move(er)))});
  return err(v);
}
Value closed() { return err(with_items(Value::Variant, 1, {})); }

// Reads up to n bytes from an input stream into out; false at its end.
// Sets e on failure.
bool read_some(Entry& s, uint64_t n, bool blocking, std::string& out, Errno& e) {
  out.assign(size_t(std::min(n, kMaxChunk)), '\0');
  if (out.empty()) return true;
  if (s.stream == StreamKind::Memory) {
    if (s.offset >= s.mem->size()) return false;
    out = s.mem->substr(size_t(s.offset), out.size());
    s.offset += out.size();
    return true;
  }
  const int fd = s.fd->fd;
  ssize_t got;
  for (;;) {
    if (s.stream == StreamKind::Stdio) {
      if (!blocking && !fd_ready(fd, POLLIN)) {
        out.clear();
        return true;
      }
      got = ::read(fd, out.data(), out.size());
    } else {
      got = ::pread(fd, out.data(), out.size(), off_t(s.offset));
    }
    if (got >= 0) break;
    if (errno == EINTR) continue;
    if (errno == EAGAIN && blocking) {
      wait_fd(fd, POLLIN);
      continue;
    }
    if (errno == EAGAIN) {
      out.clear();
      return true;
    }
    e = last_errno();
    return true;
  }
  out.resize(size_t(got));
  if (got == 0) return false;
  s.offset += uint64_t(got);
  return true;
}

// Writes all of data to an output stream; an errno on failure.
Errno write_all(Entry& s, const char* data, size_t n) {
  if (s.stream == StreamKind::Memory) {
    if (n > s.mem_limit || s.mem->size() > s.mem_limit - n) return Errno::Fbig;
    s.mem->append(data, n);
    return Errno::Success;
  }
  const int fd = s.fd->fd;
  if (s.stream == StreamKind::Append) {
    struct stat st;
    if (fstat(fd, &st) != 0) return last_errno();
    s.offset = uint64_t(st.st_size);
  }
  size_t done = 0;
  while (done < n) {
    ssize_t k = s.stream == StreamKind::Stdio ? ::write(fd, data + done, n - done)
                                              : ::pwrite(fd, data + done, n - done, off_t(s.offset));
    if (k < 0 && errno == EINTR) continue;
    if (k < 0 && errno == EAGAIN) {
      wait_fd(fd, POLLOUT);
      continue;
    }
    if (k < 0) return last_errno();
    if (k == 0) return Errno::Io;
    done += size_t(k);
    if (s.stream != StreamKind::Stdio) s.offset += uint64_t(k);
  }
  return Errno::Success;
}

bool pollable_ready(const Entry& p) {
  switch (p.poll) {
    case PollKind::Ready: return true;
    case PollKind::Deadline: return monotonic_ns() >= p.deadline;
    case PollKind::Readable: return fd_ready(p.poll_fd, POLLIN);
    case PollKind::Writable: return fd_ready(p.poll_fd, POLLOUT);
  }
  return true;
}

// Blocks until at least one of ps is ready; returns the indices that are.
std::vector<uint32_t> wait_any(const std::vector<const Entry*>& ps) {
  for (;;) {
    std::vector<uint32_t> ready;
    for (uint32_t i = 0; i < ps.size(); ++i)
      if (pollable_ready(*ps[i])) ready.push_back(i);
    if (!ready.empty()) return ready;
    std::vector<pollfd> fds;
    uint64_t deadline = UINT64_MAX;
    for (const Entry* p : ps) {
      if (p->poll == PollKind::Deadline) deadline = std::min(deadline, p->deadline);
      if (p->poll == PollKind::Readable) fds.push_back({p->poll_fd, POLLIN, 0});
      if (p->poll == PollKind::Writable) fds.push_back({p->poll_fd, POLLOUT, 0});
    }
    timespec ts{}, *timeout = nullptr;
    if (deadline != UINT64_MAX) {
      const uint64_t now = monotonic_ns(), left = deadline > now ? deadline - now : 0;
      ts.tv_sec = time_t(left / 1000000000u);
      ts.tv_nsec = long(left % 1000000000u);
      timeout = &ts;
    }
    ppoll(fds.data(), fds.size(), timeout, nullptr);
  }
}

Entry pollable(PollKind k, int fd = -1) {
  Entry e;
  e.kind = Kind::Pollable;
  e.poll = k;
  e.poll_fd = fd;
  return e;
}

}  // namespace

void define_io(component::ComponentLinker& l, Context& ctx) {
  auto def = [&l](const char* iface, const std::string& fn, component::HostFunc f) {
    l.define(std::string("wasi:io/") + iface + "@0.2#" + fn, std::move(f));
  };
  auto dropper = [&ctx](Kind k, const char* what) {
    return [&ctx, k, what](const Values& a) -> Ret {
      const uint32_t rep = uint32_t(a.at(0).bits);
      if (!ctx.table.get(rep, k)) return not_a(what, rep);
      ctx.table.remove(rep);
      return Values{};
    };
  };
  def("streams", "[resource-drop]input-stream", dropper(Kind::InputStream, "an input-stream"));
  def("streams", "[resource-drop]output-stream", dropper(Kind::OutputStream, "an output-stream"));
  def("poll", "[resource-drop]pollable", dropper(Kind::Pollable, "a pollable"));
  def("error", "[resource-drop]error", dropper(Kind::Error, "an error"));
  def("error", "[method]error.to-debug-string", [&ctx](const Values& a) -> Ret {
    const Entry* e = ctx.table.get(uint32_t(a.at(0).bits), Kind::Error);
    if (!e) return not_a("an error", uint32_t(a.at(0).bits));
    return one(text(e->message));
  });

  // ---- input-stream ----
  auto read = [&ctx](bool blocking, bool skip) {
    return [&ctx, blocking, skip](const Values& a) -> Ret {
      const uint32_t rep = uint32_t(a.at(0).bits);
      Entry* s = ctx.table.get(rep, Kind::InputStream);
      if (!s) return not_a("an input-stream", rep);
      if (s->closed) return one(closed());
      std::string buf;
      Errno e = Errno::Success;
      if (!read_some(*s, a.at(1).bits, blocking, buf, e)) {
        s->closed = true;
        return one(closed());
      }
      if (e != Errno::Success) return one(failed(ctx, e, "read failed"));
      return one(skip ? ok(u64v(buf.size())) : ok(bytes(std::move(buf))));
    };
  };
  def("streams", "[method]input-stream.read", read(false, false));
  def("streams", "[method]input-stream.blocking-read", read(true, false));
  def("streams", "[method]input-stream.skip", read(false, true));
  def("streams", "[method]input-stream.blocking-skip", read(true, true));
  def("streams", "[method]input-stream.subscribe", [&ctx](const Values& a) -> Ret {
    const Entry* s = ctx.table.get(uint32_t(a.at(0).bits), Kind::InputStream);
    if (!s) return not_a("an input-stream", uint32_t(a.at(0).bits));
    Entry p = s->stream == StreamKind::Stdio ? pollable(PollKind::Readable, s->fd->fd) : pollable(PollKind::Ready);
    return one(own(ctx.table.add(std::move(p))));
  });

  // ---- output-stream ----
  auto out_stream = [&ctx](const Values& a, Entry*& s) -> bool {
    s = ctx.table.get(uint32_t(a.at(0).bits), Kind::OutputStream);
    return s != nullptr;
  };
  def("streams", "[method]output-stream.check-write", [out_stream](const Values& a) -> Ret {
    Entry* s;
    if (!out_stream(a, s)) return not_a("an output-stream", uint32_t(a.at(0).bits));
    return one(ok(u64v(kMaxChunk)));
  });
  auto write = [&ctx, out_stream](const Values& a) -> Ret {
    Entry* s;
    if (!out_stream(a, s)) return not_a("an output-stream", uint32_t(a.at(0).bits));
    const std::string& data = a.at(1).text;
    if (Errno e = write_all(*s, data.data(), data.size()); e != Errno::Success)
      return one(e == Errno::Pipe ? closed() : failed(ctx, e, std::string("write failed: errno ") +
                                                                  std::to_string(unsigned(e))));
    return one(ok());
  };
  def("streams", "[method]output-stream.write", write);
  def("streams", "[method]output-stream.blocking-write-and-flush", write);
  auto zeroes = [&ctx, out_stream](const Values& a) -> Ret {
    Entry* s;
    if (!out_stream(a, s)) return not_a("an output-stream", uint32_t(a.at(0).bits));
    const std::string zero(size_t(std::min(a.at(1).bits, kMaxChunk)), '\0');
    if (Errno e = write_all(*s, zero.data(), zero.size()); e != Errno::Success)
      return one(failed(ctx, e, "write failed"));
    return one(ok());
  };
  def("streams", "[method]output-stream.write-zeroes", zeroes);
  def("streams", "[method]output-stream.blocking-write-zeroes-and-flush", zeroes);
  auto flush = [out_stream](const Values& a) -> Ret {
    Entry* s;
    if (!out_stream(a, s)) return not_a("an output-stream", uint32_t(a.at(0).bits));
    return one(ok());  // writes are never buffered here
  };
  def("streams", "[method]output-stream.flush", flush);
  def("streams", "[method]output-stream.blocking-flush", flush);
  auto splice = [&ctx, out_stream](bool blocking) {
    return [&ctx, out_stream, blocking](const Values& a) -> Ret {
      Entry *s, *in = ctx.table.get(uint32_t(a.at(1).bits), Kind::InputStream);
      if (!out_stream(a, s)) return not_a("an output-stream", uint32_t(a.at(0).bits));
      if (!in) return not_a("an input-stream", uint32_t(a.at(1).bits));
      if (in->closed) return one(closed());
      std::string buf;
      Errno e = Errno::Success;
      if (!read_some(*in, a.at(2).bits, blocking, buf, e)) {
        in->closed = true;
        return one(closed());
      }
      if (e == Errno::Success) e = write_all(*s, buf.data(), buf.size());
      if (e != Errno::Success) return one(failed(ctx, e, "splice failed"));
      return one(ok(u64v(buf.size())));
    };
  };
  def("streams", "[method]output-stream.splice", splice(false));
  def("streams", "[method]output-stream.blocking-splice", splice(true));
  def("streams", "[method]output-stream.subscribe", [&ctx, out_stream](const Values& a) -> Ret {
    Entry* s;
    if (!out_stream(a, s)) return not_a("an output-stream", uint32_t(a.at(0).bits));
    Entry p = s->stream == StreamKind::Stdio ? pollable(PollKind::Writable, s->fd->fd) : pollable(PollKind::Ready);
    return one(own(ctx.table.add(std::move(p))));
  });

  // ---- poll ----
  def("poll", "[method]pollable.ready", [&ctx](const Values& a) -> Ret {
    const Entry* p = ctx.table.get(uint32_t(a.at(0).bits), Kind::Pollable);
    if (!p) return not_a("a pollable", uint32_t(a.at(0).bits));
    return one(boolv(pollable_ready(*p)));
  });
  def("poll", "[method]pollable.block", [&ctx](const Values& a) -> Ret {
    const Entry* p = ctx.table.get(uint32_t(a.at(0).bits), Kind::Pollable);
    if (!p) return not_a("a pollable", uint32_t(a.at(0).bits));
    wait_any({p});
    return Values{};
  });
  def("poll", "poll", [&ctx](const Values& a) -> Ret {
    std::vector<const Entry*> ps;
    for (const Value& h : a.at(0).items) {
      const Entry* p = ctx.table.get(uint32_t(h.bits), Kind::Pollable);
      if (!p) return not_a("a pollable", uint32_t(h.bits));
      ps.push_back(p);
    }
    if (ps.empty()) return make_error(ErrorKind::Other, "poll: the list of pollables is empty");
    Values ready;
    for (uint32_t i : wait_any(ps)) ready.push_back(u32v(i));
    return one(list(std::move(ready)));
  });
}

}  // namespace wisp::wasi::p2
