#include "analytics/forecast.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

#include "analytics/forecast_profile.h"

namespace cw::analytics {

namespace {

using detail::LocalHour;
using detail::Profile;

constexpr int kMinHourResiduals = 48;  // fewer: default spreads
constexpr int kMinDayResiduals = 3;
constexpr double kShortHistoryDays = 7;
constexpr double kShortHistoryWiden = 1.5;  // log-spread factor when the history is short
// Spreads used before the model has errors of its own (ratio actual / forecast).
constexpr double kDefaultHourLow = 0.4, kDefaultHourHigh = 2.0;
constexpr double kDefaultDayLow = 0.7, kDefaultDayHigh = 1.4;

double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double pos = q * double(v.size() - 1);
  const std::size_t i = std::size_t(pos);
  if (i + 1 >= v.size()) return v.back();
  return v[i] + (pos - double(i)) * (v[i + 1] - v[i]);
}

struct Spread {
  double low = 0, high = 0;  // log-ratio quantiles, low <= 0 <= high
};

Spread spread_of(const std::vector<double>& log_ratios, std::size_t min_count, double def_low,
                 double def_high, double widen) {
  Spread s{std::log(def_low), std::log(def_high)};
  if (log_ratios.size() >= min_count) {
    s.low = std::min(0.0, quantile(log_ratios, 0.1));
    s.high = std::max(0.0, quantile(log_ratios, 0.9));
  }
  return {s.low * widen, s.high * widen};
}

// The model's own errors on the previous days: forecasts made k days before the origin, for
// the 24 hours that followed, compared with what was measured.
struct Residuals {
  std::vector<double> hourly;  // log((actual + c) / (forecast + c))
  std::vector<double> daily;   // same on the day's total, only for complete days
};

Residuals residuals(const Profile& profile, const ForecastOptions& o, TimeMs origin) {
  Residuals r;
  const double c = o.offset_wh;
  for (int k = 1; k <= o.residual_days; ++k) {
    const TimeMs past = origin - k * kDayMs;
    const double level = profile.level(past);
    double sum_a = 0, sum_f = 0;
    int n = 0;
    for (const LocalHour* h : profile.valid_between(past, past + kDayMs)) {
      auto usual = profile.usual(*h, past);
      if (!usual) continue;
      const double f = *usual * level;
      r.hourly.push_back(std::log((h->wh + c) / (f + c)));
      sum_a += h->wh;
      sum_f += f;
      ++n;
    }
    if (n == 24) r.daily.push_back(std::log((sum_a + 24 * c) / (sum_f + 24 * c)));
  }
  return r;
}

// Level factor for an hour `ahead` hours after the origin: full for the first day, then fading
// (a cold spell or a holiday rarely lasts the month).
double level_at(double level, int ahead, int horizon) {
  if (ahead < horizon) return level;
  return 1 + (level - 1) * std::exp(-double(ahead - horizon) / (7 * 24));
}

// "10 hours" under a day, "3.5 days" beyond.
std::string amount_text(double days) {
  char buf[32];
  if (days < 1) {
    const int h = int(std::lround(days * 24));
    std::snprintf(buf, sizeof buf, "%d hour%s", h, h == 1 ? "" : "s");
  } else {
    std::snprintf(buf, sizeof buf, "%.1f days", days);
  }
  return buf;
}

void describe(Forecast& f, const ForecastOptions& o) {
  const std::string d = amount_text(f.history_days);
  if (f.history_days <= 0) {
    f.confidence = Confidence::kNone;
    f.reason = "no measured hour yet: nothing to forecast from";
  } else if (f.history_days < kShortHistoryDays) {
    f.confidence = Confidence::kLow;
    f.reason = "only " + d +
               " of data: the forecast follows the average day and its interval is widened;"
               " it firms up after a week";
  } else if (f.history_days < 28) {
    f.confidence = Confidence::kMedium;
    f.reason = d + " of data: each hour of the week has been seen only a few times";
  } else {
    f.confidence = Confidence::kHigh;
    f.reason = d + " of data: usual week of the last " + std::to_string(o.profile_weeks) +
               " weeks, scaled by the last " + std::to_string(o.level_hours) + " hours";
  }
}

Status check_history(const std::vector<EnergyBucket>& history) {
  for (std::size_t i = 0; i < history.size(); ++i) {
    const EnergyBucket& b = history[i];
    if (b.end <= b.start || b.end - b.start > 2 * kHourMs) {
      return invalid_argument("forecast history: bucket " + std::to_string(i) + " is not an hour");
    }
    if (i > 0 && b.start < history[i - 1].end) {
      return invalid_argument("forecast history: bucket " + std::to_string(i) +
                              " is not after the one before");
    }
  }
  return Status::ok();
}

void month_so_far(const std::vector<EnergyBucket>& history, const ForecastOptions& o,
                  MonthEndForecast& m, TimeMs origin) {
  int covered = 0;
  double wh = 0;
  for (const EnergyBucket& b : history) {
    if (b.start < m.month_start || b.start >= origin) continue;
    wh += b.energy_wh;
    if (b.coverage >= o.min_coverage) ++covered;
  }
  m.so_far_kwh = wh / 1000;
  m.missing_hours = int((origin - m.month_start) / kHourMs) - covered;
}

}  // namespace

