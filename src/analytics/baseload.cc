#include "analytics/baseload.h"

#include <algorithm>
#include <cmath>

#include "analytics/tariff_periods.h"

namespace cw::analytics {

double low_percentile(std::vector<double> values, double q) {
  const std::size_t n = values.size();
  const auto rank = std::size_t(std::ceil(q * double(n) - 1e-9));
  const std::size_t k = std::clamp<std::size_t>(rank, 1, n) - 1;
  std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(k), values.end());
  return values[k];
}

TimeMs local_time(const Calendar& calendar, LocalDay day, int minute) {
  const TimeMs midnight = local_midnight(calendar, day);
  const TimeMs naive = midnight + TimeMs(minute) * kMinuteMs;
  // The clock may have moved between midnight and that minute (DST): follow it.
  return naive - (calendar.utc_offset(naive) - calendar.utc_offset(midnight));
}

std::pair<TimeMs, TimeMs> night_window(const Calendar& calendar, LocalDay night,
                                       const BaseloadOptions& o) {
  return {local_time(calendar, night, o.night_start_min),
          local_time(calendar, night, o.night_end_min)};
}

LocalDay last_complete_night(const Calendar& calendar, TimeMs now, const BaseloadOptions& o) {
  const LocalDay today = local_clock(calendar, now).day;
  return night_window(calendar, today, o).second <= now ? today : today - 1;
}

NightLoad night_load(const std::vector<Rollup>& minutes, LocalDay night, TimeMs start, TimeMs end,
                     const BaseloadOptions& o) {
  NightLoad n{night, start, end};
  std::int64_t covered = 0;
  std::vector<double> means;
  for (const Rollup& m : minutes) {
    if (m.start < start || m.start >= end) continue;
    covered += m.covered_ms;
    if (m.covered_ms > 0 && m.coverage() >= o.min_minute_coverage) means.push_back(m.mean_w());
  }
  n.coverage = end > start ? std::min(1.0, double(covered) / double(end - start)) : 0;
  if (n.coverage + 1e-9 >= o.min_night_coverage && !means.empty()) {
    n.watts = std::round(low_percentile(means, o.percentile));
    n.minute_means = std::move(means);
  }
  return n;
}

std::optional<double> pooled_watts(const std::vector<NightLoad>& nights, const BaseloadOptions& o) {
  std::vector<double> all;
  for (const NightLoad& n : nights)
    if (n.watts) all.insert(all.end(), n.minute_means.begin(), n.minute_means.end());
  if (all.empty()) return std::nullopt;
  return std::round(low_percentile(std::move(all), o.percentile));
}

Confidence baseload_confidence(int nights) {
  if (nights <= 0) return Confidence::kNone;
  if (nights <= 2) return Confidence::kLow;
  if (nights <= 5) return Confidence::kMedium;
  return Confidence::kHigh;
}

Result<std::vector<NightLoad>> read_nights(store::Store& store, const Calendar& calendar,
                                           SensorId sensor, LocalDay first, int count,
                                           const BaseloadOptions& o) {
  std::vector<NightLoad> out;
  if (count <= 0) return out;
  // One read per night: the minute rollups of the days between would only be thrown away
  // (and, while raw samples are kept, folded from them at some cost).
  for (LocalDay d = first; d < first + count; ++d) {
    const auto [start, end] = night_window(calendar, d, o);
    auto minutes = store.rollups(sensor, Level::kMinute, start, end);
    if (!minutes) return minutes.status();
    out.push_back(night_load(*minutes, d, start, end, o));
  }
  return out;
}

Result<Baseload> baseload(store::Store& store, const Calendar& calendar, SensorId sensor,
                          TimeMs now, const BaseloadOptions& o) {
  const LocalDay last = last_complete_night(calendar, now, o);
  auto all = read_nights(store, calendar, sensor, last - 2 * o.nights + 1, 2 * o.nights, o);
  if (!all) return all.status();
  const std::vector<NightLoad> before(all->begin(), all->begin() + o.nights);
  Baseload b;
  b.per_night.assign(all->begin() + o.nights, all->end());
  for (const NightLoad& n : b.per_night) b.nights += n.watts ? 1 : 0;
  for (const NightLoad& n : before) b.previous_nights += n.watts ? 1 : 0;
  b.watts = pooled_watts(b.per_night, o);
  b.previous_w = pooled_watts(before, o);
  b.confidence = baseload_confidence(b.nights);
  return b;
}

std::int64_t yearly_mwh(double watts) {
  return std::llround(watts * kHoursPerYear * 1000.0);
}

}  // namespace cw::analytics
