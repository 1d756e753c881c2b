// Where a virtual sensor's power comes from: a synthetic household or a recorded dataset.
#pragma once

#include <cstdint>

#include "core/time.h"

namespace cw::simulate {

// One reading of a source. Power holds from t until the next reading's t.
struct PowerSample {
  TimeMs t = 0;                  // UTC ms (a recording's own clock, not the send time)
  double power_w = 0;            // W, or VA when `apparent`
  std::int64_t meter_wh = -1;    // the meter's own cumulative index when the source has one
  std::uint16_t voltage_dv = 0;  // 0.1 V; 0 = not measured
  std::uint16_t supply_mv = 0;   // sensor supply, 0 = unknown
  bool apparent = false;         // power is apparent power (VA): no voltage channel
};

// A stream of readings in strictly increasing time. Not thread-safe: one consumer.
class PowerSource {
 public:
  virtual ~PowerSource() = default;
  // Writes the next reading; false when the source is exhausted (a synthetic one never is).
  virtual bool next(PowerSample* out) = 0;
  // The source's usual spacing between readings (a larger gap is missing data).
  virtual TimeMs nominal_step_ms() const = 0;
};

}  // namespace cw::simulate
