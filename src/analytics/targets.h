// The monthly budget (in € or kWh) and this calendar month's progress toward it: measured so far,
// and projected to the month's end with the forecast's p10-p90 interval (forecast.h).
// Money here is what the household pays: energy plus the subscription (prorated so far, the
// whole month's in the projection).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "analytics/forecast.h"
#include "analytics/household.h"
#include "store/insights.h"
#include "store/store.h"

namespace cw::analytics {

struct MonthProgress {
  TimeMs month_start = 0;  // local month, in UTC
  TimeMs month_end = 0;
  TimeMs as_of = 0;  // now, floored to the minute
  double so_far_kwh = 0;
  double projection_kwh = 0;  // the whole month
  double low_kwh = 0;
  double high_kwh = 0;
  Confidence confidence = Confidence::kNone;  // of the forecast behind the projection
  bool priced = false;  // the tariff has prices for the month: the costs below are meaningful
  Picos so_far_cost = 0;
  Picos projection_cost = 0;
};

Result<MonthProgress> month_progress(store::Store& store, const Calendar& calendar,
                                     const Household& household, SensorId sensor, TimeMs now);

enum class TargetStatus { kNone, kOnTrack, kAtRisk, kOver };
const char* target_status_name(TargetStatus s);  // "none", "on_track", "at_risk", "over"

struct TargetCheck {
  TargetStatus status = TargetStatus::kNone;
  std::optional<double> share;  // so far / target
  double target = 0;            // in the target's unit (€ or kWh)
  double so_far = 0;
  double projection = 0;
  Confidence confidence = Confidence::kNone;  // of the projection (the forecast's)
};

// Where the month stands against the target (pure). kNone without a target, or for a target in
// € when the month cannot be priced.
TargetCheck check_target(const MonthProgress& m, const std::optional<store::Target>& target);

// A target from its unit ("eur", "kwh") and decimal amount ("45.00": > 0, at most 6 decimals,
// under a million); invalid_argument otherwise.
Result<store::Target> make_target(std::string_view unit, std::string_view amount, TimeMs now);
// "45.00": at least two decimals.
std::string target_amount_text(const store::Target& t);
double target_value(const store::Target& t);  // 45.0

// "2026-11": the local month containing t.
std::string month_label(const Calendar& calendar, TimeMs t);

}  // namespace cw::analytics
