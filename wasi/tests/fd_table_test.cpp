// Descriptor numbering: lowest free number, renumber, close.
#include "wasi/preview1/fd_table.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace wisp::wasi {
namespace {

FdEntry file_entry() {
  FdEntry e;
  e.kind = FdKind::File;
  e.host = open("/dev/null", O_RDONLY | O_CLOEXEC);
  e.base = right::FdRead;
  return e;
}

TEST(FdTable, LowestFreeNumberIsReused) {
  FdTable t;
  uint32_t a, b, c;
  ASSERT_EQ(t.insert(file_entry(), a), Errno::Success);
  ASSERT_EQ(t.insert(file_entry(), b), Errno::Success);
  EXPECT_EQ(a, 0u);
  EXPECT_EQ(b, 1u);
  EXPECT_EQ(t.close(a), Errno::Success);
  EXPECT_EQ(t.close(a), Errno::Badf);
  ASSERT_EQ(t.insert(file_entry(), c), Errno::Success);
  EXPECT_EQ(c, 0u);
}

TEST(FdTable, RightsAreChecked) {
  FdTable t;
  uint32_t fd;
  ASSERT_EQ(t.insert(file_entry(), fd), Errno::Success);
  FdEntry* e;
  EXPECT_EQ(t.get(fd, right::FdRead, e), Errno::Success);
  EXPECT_EQ(t.get(fd, right::FdWrite, e), Errno::NotCapable);
  EXPECT_EQ(t.get(fd + 7, right::FdRead, e), Errno::Badf);
}

TEST(FdTable, RenumberNeedsBothOpen) {
  FdTable t;
  uint32_t a, b;
  ASSERT_EQ(t.insert(file_entry(), a), Errno::Success);
  ASSERT_EQ(t.insert(file_entry(), b), Errno::Success);
  int host_a = t.find(a)->host;
  EXPECT_EQ(t.renumber(a, 9), Errno::Badf);
  EXPECT_EQ(t.renumber(a, b), Errno::Success);
  EXPECT_EQ(t.find(a), nullptr);
  ASSERT_NE(t.find(b), nullptr);
  EXPECT_EQ(t.find(b)->host, host_a);
  EXPECT_EQ(t.renumber(b, b), Errno::Success);
}

}  // namespace
}  // namespace wisp::wasi
