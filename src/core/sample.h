// The measurement data model (docs/architecture.md, "Data model").
//
// A sensor reports instantaneous power and a cumulative energy register that only grows. The
// base stamps each accepted sample with its receipt time. Energy over any period comes from
// differences of the register, so a lost frame loses no energy.
#pragma once

#include <cstdint>

#include "core/time.h"

namespace cw {

using SensorId = std::uint16_t;

// One accepted measurement, as stored.
struct Sample {
  TimeMs t = 0;                // receipt time at the base, UTC ms; strictly increasing per sensor
  std::uint32_t counter = 0;   // the sensor's frame counter (orders and de-duplicates)
  std::int32_t power_w = 0;    // instantaneous power, W (apparent VA for current-only sensors)
  std::int64_t energy_wh = 0;  // continuous cumulative energy, Wh: the sensor's register plus
                               // the offset that hides its resets (never decreases)
  friend bool operator==(const Sample&, const Sample&) = default;
};

// Aggregation levels. Raw samples are kept for the retention period, rollups forever.
enum class Level : std::uint8_t { kRaw = 0, kMinute = 1, kHour = 2, kDay = 3 };

const char* level_name(Level level);

// One bucket of a rollup level. Buckets are [start, end); day buckets follow the household's
// local days, so they last 23, 24 or 25 hours.
//
// Energy comes from the cumulative register, interpolated linearly at bucket edges, so the
// energies of consecutive buckets add up exactly to the register difference. Power statistics
// come only from time actually covered by samples: a gap is missing data, never interpolated.
struct Rollup {
  TimeMs start = 0;
  TimeMs end = 0;
  std::uint32_t count = 0;          // samples received in the bucket
  std::int32_t min_w = 0;           // meaningful only when count > 0
  std::int32_t max_w = 0;
  std::int64_t sum_wms = 0;         // integral of power over covered time, W·ms
  std::int64_t covered_ms = 0;      // time covered by samples (not by gaps)
  std::int64_t energy_mwh = 0;      // energy in the bucket from the register, mWh
  std::int64_t gap_energy_mwh = 0;  // part of energy_mwh that was spread across a gap (estimate)

  double mean_w() const { return covered_ms > 0 ? double(sum_wms) / double(covered_ms) : 0.0; }
  double coverage() const { return end > start ? double(covered_ms) / double(end - start) : 0.0; }
  friend bool operator==(const Rollup&, const Rollup&) = default;
};

// Folds b (a later or same-range bucket) into a.
void merge_into(Rollup& a, const Rollup& b);

}  // namespace cw
