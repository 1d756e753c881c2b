// Slows online password guessing with an exponential backoff: after free_failures failed logins
// under one key (a client address, or an account name), each further failure doubles the wait
// before the next attempt, from base_wait_ms up to max_wait_ms (never longer: a neighbour cannot
// lock an owner out for good). A key is forgotten forget_ms after its last failure, or at once
// on a success. Bounded memory: at most max_clients keys are tracked. Thread-safe.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <string>

#include "core/time.h"

namespace cw::web {

class LoginThrottle {
 public:
  struct Options {
    int free_failures = 5;
    TimeMs base_wait_ms = 2 * kSecondMs;
    TimeMs max_wait_ms = 15 * kMinuteMs;
    TimeMs forget_ms = kHourMs;
    std::size_t max_clients = 1024;
  };
  LoginThrottle() : LoginThrottle(Options{}) {}
  explicit LoginThrottle(Options o) : o_(o) {}

  // ms to wait before key may try again; 0 when it may try now.
  TimeMs retry_after(const std::string& key, TimeMs now);
  void failed(const std::string& key, TimeMs now);
  void succeeded(const std::string& key);
  // Keys (such as "account\naddress" after a successful login) that a caller may exempt from
  // the wait. At most max_clients are kept; the oldest go first.
  void trust(const std::string& key);
  bool trusted(const std::string& key);

 private:
  struct Entry {
    TimeMs last_failure = 0;
    int failures = 0;
  };
  TimeMs wait_after(int failures) const;
  void evict(TimeMs now);  // requires mu_

  const Options o_;
  std::mutex mu_;
  std::map<std::string, Entry> clients_;  // guarded by mu_
  std::deque<std::string> trusted_;       // guarded by mu_, oldest first
};

}  // namespace cw::web
