// Copy-on-write images of a module's initial memory (issue 15: "instantiation
// that does not grow with the module").
//
// A module whose active data segments all have constant offsets and fit in
// its memory's initial size starts every instance with the same bytes. Those
// bytes are written once into a memfd (the image), and each instance maps
// the image MAP_PRIVATE over the start of its fresh memory instead of
// copying the segments: instantiation costs one mmap whatever the size, the
// pages the instance only reads stay shared in the page cache, and a page it
// writes is copied then. MEMORY.md has the measurements.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "runtime/wasm/module.hpp"

namespace wisp {

struct MemoryImage {
  int fd = -1;           // memfd holding the bytes
  uint64_t bytes = 0;    // mapped length: the initialised prefix, OS pages
  const uint8_t* view = nullptr;  // the bytes mapped shared, read-only (LinearMemory::reset copies from it)
  uint32_t memory = 0;   // the module's memory index (a defined memory)
  std::vector<uint32_t> segments;  // the active data segments it stands for
  ~MemoryImage();
};

// Segments smaller than this in all are copied as they are (an mmap costs
// more than copying a few pages).
inline constexpr uint64_t kMemoryImageMinBytes = 64 * 1024;

// The images of m's memories (none for a memory that does not qualify),
// built on first use and kept with the module; thread-safe.
const std::vector<std::unique_ptr<MemoryImage>>& memory_images(const Module& m);

// What instantiation does with m's data segments once every image is
// mapped, worked out with the images: the active segments no image stands
// for, in order (to copy), and the data-dropped flags every instance starts
// with (instantiation drops each active segment). A module with 10,000
// segments, nearly all in its image, then costs a copy of 10 KB of flags,
// not a walk over the segments.
struct DataPlan {
  std::vector<uint32_t> copied;
  std::vector<uint8_t> dropped;
};
const DataPlan& data_plan(const Module& m);

}  // namespace wisp
