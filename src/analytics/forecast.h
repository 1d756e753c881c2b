// Consumption forecast: the next 24 local hours, hour by hour, and the end of the current month,
// with p10-p90 intervals. Pure: it works on hourly energy (energy_by(..., Period::kHour)) and
// the household calendar, so it is testable and cheap (well under a millisecond per sensor).
//
// The model, in words a user can be told:
//  - the usual consumption of an hour is a weighted mean of the same local hour of the week over
//    the last weeks (recent weeks count more), blended with the same local hour of the day over
//    the last days (more data, less detail); a week-hour seen only once or twice leans on the
//    daily profile;
//  - that usual profile is scaled by the recent level: how the last hours compared with their own
//    usual values (a cold spell, a holiday);
//  - the interval comes from the model's own errors on the previous days (p10..p90 of the ratio
//    actual / forecast), widened when the history is short.
// Hours with too little coverage are left out of everything: a missing hour is never a zero.
#pragma once

#include <string>
#include <vector>

#include "analytics/energy.h"
#include "core/calendar.h"

namespace cw::analytics {

// The same values serve every household (tuned on two real datasets, docs/performance.md).
struct ForecastOptions {
  int profile_weeks = 6;        // same hour of the week, this many weeks back
  double week_decay = 0.8;      // weight of a week-hour k weeks old: week_decay^(k-1)
  int profile_days = 14;        // same hour of the day, this many days back
  double day_decay = 0.9;       // weight of a day-hour k days old: day_decay^(k-1)
  double week_shrink = 4;       // a week-hour profile with weight w counts w / (w + week_shrink)
  int level_hours = 168;        // recent level: actual / usual over this many past hours
  double level_strength = 0.3;  // 0: ignore the recent level, 1: follow it fully
  double min_coverage = 0.75;   // hours covered less than this are missing
  int residual_days = 14;       // interval from the model's errors on this many previous days
  double offset_wh = 30;        // ratio errors are taken on (wh + offset): night hours stay sane
  int horizon_hours = 24;
  bool median = false;  // cells give their weighted median instead of their mean
};

enum class Confidence { kNone, kLow, kMedium, kHigh };
const char* confidence_name(Confidence c);  // "none", "low", "medium", "high"

struct ForecastPoint {
  TimeMs start = 0;  // local hour, in UTC
  TimeMs end = 0;
  double kwh = 0;
  double low_kwh = 0;   // p10
  double high_kwh = 0;  // p90
};

struct MonthEndForecast {
  TimeMs month_start = 0;
  TimeMs month_end = 0;
  double so_far_kwh = 0;     // measured from the month's start to the forecast's origin
  int missing_hours = 0;     // hours of the month so far without enough data (not in so_far)
  double remaining_kwh = 0;  // forecast from the origin to the month's end
  double total_kwh = 0;
  double low_kwh = 0;
  double high_kwh = 0;
};

struct Forecast {
  TimeMs origin = 0;  // start of the first forecast hour
  std::vector<ForecastPoint> hours;
  MonthEndForecast month;
  Confidence confidence = Confidence::kNone;
  double history_days = 0;  // usable hours in the profile window / 24
  double level = 1;         // recent level factor applied (1 = as usual)
  std::string reason;       // plain words on how far to trust it
};

// Forecast from the local hour containing `now`. history: hourly buckets in time order (gaps in
// the list are allowed; buckets at or after the origin are ignored). invalid_argument when the
// history is not in time order or a bucket is longer than 2 h. With no usable hour at all the
// result has confidence kNone, no points and zero month figures beyond what was measured.
Result<Forecast> forecast(const std::vector<EnergyBucket>& history, const Calendar& calendar,
                          TimeMs now, const ForecastOptions& options = {});

}  // namespace cw::analytics
