// memory_image.hpp: building a module's memory images, once.
#include "runtime/vm/memory_image.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <string>

#include "runtime/vm/memory.hpp"

namespace wisp {

namespace {

struct Images {
  std::vector<std::unique_ptr<MemoryImage>> list;
  DataPlan plan;
};

std::mutex& creation() {
  static std::mutex* mu = new std::mutex;  // leaked: modules may die during static destruction
  return *mu;
}

uint64_t os_page() {
  static const uint64_t p = uint64_t(sysconf(_SC_PAGESIZE));
  return p;
}

// The image of memory `mem` of m, or null if it does not qualify.
std::unique_ptr<MemoryImage> build(const Module& m, uint32_t mem) {
  if (mem < m.num_imported_memories) return nullptr;  // another module's memory
  const Limits& lim = m.memories[mem].type.limits;
  if (lim.is64) return nullptr;
  const uint64_t size = lim.min * kPageSize;
  uint64_t end = 0, total = 0;
  std::vector<uint32_t> segs;
  for (uint32_t i = 0; i < m.datas.size(); ++i) {
    const DataSegment& d = m.datas[i];
    if (d.mode != SegmentMode::Active || d.memory != mem) continue;
    if (d.offset.kind != ConstKind::Value) return nullptr;  // global.get: known at instantiation only
    uint32_t off;
    std::memcpy(&off, d.offset.value, 4);
    if (uint64_t(off) + d.data_size > size) return nullptr;  // would trap: copied, and trap, as always
    end = std::max<uint64_t>(end, uint64_t(off) + d.data_size);
    total += d.data_size;
    segs.push_back(i);
  }
  if (total < kMemoryImageMinBytes) return nullptr;
  auto img = std::make_unique<MemoryImage>();
  img->memory = mem;
  img->segments = std::move(segs);
  img->bytes = (end + os_page() - 1) / os_page() * os_page();
  std::vector<uint8_t> buf(size_t(img->bytes), 0);
  for (uint32_t i : img->segments) {
    const DataSegment& d = m.datas[i];
    uint32_t off;
    std::memcpy(&off, d.offset.value, 4);
    std::memcpy(buf.data() + off, m.bytes + d.data_offset, d.data_size);
  }
  img->fd = memfd_create("wisp-memory-image", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (img->fd < 0) return nullptr;
  for (size_t done = 0; done < buf.size();) {
    ssize_t n = write(img->fd, buf.data() + done, buf.size() - done);
    if (n <= 0) return nullptr;
    done += size_t(n);
  }
  // Sealed: nothing can change an image that instances map.
  fcntl(img->fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
  void* view = mmap(nullptr, img->bytes, PROT_READ, MAP_SHARED, img->fd, 0);
  if (view != MAP_FAILED) img->view = static_cast<const uint8_t*>(view);
  return img;
}

}  // namespace

MemoryImage::~MemoryImage() {
  if (view) munmap(const_cast<uint8_t*>(view), bytes);
  if (fd >= 0) close(fd);
}

static const Images& images_of(const Module& m) {
  std::lock_guard lock(creation());
  if (!m.memory_images) {
    auto images = std::make_shared<Images>();
    for (uint32_t i = 0; i < m.memories.size(); ++i)
      if (auto img = build(m, i)) images->list.push_back(std::move(img));
    std::vector<uint8_t> in_image(m.datas.size(), 0);
    for (const auto& img : images->list)
      for (uint32_t i : img->segments) in_image[i] = 1;
    DataPlan& plan = images->plan;
    plan.dropped.assign(m.datas.size(), 0);
    for (uint32_t i = 0; i < m.datas.size(); ++i) {
      if (m.datas[i].mode != SegmentMode::Active) continue;
      plan.dropped[i] = 1;
      if (!in_image[i]) plan.copied.push_back(i);
    }
    m.memory_images = images;
  }
  return *static_cast<const Images*>(m.memory_images.get());
}

const std::vector<std::unique_ptr<MemoryImage>>& memory_images(const Module& m) { return images_of(m).list; }

const DataPlan& data_plan(const Module& m) { return images_of(m).plan; }

}  // namespace wisp
