#include "analytics/series.h"

#include <algorithm>
#include <optional>

#include "analytics/grid.h"
#include "analytics/raw_buckets.h"
#include "analytics/raw_points.h"

namespace cw::analytics {

namespace {

using detail::Grid;

constexpr std::size_t kMaxPoints = 10000;
// How far back a raw chart looks for the sample before its range (to know the interval and the
// register at the range's start). A silence longer than this before the range shows as a gap
// of unknown energy; the rollup levels have no such limit.
constexpr TimeMs kRawLookbackMs = kDayMs;

SeriesPoint to_point(const Rollup& r) {
  SeriesPoint p;
  p.start = r.start;
  p.end = r.end;
  p.has_data = r.covered_ms > 0;
  p.mean_w = r.mean_w();
  if (r.count > 0) {
    p.min_w = r.min_w;
    p.max_w = r.max_w;
  }
  p.energy_wh = double(r.energy_mwh) / 1000.0;
  p.coverage = r.coverage();
  p.estimated = r.gap_energy_mwh > 0;
  p.count = r.count;
  return p;
}

// Every group of the grid as a point, from the rollups of the grid's level.
Result<Series> from_rollups(store::Store& store, SensorId sensor, const Grid& grid) {
  auto rollups = store.rollups(sensor, grid.level, grid.edges.front(), grid.edges.back());
  if (!rollups) return rollups.status();
  std::vector<Rollup> groups(grid.size());
  for (std::size_t i = 0; i < groups.size(); ++i) {
    groups[i].start = grid.edges[i];
    groups[i].end = grid.edges[i + 1];
  }
  std::size_t i = 0;
  for (const Rollup& r : *rollups) {  // both in time order: one sweep
    while (i < groups.size() && grid.edges[i + 1] <= r.start) ++i;
    if (i == groups.size()) break;
    if (r.start >= grid.edges[i]) merge_into(groups[i], r);
  }
  Series out{grid.level, grid.step_ms, {}};
  out.points.reserve(groups.size());
  for (const Rollup& g : groups) out.points.push_back(to_point(g));
  return out;
}

// The last sample before t, looking back at most `within`.
Result<std::optional<Sample>> sample_before(store::Store& store, SensorId sensor, TimeMs t,
                                            TimeMs within) {
  std::optional<Sample> found;
  Status s = store.scan_raw(sensor, t - within, t, [&](std::span<const Sample> chunk) {
    if (!chunk.empty()) found = chunk.back();
    return true;
  });
  if (!s) return s;
  return found;
}

Result<std::optional<Sample>> sample_at_or_after(store::Store& store, SensorId sensor, TimeMs t,
                                                 TimeMs within) {
  std::optional<Sample> found;
  Status s = store.scan_raw(sensor, t, t + within, [&](std::span<const Sample> chunk) {
    if (!chunk.empty()) found = chunk.front();
    return !found;
  });
  if (!s) return s;
  return found;
}

// The last sample before t: first within one gap length (cheap, the usual case), else further.
Result<std::optional<Sample>> previous_sample(store::Store& store, const store::Sensor& sensor,
                                              TimeMs t) {
  const TimeMs near = std::min(sensor.max_gap_ms, kRawLookbackMs);
  auto prev = sample_before(store, sensor.id, t, near);
  if (!prev || prev->has_value() || near == kRawLookbackMs) return prev;
  return sample_before(store, sensor.id, t - near, kRawLookbackMs - near);
}

// One point per sample when they fit in max_points, else samples grouped on the grid. The grid
// may reach beyond [from, to) on both sides: its groups are read whole, so they are stable.
Result<Series> from_raw(store::Store& store, const store::Sensor& sensor, const SeriesQuery& q,
                        const Grid& grid) {
  const TimeMs scan_from = grid.edges.front();
  const TimeMs scan_to = grid.edges.back();
  auto prev = previous_sample(store, sensor, scan_from);
  if (!prev) return prev.status();
  auto after = sample_at_or_after(store, sensor.id, scan_to, kRawLookbackMs);
  if (!after) return after.status();

  detail::RawPoints points(q.from, q.to, sensor.max_gap_ms, q.max_points);
  detail::RawBuckets buckets(grid.edges, sensor.max_gap_ms);
  std::optional<Sample> next;  // first sample at or after q.to
  auto feed = [&](const Sample& x) {
    buckets.add(x);
    if (x.t < q.from) {
      points.add_before(x);
    } else if (x.t < q.to) {
      points.add(x);
    } else if (!next) {
      next = x;
    }
  };
  if (*prev) feed(**prev);
  Status s = store.scan_raw(sensor.id, scan_from, scan_to, [&](std::span<const Sample> chunk) {
    for (const Sample& x : chunk) feed(x);
    return true;
  });
  if (!s) return s;
  if (*after) feed(**after);
  points.finish(next);

  if (!points.overflowed()) return Series{Level::kRaw, points.mean_interval_ms(), points.take()};
  Series out{Level::kRaw, grid.step_ms, {}};
  out.points.reserve(grid.size());
  for (const Rollup& b : buckets.buckets()) out.points.push_back(to_point(b));
  return out;
}

}  // namespace

Result<Series> query_series(store::Store& store, const Calendar& calendar, const SeriesQuery& q) {
  CW_RETURN_IF_ERROR(detail::check_range(q.from, q.to));
  if (q.max_points == 0 || q.max_points > kMaxPoints) {
    return invalid_argument("max_points must be between 1 and " + std::to_string(kMaxPoints));
  }
  auto sensor = store.sensor(q.sensor);
  if (!sensor) return sensor.status();

  const Grid grid = detail::plan_grid(calendar, q.from, q.to, q.max_points);
  if (grid.level == Level::kRaw) return from_raw(store, *sensor, q, grid);
  return from_rollups(store, q.sensor, grid);
}

}  // namespace cw::analytics
