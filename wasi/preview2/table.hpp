// The host's WASI 0.2 resources: streams, pollables, errors, descriptors and
// directory listings, each an entry of one table whose index is the rep the
// component's handle table holds (a handle the guest passes back arrives
// here as that rep, already checked to be of the right resource type).
// Entries are plain structs with a kind tag; a rep of the wrong kind (which
// the handle table should make impossible) is an error, never a crash.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "wasi/preview1/abi.hpp"
#include "wasi/preview1/fd_table.hpp"
#include "wasi/preview1/unique_fd.hpp"

namespace wisp::wasi::p2 {

// A host descriptor shared by a wasi:filesystem descriptor and the streams
// opened on it (a stream outlives the descriptor it came from). Borrowed
// descriptors (stdio, preopens: WasiCtx owns them) are not closed.
struct HostFd {
  int fd = -1;
  bool owned = false;
  HostFd(int f, bool o) : fd(f), owned(o) {}
  HostFd(const HostFd&) = delete;
  HostFd& operator=(const HostFd&) = delete;
  ~HostFd() {
    if (owned && fd >= 0) ::close(fd);
  }
};

enum class Kind : uint8_t { Free, InputStream, OutputStream, Pollable, Error, Descriptor, DirEntries };

// What a stream reads or writes.
enum class StreamKind : uint8_t {
  Stdio,   // a pipe, terminal or file the process was given: read(2)/write(2)
  File,    // a file at `offset`: pread/pwrite, the offset advancing
  Append,  // a file's end: write(2) on an O_APPEND descriptor
};

// What a pollable waits for.
enum class PollKind : uint8_t {
  Ready,     // always ready (files, and streams that never block)
  Deadline,  // CLOCK_MONOTONIC reaching `deadline` ns
  Readable,  // `fd` readable (or at end, or failed)
  Writable,  // `fd` writable
};

struct Entry {
  Kind kind = Kind::Free;
  // Streams and descriptors.
  std::shared_ptr<HostFd> fd;
  StreamKind stream = StreamKind::Stdio;
  uint64_t offset = 0;
  bool closed = false;  // an input stream that reached its end
  // Pollables.
  PollKind poll = PollKind::Ready;
  uint64_t deadline = 0;
  int poll_fd = -1;
  // Descriptors: wasi:filesystem descriptor-flags bits, the descriptor-type.
  uint32_t flags = 0;
  bool is_dir = false;
  // Errors: the errno behind it (for filesystem-error-code), and its text.
  Errno error = Errno::Success;
  std::string message;
  // Directory listings: the entries not yet read.
  DirSnapshot listing;
  size_t next = 0;
};

class Table {
 public:
  uint32_t add(Entry e);
  // The live entry `rep` of `kind`, or null.
  Entry* get(uint32_t rep, Kind kind) {
    return rep < entries_.size() && entries_[rep].kind == kind && kind != Kind::Free ? &entries_[rep] : nullptr;
  }
  void remove(uint32_t rep);
  size_t live() const { return entries_.size() - 1 - free_.size(); }

 private:
  std::vector<Entry> entries_{1};  // rep 0 is never used
  std::vector<uint32_t> free_;
};

}  // namespace wisp::wasi::p2
