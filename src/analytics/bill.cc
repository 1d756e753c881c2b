#include "analytics/bill.h"

#include <date/date.h>

#include <cmath>

namespace cw::analytics {

namespace {

LocalDay add_months(LocalDay day, int months) {
  date::year_month_day ymd{date::sys_days(date::days(day))};
  ymd = ymd + date::months(months);
  if (!ymd.ok()) ymd = ymd.year() / ymd.month() / date::last;
  return LocalDay(date::sys_days(ymd).time_since_epoch().count());
}

LocalDay day_of_month(LocalDay day, int dom) {
  const date::year_month_day ymd{date::sys_days(date::days(day))};
  const date::year_month_day d{ymd.year(), ymd.month(), date::day(unsigned(dom))};
  return LocalDay(date::sys_days(d).time_since_epoch().count());
}

// Mean and standard deviation of the daily energy cost of complete days with data.
struct DailyStats {
  double mean = 0, sd = 0;
  int n = 0;
};

DailyStats daily_stats(const CostBreakdown& c, TimeMs until) {
  std::vector<double> v;
  for (const auto& b : c.buckets)
    if (b.end <= until && b.coverage > 0) v.push_back(double(b.energy_cost));
  DailyStats s;
  s.n = int(v.size());
  if (v.empty()) return s;
  for (double x : v) s.mean += x;
  s.mean /= double(v.size());
  for (double x : v) s.sd += (x - s.mean) * (x - s.mean);
  s.sd = v.size() > 1 ? std::sqrt(s.sd / double(v.size() - 1)) : 0;
  return s;
}

}  // namespace

std::pair<TimeMs, TimeMs> billing_period(const Calendar& calendar, int billing_day, TimeMs t) {
  const LocalClock c = local_clock(calendar, t);
  LocalDay start = day_of_month(c.day, billing_day);
  if (start > c.day) start = add_months(start, -1);
  return {local_midnight(calendar, start), local_midnight(calendar, add_months(start, 1))};
}

Result<Bill> current_bill(store::Store& store, const Calendar& calendar, const Tariff& tariff,
                          const TempoCalendar& tempo, SensorId sensor, TimeMs now,
                          store::InputStore* meter) {
  Bill bill;
  bill.as_of = floor_to(now, kMinuteMs);
  std::tie(bill.period_start, bill.period_end) =
      billing_period(calendar, tariff.billing_day, bill.as_of);
  if (bill.as_of > bill.period_start) {
    auto so_far = cost_of(store, calendar, tariff, tempo, sensor, bill.period_start, bill.as_of,
                          Period::kDay, meter);
    if (!so_far) return so_far.status();
    bill.so_far = std::move(*so_far);
  }
  const TimeMs today = calendar.floor(bill.as_of, Period::kDay);
  DailyStats st = daily_stats(bill.so_far, today);
  if (st.n < 3) {  // too few days in this period: learn from the 14 days before today
    const TimeMs from = local_midnight(calendar, local_clock(calendar, today).day - 14);
    auto recent = cost_of(store, calendar, tariff, tempo, sensor, from, today, Period::kDay, meter);
    if (recent) st = daily_stats(*recent, today);
  }
  bill.days_observed = st.n;
  auto sub = subscription_cost(calendar, tariff, bill.period_start, bill.period_end);
  if (!sub) return sub.status();
  const double days_left = double(bill.period_end - bill.as_of) / double(kDayMs);
  const double spread = 1.96 * st.sd * std::sqrt(days_left);
  const double energy = double(bill.so_far.energy_cost) + st.mean * days_left;
  bill.projected = *sub + Picos(std::llround(energy));
  bill.projected_low =
      *sub + Picos(std::llround(std::max(double(bill.so_far.energy_cost), energy - spread)));
  bill.projected_high = *sub + Picos(std::llround(energy + spread));

  const LocalDay start_day = local_clock(calendar, bill.period_start).day;
  const TimeMs ly_from = local_midnight(calendar, add_months(start_day, -12));
  const TimeMs ly_to = local_midnight(calendar, add_months(start_day, -11));
  auto ly = cost_of(store, calendar, tariff, tempo, sensor, ly_from, ly_to, Period::kDay, meter);
  if (ly && ly->coverage > 0) bill.last_year = std::move(*ly);
  return bill;
}

}  // namespace cw::analytics
