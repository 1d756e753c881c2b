// The pure frame generator: a virtual sensor fed by a power source, producing the frames it
// would send and the source time at which it sends each. No sockets, no clock: the Simulation
// paces these frames onto the wall clock, tests and benchmarks read them directly.
//
// Sequence: a hello at the first reading's time, then one measurement per period (or, with
// period 0, one per reading), the first carrying kFlagReboot. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "simulate/power_source.h"
#include "simulate/virtual_sensor.h"

namespace cw::simulate {

struct TimedFrame {
  TimeMs t = 0;  // source time of the frame (the recording's or the household's clock)
  std::uint8_t bytes[protocol::kMaxFrame] = {};
  std::size_t len = 0;
};

class FrameFeed {
 public:
  // period_ms 0: a frame for every reading (a replay's native rate).
  FrameFeed(const VirtualSensorConfig& config, std::unique_ptr<PowerSource> source,
            TimeMs period_ms);

  // The next frame; false when the source is exhausted (or the counter is).
  bool next(TimedFrame* out);
  // Source time of the first reading (the hello's time).
  TimeMs start_time() const { return t0_; }
  const VirtualSensor& sensor() const { return sensor_; }

 private:
  bool pull();  // reads one more reading into pending_

  VirtualSensor sensor_;
  std::unique_ptr<PowerSource> source_;
  TimeMs period_ms_;
  TimeMs t0_ = 0;
  TimeMs next_t_ = 0;  // source time of the next periodic measurement
  PowerSample pending_;
  bool has_pending_ = false;
  bool hello_sent_ = false;
  bool exhausted_ = false;
};

}  // namespace cw::simulate
