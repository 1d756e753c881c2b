// A per-client-address token bucket for the API: a neighbour's script that floods the base gets
// HTTP 429 with Retry-After instead of the Raspberry Pi's CPU. Bounded memory: at most
// max_clients addresses are tracked (the least recently seen is forgotten first). Thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <string>

#include "core/time.h"

namespace cw::web {

struct RateLimitOptions {
  double requests_per_s = 50;  // sustained rate; 0 turns the limit off
  double burst = 200;          // requests allowed at once (the UI's first load is ~20)
  std::size_t max_clients = 1024;
};

class RateLimit {
 public:
  explicit RateLimit(RateLimitOptions o) : o_(o) {}

  // Takes one request from client's bucket at time now: 0 when allowed, else the ms to wait.
  TimeMs take(const std::string& client, TimeMs now);

 private:
  struct Bucket {
    double tokens = 0;
    TimeMs updated = 0;
  };
  const RateLimitOptions o_;
  std::mutex mu_;
  std::map<std::string, Bucket> buckets_;  // guarded by mu_
};

}  // namespace cw::web
