// Slows online password guessing: after max_failures failed logins from one client address
// within window_ms, further attempts from it are refused (HTTP 429) until the window ends.
// Bounded memory: at most max_clients addresses are tracked. Thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <string>

#include "core/time.h"

namespace cw::web {

class LoginThrottle {
 public:
  struct Options {
    int max_failures = 10;
    TimeMs window_ms = 15 * kMinuteMs;
    std::size_t max_clients = 1024;
  };
  LoginThrottle() : LoginThrottle(Options{}) {}
  explicit LoginThrottle(Options o) : o_(o) {}

  // ms to wait before client may try again; 0 when it may try now.
  TimeMs retry_after(const std::string& client, TimeMs now);
  void failed(const std::string& client, TimeMs now);
  void succeeded(const std::string& client);

 private:
  struct Entry {
    TimeMs window_start = 0;
    int failures = 0;
  };
  void evict(TimeMs now);  // requires mu_

  const Options o_;
  std::mutex mu_;
  std::map<std::string, Entry> clients_;  // guarded by mu_
};

}  // namespace cw::web
