#include "web/rate_limit.h"

#include <algorithm>
#include <cmath>

namespace cw::web {

TimeMs RateLimit::take(const std::string& client, TimeMs now) {
  if (o_.requests_per_s <= 0) return 0;
  std::lock_guard lock(mu_);
  auto it = buckets_.find(client);
  if (it == buckets_.end()) {
    if (buckets_.size() >= o_.max_clients) {
      auto oldest = std::min_element(buckets_.begin(), buckets_.end(), [](auto& a, auto& b) {
        return a.second.updated < b.second.updated;
      });
      buckets_.erase(oldest);
    }
    it = buckets_.emplace(client, Bucket{o_.burst, now}).first;
  }
  Bucket& b = it->second;
  const double elapsed_s = static_cast<double>(std::max<TimeMs>(0, now - b.updated)) / 1000.0;
  b.tokens = std::min(o_.burst, b.tokens + elapsed_s * o_.requests_per_s);
  b.updated = std::max(b.updated, now);
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  return static_cast<TimeMs>(std::ceil((1 - b.tokens) / o_.requests_per_s * 1000.0));
}

}  // namespace cw::web
