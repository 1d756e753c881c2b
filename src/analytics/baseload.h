// Always-on power (standby): what the home draws when nothing is being used. Estimated robustly
// from the minute rollups of the nights (00:00-05:00 local): the 10th percentile of the 1-min
// mean powers over the last 7 nights, never one noisy minimum. A night counts only when samples
// cover 80 % of it; a night without enough data is said to be missing, never taken as zero.
// DST nights last 4 or 6 hours: the window follows the local clock.
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include "analytics/forecast.h"
#include "analytics/tariff.h"
#include "core/calendar.h"
#include "store/store.h"

namespace cw::analytics {

struct BaseloadOptions {
  int nights = 7;
  int night_start_min = 0;     // 00:00 local
  int night_end_min = 5 * 60;  // 05:00 local
  double percentile = 0.10;    // nearest rank
  double min_night_coverage = 0.8;
  double min_minute_coverage = 0.5;  // a minute counts when samples cover half of it
};

// A year of always-on power: 365.25 days.
inline constexpr double kHoursPerYear = 8766;

struct NightLoad {
  LocalDay night =
      0;  // the local date the night ends on ("the night of the 27th" = 27th 00:00-05:00)
  TimeMs start = 0;
  TimeMs end = 0;
  double coverage = 0;               // covered fraction of the window
  std::optional<double> watts;       // the night's own estimate (whole W); absent when missing
  std::vector<double> minute_means;  // W, of the minutes that count (empty when missing)
};

struct Baseload {
  std::optional<double> watts;  // whole W, pooled over the nights that count
  int nights = 0;               // nights that count, of options.nights
  Confidence confidence = Confidence::kNone;
  std::vector<NightLoad> per_night;  // the last options.nights nights, oldest first
  std::optional<double> previous_w;  // the same estimate over the nights before those
  int previous_nights = 0;
};

// Nearest-rank percentile (the smallest value with at least q of the values at or below it).
// values must not be empty; q in (0, 1].
double low_percentile(std::vector<double> values, double q);

// UTC instant of a local wall-clock minute of a local day (DST-safe for minutes that exist).
TimeMs local_time(const Calendar& calendar, LocalDay day, int minute);
std::pair<TimeMs, TimeMs> night_window(const Calendar& calendar, LocalDay night,
                                       const BaseloadOptions& o = {});
// The most recent night whose window has ended at now.
LocalDay last_complete_night(const Calendar& calendar, TimeMs now, const BaseloadOptions& o = {});

// One night's load from the minute rollups of its window (pure).
NightLoad night_load(const std::vector<Rollup>& minutes, LocalDay night, TimeMs start, TimeMs end,
                     const BaseloadOptions& o = {});
// The percentile of the pooled minutes of the nights that count (pure); nullopt without any.
std::optional<double> pooled_watts(const std::vector<NightLoad>& nights,
                                   const BaseloadOptions& o = {});
Confidence baseload_confidence(int nights);  // 0 none, 1-2 low, 3-5 medium, 6+ high

// Nights [first, first + count), read from the store's minute rollups. not_found for an
// unknown sensor.
Result<std::vector<NightLoad>> read_nights(store::Store& store, const Calendar& calendar,
                                           SensorId sensor, LocalDay first, int count,
                                           const BaseloadOptions& o = {});

// The always-on power as of now: the last options.nights complete nights and the ones before.
Result<Baseload> baseload(store::Store& store, const Calendar& calendar, SensorId sensor,
                          TimeMs now, const BaseloadOptions& o = {});

// Energy of a constant load over a year, mWh.
std::int64_t yearly_mwh(double watts);

}  // namespace cw::analytics
