#include "wasi/preview1/host_stat.hpp"

namespace wisp::wasi {

Filetype filetype_from_mode(mode_t mode) {
  switch (mode & S_IFMT) {
    case S_IFREG: return Filetype::RegularFile;
    case S_IFDIR: return Filetype::Directory;
    case S_IFLNK: return Filetype::SymbolicLink;
    case S_IFCHR: return Filetype::CharacterDevice;
    case S_IFBLK: return Filetype::BlockDevice;
    case S_IFSOCK: return Filetype::SocketStream;
    default: return Filetype::Unknown;  // FIFOs have no WASI type
  }
}

Errno write_filestat(const GuestMemory& mem, uint32_t addr, const struct stat& st,
                     const layout::Filestat& l) {
  uint8_t* p = mem.ptr(addr, l.size);
  if (!p) return Errno::Fault;
  put<uint64_t>(p, l.dev, uint64_t(st.st_dev));
  put<uint64_t>(p, l.ino, uint64_t(st.st_ino));
  // The filetype is one byte followed by padding; clear the padding too so
  // the guest never sees stale bytes there.
  for (uint32_t i = l.filetype; i < l.nlink; ++i) p[i] = 0;
  put<uint8_t>(p, l.filetype, uint8_t(filetype_from_mode(st.st_mode)));
  if (l.nlink_bytes == 8) put<uint64_t>(p, l.nlink, uint64_t(st.st_nlink));
  else put<uint32_t>(p, l.nlink, uint32_t(st.st_nlink));
  put<uint64_t>(p, l.fsize, uint64_t(st.st_size));
  put<uint64_t>(p, l.atim, to_ns(st.st_atim));
  put<uint64_t>(p, l.mtim, to_ns(st.st_mtim));
  put<uint64_t>(p, l.ctim, to_ns(st.st_ctim));
  return Errno::Success;
}

Errno times_from_flags(uint64_t atim, uint64_t mtim, uint32_t fst, timespec out[2]) {
  if (fst & ~uint32_t(fstflags::All)) return Errno::Inval;
  if ((fst & fstflags::Atim) && (fst & fstflags::AtimNow)) return Errno::Inval;
  if ((fst & fstflags::Mtim) && (fst & fstflags::MtimNow)) return Errno::Inval;
  auto one = [](uint64_t ns, bool set, bool now) {
    timespec ts{};
    if (now) ts.tv_nsec = UTIME_NOW;
    else if (set) ts = from_ns(ns);
    else ts.tv_nsec = UTIME_OMIT;
    return ts;
  };
  out[0] = one(atim, fst & fstflags::Atim, fst & fstflags::AtimNow);
  out[1] = one(mtim, fst & fstflags::Mtim, fst & fstflags::MtimNow);
  return Errno::Success;
}

}  // namespace wisp::wasi
