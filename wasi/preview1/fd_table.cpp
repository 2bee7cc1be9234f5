#include "wasi/preview1/fd_table.hpp"

#include <unistd.h>

namespace wisp::wasi {

FdTable::~FdTable() {
  for (FdEntry& e : entries_) release(e);
}

void FdTable::release(FdEntry& e) {
  if (e.open() && e.owned && e.host >= 0) ::close(e.host);
  e = FdEntry{};
}

Errno FdTable::insert(FdEntry e, uint32_t& fd_out) {
  uint32_t fd = lowest_free_;
  while (fd < entries_.size() && entries_[fd].open()) ++fd;
  if (fd >= kMaxFds) {
    release(e);  // the table owns e's host descriptor either way
    return Errno::Mfile;
  }
  if (fd == entries_.size()) entries_.emplace_back();
  entries_[fd] = std::move(e);
  lowest_free_ = fd + 1;
  fd_out = fd;
  return Errno::Success;
}

void FdTable::place(uint32_t fd, FdEntry e) {
  if (fd >= entries_.size()) entries_.resize(fd + 1);
  release(entries_[fd]);
  entries_[fd] = std::move(e);
}

Errno FdTable::close(uint32_t fd) {
  if (!find(fd)) return Errno::Badf;
  release(entries_[fd]);
  if (fd < lowest_free_) lowest_free_ = fd;
  return Errno::Success;
}

Errno FdTable::renumber(uint32_t from, uint32_t to) {
  if (!find(from) || !find(to)) return Errno::Badf;
  if (from == to) return Errno::Success;
  release(entries_[to]);
  entries_[to] = std::move(entries_[from]);
  entries_[from] = FdEntry{};
  if (from < lowest_free_) lowest_free_ = from;
  return Errno::Success;
}

}  // namespace wisp::wasi