const char* confidence_name(Confidence c) {
  switch (c) {
    case Confidence::kLow:
      return "low";
    case Confidence::kMedium:
      return "medium";
    case Confidence::kHigh:
      return "high";
    default:
      return "none";
  }
}

Result<Forecast> forecast(const std::vector<EnergyBucket>& history, const Calendar& calendar,
                          TimeMs now, const ForecastOptions& o) {
  CW_RETURN_IF_ERROR(check_history(history));
  Forecast f;
  f.origin = calendar.floor(now, Period::kHour);
  MonthEndForecast& m = f.month;
  m.month_start = calendar.floor(f.origin, Period::kMonth);
  m.month_end = calendar.next(f.origin, Period::kMonth);
  month_so_far(history, o, m, f.origin);
  m.total_kwh = m.low_kwh = m.high_kwh = m.so_far_kwh;

  const Profile profile(history, calendar, o, f.origin);
  f.history_days = double(profile.valid_count()) / 24;
  describe(f, o);
  if (f.confidence == Confidence::kNone) return f;

  f.level = profile.level(f.origin);
  const Residuals res = residuals(profile, o, f.origin);
  const double widen = f.history_days < kShortHistoryDays ? kShortHistoryWiden : 1.0;
  const Spread hour =
      spread_of(res.hourly, kMinHourResiduals, kDefaultHourLow, kDefaultHourHigh, widen);
  const Spread day = spread_of(res.daily, kMinDayResiduals, kDefaultDayLow, kDefaultDayHigh, widen);

  const double c = o.offset_wh;
  int ahead = 0;
  for (TimeMs t = f.origin; t < m.month_end || ahead < o.horizon_hours; ++ahead) {
    const TimeMs end = calendar.next(t, Period::kHour);
    const LocalHour lh = profile.local_hour(t);
    const double wh =
        profile.usual(lh, f.origin).value_or(0) * level_at(f.level, ahead, o.horizon_hours);
    if (ahead < o.horizon_hours) {
      f.hours.push_back({t, end, wh / 1000, std::max(0.0, (wh + c) * std::exp(hour.low) - c) / 1000,
                         ((wh + c) * std::exp(hour.high) - c) / 1000});
    }
    if (t < m.month_end) m.remaining_kwh += wh / 1000;
    t = end;
  }
  // The month's remaining days err together (a cold month is cold every day), so the daily
  // spread is applied to the whole remainder rather than shrunk by sqrt(days).
  m.total_kwh = m.so_far_kwh + m.remaining_kwh;
  m.low_kwh = m.so_far_kwh + m.remaining_kwh * std::exp(day.low);
  m.high_kwh = m.so_far_kwh + m.remaining_kwh * std::exp(day.high);
  return f;
}

}  // namespace cw::analytics
