// Rate-limited logging for events an attacker or a noisy radio can repeat at will: each key logs
// at most once per interval, and the next line says how many were suppressed.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "core/time.h"

namespace cw::ingest {

class LogLimiter {
 public:
  explicit LogLimiter(const Clock& clock, TimeMs interval_ms = 10 * kSecondMs)
      : clock_(clock), interval_(interval_ms) {}

  // Logs message at warning level under key unless key logged within the interval.
  void warn(const std::string& key, const std::string& message);

 private:
  struct Slot {
    TimeMs last = 0;
    std::uint64_t suppressed = 0;
    bool used = false;
  };
  const Clock& clock_;
  const TimeMs interval_;
  std::mutex mu_;
  std::map<std::string, Slot> slots_;  // guarded by mu_
};

}  // namespace cw::ingest
