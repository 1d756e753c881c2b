#include "analytics/grid.h"

#include <algorithm>

namespace cw::analytics::detail {

namespace {

TimeMs ceil_div(TimeMs a, TimeMs b) {
  return (a + b - 1) / b;
}

// Groups of k units aligned to multiples of k * unit since the epoch (plus shift).
Grid arithmetic_grid(Level level, TimeMs unit, TimeMs shift, TimeMs from, TimeMs to,
                     std::size_t max_points) {
  const TimeMs span = to - from;
  TimeMs k = std::max<TimeMs>(1, ceil_div(span, TimeMs(max_points) * unit));
  TimeMs origin = 0;
  TimeMs n = 0;
  for (;; ++k) {  // the aligned origin may add one group: at most one or two more tries
    origin = floor_to(from - shift, k * unit) + shift;
    n = ceil_div(to - origin, k * unit);
    if (n <= TimeMs(max_points)) break;
  }
  Grid g{level, k * unit, {}};
  g.edges.reserve(std::size_t(n) + 1);
  for (TimeMs i = 0; i <= n; ++i) g.edges.push_back(origin + i * k * unit);
  return g;
}

// Groups of k local days (23, 24 or 25 hours each).
Grid day_grid(const Calendar& calendar, TimeMs from, TimeMs to, std::size_t max_points) {
  const std::int64_t first = local_day_index(calendar, from);
  const std::int64_t last = local_day_index(calendar, to - 1);
  std::int64_t k = std::max<std::int64_t>(1, ceil_div(to - from, TimeMs(max_points) * kDayMs));
  std::int64_t origin = 0;
  std::int64_t n = 0;
  for (;; ++k) {
    origin = floor_to(first, k);
    n = (last - origin) / k + 1;
    if (n <= std::int64_t(max_points)) break;
  }
  Grid g{Level::kDay, k * kDayMs, {}};
  g.edges.reserve(std::size_t(n) + 1);
  for (std::int64_t i = 0; i <= n; ++i)
    g.edges.push_back(local_day_start(calendar, origin + i * k));
  return g;
}

}  // namespace

Status check_range(TimeMs from, TimeMs to) {
  constexpr TimeMs kEarliest = -2208988800000;  // 1900-01-01T00:00:00Z
  constexpr TimeMs kLatest = 253402300800000;   // 10000-01-01T00:00:00Z
  if (from >= to) return invalid_argument("empty range: from must be before to");
  if (from < kEarliest || to > kLatest) {
    return invalid_argument("range must lie within the years 1900 to 9999");
  }
  return Status::ok();
}

std::int64_t local_day_index(const Calendar& calendar, TimeMs t) {
  const TimeMs day = calendar.floor(t, Period::kDay);
  return floor_to(day + calendar.utc_offset(day), kDayMs) / kDayMs;
}

TimeMs local_day_start(const Calendar& calendar, std::int64_t index) {
  // Local noon of that date is well inside it whatever the offset (-12 h .. +14 h) or DST shift.
  const TimeMs noon_utc_guess = index * kDayMs + 12 * kHourMs;
  return calendar.floor(noon_utc_guess - calendar.utc_offset(noon_utc_guess), Period::kDay);
}

Grid plan_grid(const Calendar& calendar, TimeMs from, TimeMs to, std::size_t max_points) {
  const TimeMs span = to - from;
  const TimeMs n = TimeMs(max_points);
  if (kDayMs * n <= span) return day_grid(calendar, from, to, max_points);
  if (kHourMs * n <= span) {
    // Hour rollups are local hours: shifted from UTC hours in zones such as Asia/Kolkata.
    const TimeMs hour = calendar.floor(from, Period::kHour);
    return arithmetic_grid(Level::kHour, kHourMs, hour - floor_to(hour, kHourMs), from, to,
                           max_points);
  }
  if (kMinuteMs * n <= span) {
    return arithmetic_grid(Level::kMinute, kMinuteMs, 0, from, to, max_points);
  }
  // Raw samples, grouped by whole seconds when a point spans at least one (else by ms).
  const TimeMs unit = kSecondMs * n <= span ? kSecondMs : 1;
  return arithmetic_grid(Level::kRaw, unit, 0, from, to, max_points);
}

}  // namespace cw::analytics::detail
