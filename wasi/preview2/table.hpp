// The host's WASI 0.2 resources: streams, pollables, errors, descriptors and
// directory listings, each an entry of one table whose index is the rep the
// component's handle table holds (a handle the guest passes back arrives
// here as that rep, already checked to be of the right resource type).
// Entries are plain structs with a kind tag; a rep of the wrong kind (which
// the handle table should make impossible) is an error, never a crash.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
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

enum class Kind : uint8_t {
  Free, InputStream, OutputStream, Pollable, Error, Descriptor, DirEntries,
  // wasi:http (http.cpp)
  Fields, IncomingRequest, IncomingBody, FutureTrailers, OutgoingResponse, OutgoingBody, ResponseOutparam,
  OutgoingRequest, RequestOptions, FutureIncomingResponse, IncomingResponse,
};

// wasi:http's data, shared between a resource and its children (a
// request's headers, a body's stream).
struct HttpFields {
  std::vector<std::pair<std::string, std::string>> entries;  // name as given, value bytes
  bool immutable = false;
};
struct HttpMessage {  // a request or a response, incoming or outgoing
  std::string method = "GET";  // requests
  std::optional<std::string> path, authority, scheme;
  uint16_t status = 200;  // responses
  std::string error;      // a future response that failed: why (internal-error's text)
  std::shared_ptr<HttpFields> headers = std::make_shared<HttpFields>();
  std::shared_ptr<std::string> body = std::make_shared<std::string>();
  bool body_taken = false;  // consume() / body() gave the body out
  bool finished = false;    // an outgoing body's finish() was called
  std::shared_ptr<HttpFields> trailers;
};
// What a response-outparam was set to.
struct HttpResponseSlot {
  bool set = false;
  std::shared_ptr<HttpMessage> response;  // null: the guest set an error
  std::string error;                      // the error-code's case, for the log
};

// What a stream reads or writes.
enum class StreamKind : uint8_t {
  Memory,  // a byte buffer (`mem`): an HTTP body
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
  // Memory streams: the buffer (read from `offset`, or appended to, up to
  // mem_limit bytes: an output stream fails past it).
  std::shared_ptr<std::string> mem;
  uint64_t mem_limit = UINT64_MAX;
  // wasi:http resources.
  std::shared_ptr<HttpFields> fields;
  std::shared_ptr<HttpMessage> http;
  std::shared_ptr<HttpResponseSlot> slot;
  bool taken = false;  // a future's value was taken
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
