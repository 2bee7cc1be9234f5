// The guest's descriptor table: guest fd number -> host fd plus what the
// guest may do with it (rights) and what it is (filetype).
//
// Guest numbers are independent of host numbers: the guest only ever sees
// what it was given (stdio, preopens, listeners) and what it opened through
// those, so a guest cannot name a host descriptor wisp holds for itself.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "wasi/preview1/abi.hpp"

namespace wisp::wasi {

enum class FdKind : uint8_t { Closed, Stdio, File, Directory, Socket };

// A snapshot of a directory's entries for fd_readdir. Cookies are indices
// into it; cookie 0 takes a fresh snapshot (a rewind), so a listing in
// several calls is consistent and restartable.
struct DirSnapshot {
  struct Entry {
    uint64_t ino;
    Filetype type;
    std::string name;
  };
  std::vector<Entry> entries;
};

struct FdEntry {
  FdKind kind = FdKind::Closed;
  Filetype filetype = Filetype::Unknown;
  int host = -1;
  bool owned = true;        // close host when the entry closes (not for stdio)
  bool rsync = false;       // Linux has no separate O_RSYNC; remember what was asked
  // Whether the guest asked for non-blocking I/O. Stdio can be non-blocking
  // on the host without the guest knowing (an inherited file description);
  // then reads and writes wait for readiness instead of failing with EAGAIN.
  bool guest_nonblock = false;
  Rights base = 0;
  Rights inheriting = 0;
  std::string preopen;      // guest path of a preopened directory
  bool is_preopen = false;
  std::unique_ptr<DirSnapshot> dir;

  bool open() const { return kind != FdKind::Closed; }
};

class FdTable {
 public:
  FdTable() = default;
  ~FdTable();
  FdTable(const FdTable&) = delete;
  FdTable& operator=(const FdTable&) = delete;

  // The entry for fd, or nullptr if fd is not open.
  FdEntry* find(uint32_t fd) {
    return fd < entries_.size() && entries_[fd].open() ? &entries_[fd] : nullptr;
  }
  // find() plus a rights check: EBADF if not open, ENOTCAPABLE if any of
  // `needed` is missing from the base rights.
  Errno get(uint32_t fd, Rights needed, FdEntry*& out) {
    FdEntry* e = find(fd);
    if (!e) return Errno::Badf;
    if ((e->base & needed) != needed) return Errno::NotCapable;
    out = e;
    return Errno::Success;
  }

  // Puts e at the lowest free number; returns it. Fails (EMFILE) only when
  // the table is full.
  Errno insert(FdEntry e, uint32_t& fd_out);
  // Puts e at exactly fd (used to set up stdio and preopens).
  void place(uint32_t fd, FdEntry e);
  // Closes the host descriptor (if owned) and frees the number.
  Errno close(uint32_t fd);
  // Moves `from` onto `to`, closing what `to` held. Both must be open.
  Errno renumber(uint32_t from, uint32_t to);

  size_t capacity() const { return entries_.size(); }

  // Guest descriptor numbers stop here (well above any host RLIMIT_NOFILE).
  static constexpr uint32_t kMaxFds = 1u << 20;

 private:
  static void release(FdEntry& e);
  std::vector<FdEntry> entries_;
  uint32_t lowest_free_ = 0;  // hint: no free slot below this
};

}  // namespace wisp::wasi
