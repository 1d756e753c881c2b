#include "ingest/log_limiter.h"

#include <spdlog/spdlog.h>

namespace cw::ingest {

void LogLimiter::warn(const std::string& key, const std::string& message) {
  std::uint64_t suppressed = 0;
  {
    std::lock_guard lock(mu_);
    if (slots_.size() > 1024 && !slots_.count(key)) slots_.clear();  // bound memory
    Slot& s = slots_[key];
    TimeMs now = clock_.now();
    if (s.used && now - s.last < interval_) {
      ++s.suppressed;
      return;
    }
    suppressed = s.suppressed;
    s = Slot{now, 0, true};
  }
  if (suppressed > 0)
    spdlog::warn("{} ({} similar suppressed)", message, suppressed);
  else
    spdlog::warn("{}", message);
}

}  // namespace cw::ingest
