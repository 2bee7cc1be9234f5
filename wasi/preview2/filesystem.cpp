// wasi:filesystem: types and preopens (host.hpp).
//
// A descriptor is a host descriptor plus the descriptor-flags it was opened
// with. The preopens are WasiCtx's directories (the --dir grants); every
// path is resolved beneath a descriptor by preview 1's sandbox and
// path_ops, so both previews refuse the same escapes the same way
// (`..` past the directory, absolute paths, symlinks leading out: all
// `not-permitted`).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "wasi/preview1/errno_map.hpp"
#include "wasi/preview1/host_stat.hpp"
#include "wasi/preview1/path_ops.hpp"
#include "wasi/preview1/sandbox.hpp"
#include "wasi/preview2/host.hpp"
#include "wasi/preview2/values.hpp"

namespace wisp::wasi::p2 {

namespace {

// descriptor-flags, open-flags and path-flags bits.
namespace dflag {
constexpr uint32_t Read = 1, Write = 2, FileSync = 4, DataSync = 8, ReadSync = 16, MutateDir = 32;
}
namespace oflag {
constexpr uint32_t Create = 1, Directory = 2, Exclusive = 4, Truncate = 8;
}
constexpr uint32_t kSymlinkFollow = 1;

// descriptor-type's case for a host mode.
uint32_t type_of(mode_t m) {
  if (S_ISBLK(m)) return 1;
  if (S_ISCHR(m)) return 2;
  if (S_ISDIR(m)) return 3;
  if (S_ISFIFO(m)) return 4;
  if (S_ISLNK(m)) return 5;
  if (S_ISREG(m)) return 6;
  if (S_ISSOCK(m)) return 7;
  return 0;
}
uint32_t type_of(Filetype t) {
  switch (t) {
    case Filetype::BlockDevice: return 1;
    case Filetype::CharacterDevice: return 2;
    case Filetype::Directory: return 3;
    case Filetype::SymbolicLink: return 5;
    case Filetype::RegularFile: return 6;
    case Filetype::SocketDgram:
    case Filetype::SocketStream: return 7;
    default: return 0;
  }
}

Value when(const timespec& ts) { return some(datetime(uint64_t(ts.tv_sec), uint32_t(ts.tv_nsec))); }
Value stat_value(const struct stat& st) {
  return record({enumv(type_of(st.st_mode)), u64v(st.st_nlink), u64v(uint64_t(st.st_size)), when(st.st_atim),
                 when(st.st_mtim), when(st.st_ctim)});
}
Value hash_value(const struct stat& st) { return record({u64v(st.st_ino), u64v(st.st_dev)}); }

// new-timestamp: no-change, now, timestamp(datetime).
timespec timestamp(const Value& v) {
  timespec ts{0, UTIME_OMIT};
  if (v.index == 1) ts.tv_nsec = UTIME_NOW;
  if (v.index == 2 && !v.items.empty() && v.items[0].items.size() == 2) {
    ts.tv_sec = time_t(v.items[0].items[0].bits);
    ts.tv_nsec = long(v.items[0].items[1].bits);
    if (ts.tv_nsec >= 1000000000) ts.tv_nsec = UTIME_OMIT + 1;  // invalid: the kernel says EINVAL
  }
  return ts;
}

Value result_of(Errno e) { return e == Errno::Success ? ok() : fs_err(e); }
Value result_of(int rc) { return result_of(rc == 0 ? Errno::Success : last_errno()); }

}  // namespace

void define_filesystem(component::ComponentLinker& l, Context& ctx) {
  Table* const table = &ctx.table;
  auto def = [&l](const char* iface, const std::string& fn, component::HostFunc f) {
    l.define(std::string("wasi:filesystem/") + iface + "@0.2#" + fn, std::move(f));
  };
  auto method = [&def](const char* name, component::HostFunc f) {
    def("types", std::string("[method]descriptor.") + name, std::move(f));
  };
  // The descriptor a call's argument k names (a trap if it is not one).
  auto desc = [table](const Values& a, size_t k, Entry*& out) -> bool {
    out = table->get(uint32_t(a.at(k).bits), Kind::Descriptor);
    return out != nullptr;
  };
  auto no_desc = [](const Values& a, size_t k) {
    return make_error(ErrorKind::Other, "handle rep " + std::to_string(a.at(k).bits) + " is not a descriptor");
  };
  // A directory descriptor that may be changed, for operations that create,
  // remove or rename beneath it.
  auto mutable_dir = [](const Entry& d) -> Errno {
    if (!d.is_dir) return Errno::NotDir;
    if (!(d.flags & dflag::MutateDir)) return Errno::Rofs;
    return Errno::Success;
  };
  auto readable_dir = [](const Entry& d) -> Errno { return d.is_dir ? Errno::Success : Errno::NotDir; };

  def("preopens", "get-directories", [&ctx](const Values&) {
    Values dirs;
    for (uint32_t fd = 3; fd < ctx.caps->fds.capacity(); ++fd) {
      const FdEntry* fe = ctx.caps->fds.find(fd);
      if (!fe || !fe->is_preopen) continue;
      Entry e;
      e.kind = Kind::Descriptor;
      e.fd = std::make_shared<HostFd>(fe->host, false);
      e.is_dir = true;
      e.flags = dflag::Read | dflag::MutateDir;
      dirs.push_back(tuple({own(ctx.table.add(std::move(e))), text(fe->preopen)}));
    }
    return one(list(std::move(dirs)));
  });
  def("types", "[resource-drop]descriptor", [table](const Values& a) -> Ret {
    table->remove(uint32_t(a.at(0).bits));
    return Values{};
  });
  def("types", "[resource-drop]directory-entry-stream", [table](const Values& a) -> Ret {
    table->remove(uint32_t(a.at(0).bits));
    return Values{};
  });
  def("types", "filesystem-error-code", [table](const Values& a) -> Ret {
    const Entry* e = table->get(uint32_t(a.at(0).bits), Kind::Error);
    if (!e || e->error == Errno::Success) return one(none());
    return one(some(enumv(error_code(e->error))));
  });

  // ---- streams on a file ----
  auto stream = [&](Kind kind, StreamKind sk, uint32_t needs) {
    return [table, desc, no_desc, kind, sk, needs](const Values& a) -> Ret {
      Entry* d;
      if (!desc(a, 0, d)) return no_desc(a, 0);
      if (d->is_dir) return one(fs_err(Errno::IsDir));
      if (!(d->flags & needs)) return one(fs_err(Errno::Badf));
      Entry s;
      s.kind = kind;
      s.fd = d->fd;
      s.stream = sk;
      s.offset = sk == StreamKind::File ? a.at(1).bits : 0;
      return one(ok(own(table->add(std::move(s)))));
    };
  };
  method("read-via-stream", stream(Kind::InputStream, StreamKind::File, dflag::Read));
  method("write-via-stream", stream(Kind::OutputStream, StreamKind::File, dflag::Write));
  method("append-via-stream", stream(Kind::OutputStream, StreamKind::Append, dflag::Write));

  // ---- the descriptor itself ----
  method("advise", [desc, no_desc](const Values& a) -> Ret {
    Entry* d;
    if (!desc(a, 0, d)) return no_desc(a, 0);
    static const int advice[] = {POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                                 POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
    const int adv = advice[std::min<uint32_t>(a.at(3).index, 5)];
    const int rc = posix_fadvise(d->fd->fd, off_t(a.at(1).bits), off_t(a.at(2).bits), adv);
    return one(rc == 0 ? ok() : fs_err(from_host_errno(rc)));
  });
  method("sync-data", [desc, no_desc](const Values& a) -> Ret {
    Entry* d;
    if (!desc(a, 0, d)) return no_desc(a, 0);
    return one(result_of(fdatasync(d->fd->fd)));
  });
  method("sync", [desc, no_desc](const Values& a) -> Ret {
    Entry* d;
    if (!desc(a, 0, d)) return no_desc(a, 0);
    return one(result_of(fsync(d->fd->fd)));
  });
  method("get-flags", [desc, no_desc](const Values& a) -> Ret {
    Entry* d;
    if (!desc(a, 0, d)) return no_desc(a, 0);
    return one(ok(flags(d->flags)));
  });
  method("get-type", [desc, no_desc](const Values& a) -> Ret {
    Entry* d;
    if (!desc(a, 0, d)) return no_desc(a, 0);
    struct stat st;
    if (fstat(d->fd->fd, &st) != 0) return one(fs_err(last_errno()));
    return one(ok(enumv(type_of(st.st_mode))));
  });
  method("set-size", [desc, no_desc](const Values& a) -> Ret {
    Entry* d;
    if (!desc(a, 0, d)) return no_desc(a, 0);
    if (d->is_dir) return one(fs_err(Errno::IsDir));
    if (!(d->flags & dflag::Write)) return one(fs_err(Errno::Badf));
    return one(result_of(ftruncate(d->fd->fd, off_t(a.at(1).bits))));
  });
  method("set-times", [desc, no_desc](const Values& a) -> Ret {
    Entry* d;
    if (!desc(a, 0, d)) return no_desc(a, 0);
    const timespec ts[2] = {timestamp(a.at(1)), timestamp(a.at(2))};
    return one(result_of(futimens(d->fd->fd, ts)));
  });
  method("read", [desc, no_desc](const Values& a) -> Ret {
    Entry* d;
    if (!desc(a, 0, d)) return no_desc(a, 0);
    if (d->is_dir) return one(fs_err(Errno::IsDir));
    if (!(d->flags & dflag::Read)) return one(fs_err(Errno::Badf));
    std::string buf(size_t(std::min<uint64_t>(a.at(1).bits, 1 << 20)), '\0');
    ssize_t n;
    do n = pread(d->fd->fd, buf.data(), buf.size(), off_t(a.at(2).bits));
    while (n < 0 && errno == EINTR);
    if (n < 0) return one(fs_err(last_errno()));
    const bool end = size_t(n) < buf.size();
    buf.resize(size_t(n));
    return one(ok(tuple({bytes(std::move(buf)), boolv(end)})));
  });
  method("write", [desc, no_desc](const Values& a) -> Ret {
    Entry* d;
    if (!desc(a, 0, d)) return no_desc(a, 0);
    if (d->is_dir) return one(fs_err(Errno::IsDir));
    if (!(d->flags & dflag::Write)) return one(fs_err(Errno::Badf));
    const std::string& data = a.at(1).text;
    ssize_t n;
    do n = pwrite(d->fd->fd, data.data(), data.size(), off_t(a.at(2).bits));
    while (n < 0 && errno == EINTR);
    if (n < 0) return one(fs_err(last_errno()));
    return one(ok(u64v(uint64_t(n))));
  });
  method("stat", [desc, no_desc](const Values& a) -> Ret {
    Entry* d;
    if (!desc(a, 0, d)) return no_desc(a, 0);
    struct stat st;
    if (fstat(d->fd->fd, &st) != 0) return one(fs_err(last_errno()));
    return one(ok(stat_value(st)));
  });
  method("is-same-object", [desc, no_desc](const Values& a) -> Ret {
    Entry *d, *o;
    if (!desc(a, 0, d)) return no_desc(a, 0);
    if (!desc(a, 1, o)) return no_desc(a, 1);
    struct stat x, y;
    const bool same = fstat(d->fd->fd, &x) == 0 && fstat(o->fd->fd, &y) == 0 && x.st_dev == y.st_dev &&
                      x.st_ino == y.st_ino;
    return one(boolv(same));
  });
  method("metadata-hash", [desc, no_desc](const Values& a) -> Ret {
    Entry* d;
    if (!desc(a, 0, d)) return no_desc(a, 0);
    struct stat st;
    if (fstat(d->fd->fd, &st) != 0) return one(fs_err(last_errno()));
    return one(ok(hash_value(st)));
  });

  // ---- directories ----
  method("read-directory", [table, desc, no_desc, readable_dir](const Values& a) -> Ret {
    Entry* d;
    if (!desc(a, 0, d)) return no_desc(a, 0);
    if (Errno e = readable_dir(*d); e != Errno::Success) return one(fs_err(e));
    Entry s;
    s.kind = Kind::DirEntries;
    if (Errno e = path_ops::snapshot(d->fd->fd, s.listing); e != Errno::Success) return one(fs_err(e));
    return one(ok(own(table->add(std::move(s)))));
  });
  def("types", "[method]directory-entry-stream.read-directory-entry", [table](const Values& a) -> Ret {
    Entry* s = table->get(uint32_t(a.at(0).bits), Kind::DirEntries);
    if (!s) return make_error(ErrorKind::Other, "not a directory-entry-stream");
    // "." and ".." are not entries in WASI 0.2.
    while (s->next < s->listing.entries.size() &&
           (s->listing.entries[s->next].name == "." || s->listing.entries[s->next].name == ".."))
      ++s->next;
    if (s->next == s->listing.entries.size()) return one(ok(none()));
    const DirSnapshot::Entry& e = s->listing.entries[s->next++];
    return one(ok(some(record({enumv(type_of(e.type)), text(e.name)}))));
  });

  // ---- paths beneath a directory ----
  method("open-at", [table, desc, no_desc](const Values& a) -> Ret {
    Entry* d;
    if (!desc(a, 0, d)) return no_desc(a, 0);
    if (!d->is_dir) return one(fs_err(Errno::NotDir));
    const bool follow = a.at(1).bits & kSymlinkFollow;
    const std::string& path = a.at(2).text;
    const uint32_t of = uint32_t(a.at(3).bits), want = uint32_t(a.at(4).bits);
    // Creating, truncating or writing needs a directory that may be changed;
    // a directory opened from it can be changed only if it could.
    if (((of & (oflag::Create | oflag::Truncate)) || (want & (dflag::Write | dflag::MutateDir))) &&
        !(d->flags & dflag::MutateDir))
      return one(fs_err(Errno::Rofs));
    const bool rd = want & dflag::Read, wr = want & dflag::Write;
    int flags = (wr ? (rd ? O_RDWR : O_WRONLY) : O_RDONLY) | O_CLOEXEC | O_NOCTTY;
    if (of & oflag::Create) flags |= O_CREAT;
    if (of & oflag::Directory) flags |= O_DIRECTORY;
    if (of & oflag::Exclusive) flags |= O_EXCL;
    if (of & oflag::Truncate) flags |= O_TRUNC;
    if (want & dflag::FileSync) flags |= O_SYNC;
    if (want & dflag::DataSync) flags |= O_DSYNC;
    if (want & dflag::ReadSync) flags |= O_RSYNC;
    UniqueFd fd;
    if (Errno e = sandbox::open_beneath(d->fd->fd, path, flags, 0666, follow, fd); e != Errno::Success)
      return one(fs_err(e));
    struct stat st;
    if (fstat(fd.get(), &st) != 0) return one(fs_err(last_errno()));
    Entry n;
    n.kind = Kind::Descriptor;
    n.is_dir = S_ISDIR(st.st_mode);
    n.flags = want & ~(n.is_dir ? 0u : dflag::MutateDir);
    n.fd = std::make_shared<HostFd>(fd.release(), true);
    return one(ok(own(table->add(std::move(n)))));
  });
  // stat-at and metadata-hash-at: what a path names, as a stat or a hash.
  for (auto [name, shape] : {std::pair{"stat-at", &stat_value}, {"metadata-hash-at", &hash_value}}) {
    method(name, [desc, no_desc, readable_dir, shape](const Values& a) -> Ret {
      Entry* d;
      if (!desc(a, 0, d)) return no_desc(a, 0);
      if (Errno e = readable_dir(*d); e != Errno::Success) return one(fs_err(e));
      struct stat st;
      if (Errno e = path_ops::stat_at(d->fd->fd, a.at(2).text, a.at(1).bits & kSymlinkFollow, st);
          e != Errno::Success)
        return one(fs_err(e));
      return one(ok(shape(st)));
    });
  }
  method("set-times-at", [desc, no_desc, mutable_dir](const Values& a) -> Ret {
    Entry* d;
    if (!desc(a, 0, d)) return no_desc(a, 0);
    if (Errno e = mutable_dir(*d); e != Errno::Success) return one(fs_err(e));
    const timespec ts[2] = {timestamp(a.at(3)), timestamp(a.at(4))};
    return one(result_of(path_ops::set_times(d->fd->fd, a.at(2).text, a.at(1).bits & kSymlinkFollow, ts)));
  });
  // create-directory-at, remove-directory-at, unlink-file-at: one path.
  auto path_op = [&method, desc, no_desc, mutable_dir](const char* name, Errno (*op)(int, std::string_view)) {
    method(name, [desc, no_desc, mutable_dir, op](const Values& a) -> Ret {
      Entry* d;
      if (!desc(a, 0, d)) return no_desc(a, 0);
      if (Errno e = mutable_dir(*d); e != Errno::Success) return one(fs_err(e));
      return one(result_of(op(d->fd->fd, a.at(1).text)));
    });
  };
  path_op("create-directory-at", path_ops::create_directory);
  path_op("remove-directory-at", path_ops::remove_directory);
  path_op("unlink-file-at", path_ops::unlink_file);
  method("readlink-at", [desc, no_desc, readable_dir](const Values& a) -> Ret {
    Entry* d;
    if (!desc(a, 0, d)) return no_desc(a, 0);
    if (Errno e = readable_dir(*d); e != Errno::Success) return one(fs_err(e));
    std::string target;
    if (Errno e = path_ops::readlink(d->fd->fd, a.at(1).text, target); e != Errno::Success)
      return one(fs_err(e));
    return one(ok(text(std::move(target))));
  });
  method("symlink-at", [desc, no_desc, mutable_dir](const Values& a) -> Ret {
    Entry* d;
    if (!desc(a, 0, d)) return no_desc(a, 0);
    if (Errno e = mutable_dir(*d); e != Errno::Success) return one(fs_err(e));
    return one(result_of(path_ops::symlink(a.at(1).text, d->fd->fd, a.at(2).text)));
  });
  method("rename-at", [desc, no_desc, mutable_dir](const Values& a) -> Ret {
    Entry *d, *n;
    if (!desc(a, 0, d)) return no_desc(a, 0);
    if (!desc(a, 2, n)) return no_desc(a, 2);
    if (Errno e = mutable_dir(*d); e != Errno::Success) return one(fs_err(e));
    if (Errno e = mutable_dir(*n); e != Errno::Success) return one(fs_err(e));
    return one(result_of(path_ops::rename(d->fd->fd, a.at(1).text, n->fd->fd, a.at(3).text)));
  });
  method("link-at", [desc, no_desc, mutable_dir](const Values& a) -> Ret {
    Entry *d, *n;
    if (!desc(a, 0, d)) return no_desc(a, 0);
    if (!desc(a, 3, n)) return no_desc(a, 3);
    if (Errno e = mutable_dir(*n); e != Errno::Success) return one(fs_err(e));
    return one(
        result_of(path_ops::link(d->fd->fd, a.at(2).text, a.at(1).bits & kSymlinkFollow, n->fd->fd, a.at(4).text)));
  });
}

}  // namespace wisp::wasi::p2
