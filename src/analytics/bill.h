// The current billing period: its cost so far, a projection to its end with an interval, and
// the same period a year earlier when the store has data for it.
#pragma once

#include <optional>

#include "analytics/cost.h"

namespace cw::analytics {

struct Bill {
  TimeMs period_start = 0;  // local midnight of the billing day
  TimeMs period_end = 0;    // the same day a month later
  TimeMs as_of = 0;         // now, floored to the minute
  CostBreakdown so_far;     // by day, [period_start, as_of)
  // Projection of the whole period: energy so far + the mean daily energy cost of the days seen
  // (the last 14 complete days when the period has fewer than 3) for the days left, plus the
  // whole period's subscription. low/high: ± 1.96 σ_day √(days left), days taken independent.
  Picos projected = 0;
  Picos projected_low = 0;
  Picos projected_high = 0;
  int days_observed = 0;  // complete days the daily mean came from (0: no data, no projection)
  std::optional<CostBreakdown> last_year;  // the same dates a year earlier, when it has data
};

// meter: the sensor's meter registers, when it has some (cost_of: they price what they cover).
Result<Bill> current_bill(store::Store& store, const Calendar& calendar, const Tariff& tariff,
                          const TempoCalendar& tempo, SensorId sensor, TimeMs now,
                          store::InputStore* meter = nullptr);

// The billing period [start, end) containing t.
std::pair<TimeMs, TimeMs> billing_period(const Calendar& calendar, int billing_day, TimeMs t);

}  // namespace cw::analytics
