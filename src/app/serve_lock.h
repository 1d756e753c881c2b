// The running base's claim on its data folder: `serve` holds an exclusive flock on
// DATA/serve.lock for as long as it runs (the kernel drops it when the process dies, even by
// kill -9). Commands that must not write under a running base (import, restore) test it.
#pragma once

#include <string>

#include "core/status.h"

namespace cw::app {

class ServeLock {
 public:
  ServeLock() = default;
  explicit ServeLock(int fd) : fd_(fd) {}
  ~ServeLock();
  ServeLock(ServeLock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  ServeLock& operator=(ServeLock&& o) noexcept;
  ServeLock(const ServeLock&) = delete;
  ServeLock& operator=(const ServeLock&) = delete;

 private:
  int fd_ = -1;
};

// Takes the lock; unavailable ("a base is already running on DIR") when another process has it.
Result<ServeLock> lock_data_dir(const std::string& dir);

// Whether a base currently runs on dir (without taking the lock for long).
bool base_running(const std::string& dir);

}  // namespace cw::app
