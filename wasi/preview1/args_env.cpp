// args_* and environ_*: the same shape, a pointer array plus a buffer of
// NUL-terminated strings.
#include <cstring>

#include "wasi/preview1/functions.hpp"
#include "wasi/wasi.hpp"

namespace wisp::wasi::fn {
namespace {

uint64_t buffer_size(const std::vector<std::string>& v) {
  uint64_t n = 0;
  for (const std::string& s : v) n += s.size() + 1;
  return n;
}

Errno write_strings(const GuestMemory& mem, const std::vector<std::string>& v, u32 ptrs, u32 buf) {
  // Check both regions up front so a bad pointer leaves memory untouched.
  uint8_t* p = mem.array(ptrs, v.size(), 4);
  uint8_t* b = mem.ptr(buf, buffer_size(v));
  if (!p || !b) return Errno::Fault;
  uint32_t off = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    put<uint32_t>(p, uint32_t(i * 4), buf + off);
    std::memcpy(b + off, v[i].data(), v[i].size());
    b[off + v[i].size()] = 0;
    off += uint32_t(v[i].size() + 1);
  }
  return Errno::Success;
}

Errno write_sizes(const GuestMemory& mem, const std::vector<std::string>& v, u32 count_out,
                  u32 size_out) {
  uint64_t size = buffer_size(v);
  if (v.size() > UINT32_MAX || size > UINT32_MAX) return Errno::Overflow;
  if (!mem.in_bounds(count_out, 4) || !mem.in_bounds(size_out, 4)) return Errno::Fault;
  mem.store<uint32_t>(count_out, uint32_t(v.size()));
  mem.store<uint32_t>(size_out, uint32_t(size));
  return Errno::Success;
}

}  // namespace

Errno args_get(Call& c, u32 argv, u32 argv_buf) { return write_strings(c.mem, c.ctx.args, argv, argv_buf); }
Errno args_sizes_get(Call& c, u32 argc_out, u32 size_out) {
  return write_sizes(c.mem, c.ctx.args, argc_out, size_out);
}
Errno environ_get(Call& c, u32 env, u32 env_buf) { return write_strings(c.mem, c.ctx.env, env, env_buf); }
Errno environ_sizes_get(Call& c, u32 count_out, u32 size_out) {
  return write_sizes(c.mem, c.ctx.env, count_out, size_out);
}

}  // namespace wisp::wasi::fn
