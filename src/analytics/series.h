// Chart series: any time range of a sensor as at most N points, read from the coarsest rollup
// level that still gives the points asked for (docs/architecture.md, "Reading a chart").
#pragma once

#include <cstddef>
#include <vector>

#include "core/calendar.h"
#include "core/sample.h"
#include "store/store.h"

namespace cw::analytics {

struct SeriesQuery {
  SensorId sensor = 0;
  TimeMs from = 0;  // inclusive
  TimeMs to = 0;    // exclusive
  std::size_t max_points = 1000;
};

// One point of a chart. A point with has_data = false is an explicit gap: no sample covered it
// (its energy may still be known from the counters, then estimated = true).
struct SeriesPoint {
  TimeMs start = 0;
  TimeMs end = 0;
  bool has_data = false;
  double mean_w = 0;  // time-weighted over covered time
  std::int32_t min_w = 0;
  std::int32_t max_w = 0;
  double energy_wh = 0;
  double coverage = 0;     // covered fraction of [start, end), 0..1
  bool estimated = false;  // part of energy_wh was spread across a gap
  std::uint32_t count = 0;
};

struct Series {
  Level level = Level::kRaw;  // level the points were read from
  TimeMs step_ms = 0;         // nominal width of one point
  std::vector<SeriesPoint> points;
};

// Errors: invalid_argument when from >= to, the range leaves the years 1900..9999, max_points is
// 0 or above 10000; not_found when the sensor is unknown.
Result<Series> query_series(store::Store& store, const Calendar& calendar, const SeriesQuery& q);

}  // namespace cw::analytics
