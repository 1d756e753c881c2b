#include "ingest/live_hub.h"

namespace cw::ingest {

void LiveHub::publish(SensorId sensor, const Sample& sample) {
  {
    std::lock_guard lock(mu_);
    ring_.push_back(LiveEvent{++seq_, sensor, sample});
    if (ring_.size() > capacity_) ring_.pop_front();
  }
  cv_.notify_all();
}

LiveRead LiveHub::read_after(std::uint64_t after, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return closed_ || seq_ > after; });
  LiveRead r;
  r.closed = closed_;
  if (ring_.empty() || seq_ <= after) return r;
  r.missed = ring_.front().seq > after + 1;
  for (const auto& e : ring_)
    if (e.seq > after) r.events.push_back(e);
  return r;
}

std::uint64_t LiveHub::last_seq() const {
  std::lock_guard lock(mu_);
  return seq_;
}

void LiveHub::close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

}  // namespace cw::ingest
