// `wisp run --timeout`: interrupts a store once a wall-clock deadline has
// passed (Store::interrupt: the running call traps "interrupted"). A
// thread sleeps until the deadline, then interrupts every millisecond
// until the run ends (the interrupt races with the guest's own fuel
// updates). wisp serve has its own watchdog over its event loops.
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "runtime/vm/store.hpp"

namespace wisp::cli {

class Deadline {
 public:
  // ms 0: no deadline, no thread.
  Deadline(Store& store, uint64_t ms) {
    if (ms == 0) return;
    const auto at = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    thread_ = std::thread([this, &store, at] {
      std::unique_lock lock(mu_);
      if (cv_.wait_until(lock, at, [&] { return done_; })) return;
      while (!cv_.wait_for(lock, std::chrono::milliseconds(1), [&] { return done_; })) store.interrupt();
    });
  }
  ~Deadline() {
    if (!thread_.joinable()) return;
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace wisp::cli
