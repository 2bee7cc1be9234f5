// A scratch directory tree for sandbox tests, removed afterwards.
#pragma once
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace wisp::wasi::testing {

class TempTree {
 public:
  TempTree() {
    char tmpl[] = "/tmp/wisp-wasi-test-XXXXXX";
    const char* d = mkdtemp(tmpl);
    path_ = d ? d : "";
  }
  ~TempTree() {
    if (!path_.empty())
      nftw(path_.c_str(), [](const char* p, const struct stat*, int, FTW*) { return remove(p); },
           16, FTW_DEPTH | FTW_PHYS);
  }
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;

  const std::string& path() const { return path_; }
  std::string at(const std::string& rel) const { return path_ + "/" + rel; }

  void mkdir(const std::string& rel) const { ::mkdir(at(rel).c_str(), 0755); }
  void write(const std::string& rel, const std::string& data) const {
    int fd = ::open(at(rel).c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
      (void)!::write(fd, data.data(), data.size());
      ::close(fd);
    }
  }
  void symlink(const std::string& target, const std::string& rel) const {
    (void)!::symlink(target.c_str(), at(rel).c_str());
  }
  bool exists(const std::string& rel) const {
    struct stat st;
    return lstat(at(rel).c_str(), &st) == 0;
  }

 private:
  std::string path_;
};

inline std::string read_fd(int fd) {
  std::string s;
  char buf[256];
  ssize_t n;
  while ((n = pread(fd, buf, sizeof buf, off_t(s.size()))) > 0) s.append(buf, size_t(n));
  return s;
}

}  // namespace wisp::wasi::testing
