#include "web/login_throttle.h"

#include <algorithm>

namespace cw::web {

TimeMs LoginThrottle::wait_after(int failures) const {
  if (failures <= o_.free_failures) return 0;
  TimeMs wait = o_.base_wait_ms;
  for (int k = o_.free_failures + 1; k < failures && wait < o_.max_wait_ms; ++k) wait *= 2;
  return std::min(wait, o_.max_wait_ms);
}

TimeMs LoginThrottle::retry_after(const std::string& key, TimeMs now) {
  std::lock_guard lock(mu_);
  auto it = clients_.find(key);
  if (it == clients_.end()) return 0;
  if (now >= it->second.last_failure + o_.forget_ms) {
    clients_.erase(it);
    return 0;
  }
  const TimeMs end = it->second.last_failure + wait_after(it->second.failures);
  return now < end ? end - now : 0;
}

void LoginThrottle::failed(const std::string& key, TimeMs now) {
  std::lock_guard lock(mu_);
  auto it = clients_.find(key);
  if (it == clients_.end() || now >= it->second.last_failure + o_.forget_ms) {
    if (it == clients_.end() && clients_.size() >= o_.max_clients) evict(now);
    clients_[key] = Entry{now, 1};
    return;
  }
  it->second.last_failure = now;
  ++it->second.failures;
}

void LoginThrottle::succeeded(const std::string& key) {
  std::lock_guard lock(mu_);
  clients_.erase(key);
}

void LoginThrottle::trust(const std::string& key) {
  std::lock_guard lock(mu_);
  if (std::find(trusted_.begin(), trusted_.end(), key) != trusted_.end()) return;
  if (trusted_.size() >= o_.max_clients) trusted_.pop_front();
  trusted_.push_back(key);
}

bool LoginThrottle::trusted(const std::string& key) {
  std::lock_guard lock(mu_);
  return std::find(trusted_.begin(), trusted_.end(), key) != trusted_.end();
}

void LoginThrottle::evict(TimeMs now) {
  std::erase_if(clients_,
                [&](const auto& kv) { return now >= kv.second.last_failure + o_.forget_ms; });
  // Still full (a flood of addresses): forget the lot rather than grow without bound.
  if (clients_.size() >= o_.max_clients) clients_.clear();
}

}  // namespace cw::web
