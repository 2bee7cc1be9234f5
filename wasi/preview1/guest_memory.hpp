// Bounds-checked access to the calling instance's linear memory.
//
// Host functions run under HostCallScope, where a fault is a crash rather
// than a trap, so every guest pointer goes through here. The view is taken
// once per call: WASI functions never call back into wasm, so the memory
// cannot grow (or move) while one runs. A missing memory behaves as an empty
// one: every non-empty access fails, and the caller returns EFAULT.
#pragma once
#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace wisp::wasi {

static_assert(std::endian::native == std::endian::little,
              "guest structs are copied byte for byte; a big-endian host needs byte swaps");

class GuestMemory {
 public:
  GuestMemory() = default;
  GuestMemory(uint8_t* base, uint64_t size) : base_(base), size_(size) {}

  uint64_t size() const { return size_; }
  // Whether [addr, addr + len) lies inside memory (overflow-safe).
  bool in_bounds(uint64_t addr, uint64_t len) const {
    return addr <= size_ && len <= size_ - addr;
  }
  // Pointer to len bytes at addr, or nullptr when out of bounds.
  uint8_t* ptr(uint64_t addr, uint64_t len) const {
    return in_bounds(addr, len) ? base_ + addr : nullptr;
  }
  // Same for an array of n elements of `elem` bytes each (n * elem checked
  // for overflow).
  uint8_t* array(uint64_t addr, uint64_t n, uint64_t elem) const {
    if (elem && n > UINT64_MAX / elem) return nullptr;
    return ptr(addr, n * elem);
  }

  template <class T>
  bool load(uint64_t addr, T& out) const {
    const uint8_t* p = ptr(addr, sizeof(T));
    if (!p) return false;
    std::memcpy(&out, p, sizeof(T));
    return true;
  }
  template <class T>
  bool store(uint64_t addr, T v) const {
    uint8_t* p = ptr(addr, sizeof(T));
    if (!p) return false;
    std::memcpy(p, &v, sizeof(T));
    return true;
  }
  bool view(uint64_t addr, uint64_t len, std::string_view& out) const {
    const uint8_t* p = ptr(addr, len);
    if (!p) return false;
    out = std::string_view(reinterpret_cast<const char*>(p), len);
    return true;
  }

 private:
  uint8_t* base_ = nullptr;
  uint64_t size_ = 0;
};

// Little-endian field writers for structs already bounds-checked as a whole.
template <class T>
inline void put(uint8_t* p, uint32_t off, T v) {
  std::memcpy(p + off, &v, sizeof(T));
}
template <class T>
inline T get(const uint8_t* p, uint32_t off) {
  T v;
  std::memcpy(&v, p + off, sizeof(T));
  return v;
}

}  // namespace wisp::wasi
