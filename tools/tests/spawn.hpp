// Runs the wisp CLI as a child process for the process-level tests: its
// stdout and stderr go to files, stdio can be redirected or closed, and an
// address-space limit can be set, as a hostile parent or a tight container
// would.
#pragma once
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#ifndef WISP_CLI
#error "WISP_CLI must name the wisp binary"
#endif

namespace wisp::test {

namespace fs = std::filesystem;

struct Outcome {
  bool timed_out = false;
  bool signaled = false;
  int signal = 0;
  int exit_code = -1;
  double seconds = 0;
  std::string out, err;
};

struct SpawnOptions {
  int stdin_fd = -1;           // becomes the child's fd 0 (default: inherited)
  bool close_stdout = false;   // the child starts with fd 1 closed
  bool close_stderr = false;   // the child starts with fd 2 closed
  uint64_t address_space = 0;  // RLIMIT_AS in bytes, 0 for none
};

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A running `wisp ARGS...`; output files live in `dir`.
class Child {
 public:
  Child(const std::vector<std::string>& args, const fs::path& dir, const SpawnOptions& o = {})
      : out_(dir / ".stdout"), err_(dir / ".stderr") {
    std::vector<std::string> argv_s = {WISP_CLI};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    start_ = std::chrono::steady_clock::now();
    pid_ = fork();
    if (pid_ == 0) {  // only async-signal-safe calls from here on
      int fo = open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int fe = open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fo < 0 || fe < 0) _exit(120);
      if (o.stdin_fd >= 0) dup2(o.stdin_fd, 0);
      dup2(fo, 1);
      dup2(fe, 2);
      close(fo);
      close(fe);
      if (o.close_stdout) close(1);
      if (o.close_stderr) close(2);
      if (o.address_space) {
        rlimit rl{o.address_space, o.address_space};
        setrlimit(RLIMIT_AS, &rl);
      }
      execv(WISP_CLI, argv.data());
      _exit(121);
    }
  }
  ~Child() {
    if (pid_ > 0 && !done_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  bool started() const { return pid_ > 0; }
  // True while the child has not exited (reaps it if it has).
  bool running() {
    if (done_) return false;
    if (waitpid(pid_, &status_, WNOHANG) == pid_) done_ = true;
    return !done_;
  }
  void signal(int sig) { kill(pid_, sig); }

  // Waits for the child, killing it after `timeout`.
  Outcome wait(std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    Outcome r;
    while (running()) {
      if (std::chrono::steady_clock::now() - start_ > timeout) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status_, 0);
        done_ = true;
        r.timed_out = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (WIFSIGNALED(status_)) {
      r.signaled = true;
      r.signal = WTERMSIG(status_);
    } else if (WIFEXITED(status_)) {
      r.exit_code = WEXITSTATUS(status_);
    }
    r.out = slurp(out_);
    r.err = slurp(err_);
    return r;
  }

 private:
  fs::path out_, err_;
  pid_t pid_ = -1;
  int status_ = 0;
  bool done_ = false;
  std::chrono::steady_clock::time_point start_;
};

// Runs `wisp args...` to completion.
inline Outcome run_wisp(const std::vector<std::string>& args, const fs::path& dir,
                        const SpawnOptions& o = {},
                        std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
  Child c(args, dir, o);
  if (!c.started()) return {};
  return c.wait(timeout);
}

}  // namespace wisp::test
