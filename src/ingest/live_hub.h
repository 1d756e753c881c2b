// Live fan-out of committed samples to any number of readers (the SSE stream, MQTT later).
//
// A bounded ring of recent events with sequence numbers: the writer never blocks on a slow
// reader; a reader that falls more than the ring behind is told so and skips ahead.
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

#include "core/sample.h"

namespace cw::ingest {

struct LiveEvent {
  std::uint64_t seq = 0;
  SensorId sensor = 0;
  Sample sample;
};

struct LiveRead {
  std::vector<LiveEvent> events;
  bool missed = false;  // events between the reader's position and the first returned were dropped
  bool closed = false;  // the hub is shutting down: stop reading
};

class LiveHub {
 public:
  explicit LiveHub(std::size_t capacity = 4096) : capacity_(capacity) {}

  void publish(SensorId sensor, const Sample& sample);
  // Events with seq > after, waiting up to timeout for at least one.
  LiveRead read_after(std::uint64_t after, std::chrono::milliseconds timeout);
  std::uint64_t last_seq() const;
  // Wakes every reader with closed = true; later reads return at once.
  void close();

 private:
  const std::size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<LiveEvent> ring_;  // guarded by mu_
  std::uint64_t seq_ = 0;       // guarded by mu_
  bool closed_ = false;         // guarded by mu_
};

}  // namespace cw::ingest
