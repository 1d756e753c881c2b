#include "analytics/forecast_profile.h"

#include <algorithm>
#include <cmath>

namespace cw::analytics::detail {

namespace {

std::vector<double> decay_weights(int n, double decay) {
  std::vector<double> w(std::size_t(std::max(n, 0)) + 1, 0.0);
  for (int k = 1; k <= n; ++k) w[std::size_t(k)] = std::pow(decay, k - 1);
  return w;
}

// Weighted centre of one cell: the mean, or the median when options.median (an hour's typical
// value rather than its average, which a few appliance peaks pull up).
struct Mean {
  double weight = 0, sum = 0;
  std::vector<std::pair<double, double>> items;  // (value, weight)
  void add(double w, double v) {
    weight += w;
    sum += w * v;
    items.emplace_back(v, w);
  }
  double value(bool median) {
    if (!median) return sum / weight;
    std::sort(items.begin(), items.end());
    double acc = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
      acc += items[i].second;
      if (acc >= weight / 2) {
        // halfway between two middle values when the weight splits exactly
        if (acc == weight / 2 && i + 1 < items.size())
          return (items[i].first + items[i + 1].first) / 2;
        return items[i].first;
      }
    }
    return items.back().first;
  }
};

}  // namespace

Profile::Profile(const std::vector<EnergyBucket>& history, const Calendar& calendar,
                 const ForecastOptions& options, TimeMs origin)
    : calendar_(calendar),
      o_(options),
      week_w_(decay_weights(options.profile_weeks, options.week_decay)),
      day_w_(decay_weights(options.profile_days, options.day_decay)) {
  const int window_days = std::max(options.profile_weeks * 7, options.profile_days);
  const TimeMs window_start = origin - window_days * kDayMs;
  const TimeMs keep_from = window_start - (options.residual_days + 1) * kDayMs;
  for (const EnergyBucket& b : history) {
    if (b.start < keep_from || b.start >= origin || b.coverage < options.min_coverage) continue;
    LocalHour h = local_hour(b.start);
    h.wh = b.energy_wh;
    by_how_[std::size_t(h.how)].push_back(hours_.size());
    by_hod_[std::size_t(h.hod)].push_back(hours_.size());
    hours_.push_back(h);
    if (b.start >= window_start) ++window_count_;
  }
}

LocalHour Profile::local_hour(TimeMs start) const {
  const TimeMs local = start + calendar_.utc_offset(start);
  LocalHour h;
  h.start = start;
  h.day = floor_to(local, kDayMs) / kDayMs;
  h.hod = int((local - h.day * kDayMs) / kHourMs);
  const int weekday = int(((h.day + 3) % 7 + 7) % 7);  // 1970-01-01 was a Thursday
  h.how = weekday * 24 + h.hod;
  return h;
}

std::optional<double> Profile::usual(const LocalHour& t, TimeMs cutoff) const {
  Mean week, day;
  for (std::size_t i : by_how_[std::size_t(t.how)]) {
    const LocalHour& h = hours_[i];
    if (h.start >= cutoff) break;
    const std::int64_t k = (t.day - h.day) / 7;
    if (k < 1 || k >= std::int64_t(week_w_.size())) continue;
    week.add(week_w_[std::size_t(k)], h.wh);
  }
  for (std::size_t i : by_hod_[std::size_t(t.hod)]) {
    const LocalHour& h = hours_[i];
    if (h.start >= cutoff) break;
    const std::int64_t k = t.day - h.day;
    if (k < 1 || k >= std::int64_t(day_w_.size())) continue;
    day.add(day_w_[std::size_t(k)], h.wh);
  }
  if (week.weight == 0 && day.weight == 0) return average_before(cutoff);
  const bool m = o_.median;
  if (day.weight == 0) return week.value(m);
  if (week.weight == 0) return day.value(m);
  // Shrinkage: a week-hour seen once is mostly noise, one seen in every recent week is the
  // best guess there is.
  const double a = week.weight / (week.weight + o_.week_shrink);
  return a * week.value(m) + (1 - a) * day.value(m);
}

// The average hour of the last profile_days before cutoff: all a profile can say when this
// hour of the day has not been seen yet (the first day of a sensor).
std::optional<double> Profile::average_before(TimeMs cutoff) const {
  const TimeMs from = cutoff - o_.profile_days * kDayMs;
  double sum = 0;
  int n = 0;
  for (const LocalHour* h : valid_between(from, cutoff)) {
    sum += h->wh;
    ++n;
  }
  if (n == 0) return std::nullopt;
  return sum / n;
}

double Profile::level(TimeMs at) const {
  double actual = 0, usual_sum = 0;
  int n = 0;
  for (const LocalHour* h : valid_between(at - o_.level_hours * kHourMs, at)) {
    auto u = usual(*h, h->start);
    if (!u) continue;
    actual += h->wh;
    usual_sum += *u;
    ++n;
  }
  if (n < std::max(1, o_.level_hours / 4) || usual_sum <= 0) return 1;
  const double level = 1 + o_.level_strength * (actual / usual_sum - 1);
  return std::clamp(level, 0.5, 2.0);
}

std::vector<const LocalHour*> Profile::valid_between(TimeMs from, TimeMs to) const {
  auto by_start = [](const LocalHour& h, TimeMs t) { return h.start < t; };
  auto it = std::lower_bound(hours_.begin(), hours_.end(), from, by_start);
  std::vector<const LocalHour*> out;
  for (; it != hours_.end() && it->start < to; ++it) out.push_back(&*it);
  return out;
}

}  // namespace cw::analytics::detail
