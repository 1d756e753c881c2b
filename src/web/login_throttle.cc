#include "web/login_throttle.h"

namespace cw::web {

TimeMs LoginThrottle::retry_after(const std::string& client, TimeMs now) {
  std::lock_guard lock(mu_);
  auto it = clients_.find(client);
  if (it == clients_.end()) return 0;
  const TimeMs end = it->second.window_start + o_.window_ms;
  if (now >= end) {
    clients_.erase(it);
    return 0;
  }
  return it->second.failures >= o_.max_failures ? end - now : 0;
}

void LoginThrottle::failed(const std::string& client, TimeMs now) {
  std::lock_guard lock(mu_);
  auto it = clients_.find(client);
  if (it == clients_.end() || now >= it->second.window_start + o_.window_ms) {
    if (it == clients_.end() && clients_.size() >= o_.max_clients) evict(now);
    clients_[client] = Entry{now, 1};
    return;
  }
  ++it->second.failures;
}

void LoginThrottle::succeeded(const std::string& client) {
  std::lock_guard lock(mu_);
  clients_.erase(client);
}

void LoginThrottle::evict(TimeMs now) {
  std::erase_if(clients_,
                [&](const auto& kv) { return now >= kv.second.window_start + o_.window_ms; });
  // Still full (a flood of addresses): forget the lot rather than grow without bound.
  if (clients_.size() >= o_.max_clients) clients_.clear();
}

}  // namespace cw::web
