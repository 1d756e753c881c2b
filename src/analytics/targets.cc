#include "analytics/targets.h"

#include <algorithm>
#include <cmath>

#include "analytics/cost.h"
#include "analytics/energy.h"
#include "analytics/tariff_periods.h"

namespace cw::analytics {

namespace {

constexpr TimeMs kForecastHistory = 8 * 7 * kDayMs;  // as the forecast route reads

// µ€ per kWh of the energy still to come: the month's own mean price so far, or, before a tenth
// of a kWh was measured, the price of an even spread over the rest of the month.
Result<double> remaining_price(const Calendar& cal, const Household& h, const CostBreakdown& so_far,
                               TimeMs from, TimeMs to) {
  if (so_far.energy_mwh >= 100000) return double(so_far.energy_cost) / double(so_far.energy_mwh);
  if (from >= to) return 0.0;
  auto priced = price_intervals(cal, h.tariff, h.tempo, {{from, to, 1000.0}});  // 1 kWh
  if (!priced) return priced.status();
  return double(priced->front().cost) / double(priced->front().energy_mwh);
}

}  // namespace

Result<MonthProgress> month_progress(store::Store& store, const Calendar& calendar,
                                     const Household& household, SensorId sensor, TimeMs now) {
  MonthProgress m;
  m.as_of = floor_to(now, kMinuteMs);
  m.month_start = calendar.floor(m.as_of, Period::kMonth);
  m.month_end = calendar.next(m.as_of, Period::kMonth);
  const TimeMs origin = calendar.floor(now, Period::kHour);

  auto history =
      energy_by(store, calendar, sensor, origin - kForecastHistory, origin, Period::kHour);
  if (!history) return history.status();
  auto f = forecast(*history, calendar, now);
  if (!f) return f.status();
  double to_origin_kwh = 0;
  for (const EnergyBucket& b : *history)
    if (b.start >= m.month_start) to_origin_kwh += b.energy_wh / 1000.0;

  CostBreakdown so_far;
  if (m.as_of > m.month_start) {
    auto cost = cost_of(store, calendar, household.tariff, household.tempo, sensor, m.month_start,
                        m.as_of, Period::kMonth);
    if (cost) {
      so_far = std::move(*cost);
      m.priced = true;
    } else if (cost.status().code() != Code::kInvalidArgument) {
      return cost.status();
    }
    if (!m.priced) {  // no price this month: still measure the energy
      auto e = energy_by(store, calendar, sensor, m.month_start, m.as_of, Period::kMonth);
      if (!e) return e.status();
      for (const EnergyBucket& b : *e) so_far.energy_mwh += std::llround(b.energy_wh * 1000.0);
    }
  } else {
    m.priced = split_periods(calendar, household.tariff, household.tempo, m.month_start,
                             m.month_start + kMinuteMs)
                   .is_ok();
  }
  m.so_far_kwh = double(so_far.energy_mwh) / 1e6;
  m.confidence = f->confidence;
  const double rest = f->month.remaining_kwh;
  m.projection_kwh = std::max(m.so_far_kwh, to_origin_kwh + rest);
  m.low_kwh = std::max(m.so_far_kwh, to_origin_kwh + (f->month.low_kwh - f->month.so_far_kwh));
  m.high_kwh =
      std::max(m.projection_kwh, to_origin_kwh + (f->month.high_kwh - f->month.so_far_kwh));
  if (!m.priced) return m;

  m.so_far_cost = so_far.total();
  auto price = remaining_price(calendar, household, so_far, m.as_of, m.month_end);
  auto sub = subscription_cost(calendar, household.tariff, m.month_start, m.month_end);
  if (!price || !sub) {
    m.priced = false;
    return m;
  }
  const double rest_mwh = (m.projection_kwh - m.so_far_kwh) * 1e6;
  m.projection_cost = so_far.energy_cost + Picos(std::llround(rest_mwh * *price)) + *sub;
  return m;
}

const char* target_status_name(TargetStatus s) {
  switch (s) {
    case TargetStatus::kOnTrack:
      return "on_track";
    case TargetStatus::kAtRisk:
      return "at_risk";
    case TargetStatus::kOver:
      return "over";
    default:
      return "none";
  }
}

double target_value(const store::Target& t) {
  return double(t.amount_micros) / 1e6;
}

TargetCheck check_target(const MonthProgress& m, const std::optional<store::Target>& target) {
  TargetCheck c;
  if (!target || target->amount_micros <= 0) return c;
  const bool eur = target->unit == "eur";
  if (eur && !m.priced) return c;
  c.target = target_value(*target);
  c.so_far = eur ? double(m.so_far_cost) / 1e12 : m.so_far_kwh;
  c.projection = eur ? double(m.projection_cost) / 1e12 : m.projection_kwh;
  c.share = c.so_far / c.target;
  c.confidence = m.confidence;
  c.status = c.so_far > c.target       ? TargetStatus::kOver
             : c.projection > c.target ? TargetStatus::kAtRisk
                                       : TargetStatus::kOnTrack;
  return c;
}

Result<store::Target> make_target(std::string_view unit, std::string_view amount, TimeMs now) {
  if (unit != "eur" && unit != "kwh") return invalid_argument("unit must be \"eur\" or \"kwh\"");
  auto m = parse_micros(amount);
  if (!m) return invalid_argument("amount must be a decimal string such as \"45.00\"");
  if (*m <= 0) return invalid_argument("amount must be greater than 0");
  if (*m >= 1000000 * kMicrosPerEuro) return invalid_argument("amount must be under 1000000");
  return store::Target{std::string(unit), *m, now};
}

std::string target_amount_text(const store::Target& t) {
  std::string s = format_micros(t.amount_micros);
  const std::size_t dot = s.find('.');
  if (dot == std::string::npos) return s + ".00";
  if (s.size() - dot < 3) s.append(3 - (s.size() - dot), '0');
  return s;
}

std::string month_label(const Calendar& calendar, TimeMs t) {
  return calendar.format_local(calendar.floor(t, Period::kMonth)).substr(0, 7);
}

}  // namespace cw::analytics
