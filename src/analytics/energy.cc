#include "analytics/energy.h"

#include <algorithm>

#include "analytics/grid.h"

namespace cw::analytics {

namespace {

constexpr std::size_t kMaxBuckets = 10000;

// Edges of the local periods that intersect [from, to); empty when there would be too many.
std::vector<TimeMs> period_edges(const Calendar& calendar, TimeMs from, TimeMs to, Period by) {
  std::vector<TimeMs> edges{calendar.floor(from, by)};
  while (edges.back() < to) {
    if (edges.size() > kMaxBuckets) return {};
    edges.push_back(calendar.next(edges.back(), by));
  }
  return edges;
}

bool on_utc_hour(TimeMs t) {
  return floor_to(t, kHourMs) == t;
}

// Local periods are unions of UTC hours when every edge falls on a UTC hour (zones with
// whole-hour offsets, such as Europe/Paris, even across DST), so the hour rollups sum to them
// exactly. Otherwise (Asia/Kolkata at +05:30, Nepal at +05:45) they are summed from minute
// rollups: 60 times more records, still exact. The hour rollups are also checked to be UTC hours
// (a store kept in another zone could have shifted them); if not, minutes again.
Result<std::vector<Rollup>> read_source(store::Store& store, SensorId sensor,
                                        const std::vector<TimeMs>& edges) {
  if (std::all_of(edges.begin(), edges.end(), on_utc_hour)) {
    auto hours = store.rollups(sensor, Level::kHour, edges.front(), edges.back());
    if (!hours) return hours;
    const bool aligned = std::all_of(hours->begin(), hours->end(), [](const Rollup& r) {
      return on_utc_hour(r.start) && on_utc_hour(r.end);
    });
    if (aligned) return hours;
  }
  return store.rollups(sensor, Level::kMinute, edges.front(), edges.back());
}

}  // namespace

Result<std::vector<EnergyBucket>> energy_by(store::Store& store, const Calendar& calendar,
                                            SensorId sensor, TimeMs from, TimeMs to, Period by) {
  if (by != Period::kHour && by != Period::kDay && by != Period::kMonth) {
    return invalid_argument("energy is given per hour, day or month");
  }
  CW_RETURN_IF_ERROR(detail::check_range(from, to));
  const std::vector<TimeMs> edges = period_edges(calendar, from, to, by);
  if (edges.empty()) {
    return invalid_argument("too many buckets (at most " + std::to_string(kMaxBuckets) + ")");
  }
  if (auto s = store.sensor(sensor); !s) return s.status();

  auto rollups = read_source(store, sensor, edges);
  if (!rollups) return rollups.status();

  std::vector<Rollup> sums(edges.size() - 1);
  std::size_t i = 0;
  for (const Rollup& r : *rollups) {  // both in time order: one sweep
    while (i < sums.size() && edges[i + 1] <= r.start) ++i;
    if (i == sums.size()) break;
    if (r.start >= edges[i]) merge_into(sums[i], r);
  }

  std::vector<EnergyBucket> out(sums.size());
  for (std::size_t k = 0; k < sums.size(); ++k) {
    EnergyBucket& b = out[k];
    b.start = edges[k];
    b.end = edges[k + 1];
    b.energy_wh = double(sums[k].energy_mwh) / 1000.0;
    b.estimated = sums[k].gap_energy_mwh > 0;
    b.coverage = double(sums[k].covered_ms) / double(b.end - b.start);
  }
  return out;
}

}  // namespace cw::analytics
