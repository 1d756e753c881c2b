// Forecasts of consumption and cost: the next 24 hours, the end of the month (docs/api.md).
#include <algorithm>
#include <map>

#include "analytics/cost.h"
#include "analytics/energy.h"
#include "analytics/forecast.h"
#include "analytics/household.h"
#include "analytics/tariff_periods.h"
#include "web/http_util.h"
#include "web/params.h"
#include "web/routes.h"

namespace cw::web {

namespace {

using httplib::Request;
using httplib::Response;
using nlohmann::json;

// The forecast learns from this much hourly history (its profile window, with room for the
// residual days it scores itself on).
constexpr TimeMs kHistory = 8 * 7 * kDayMs;

namespace an = analytics;

json money_micros(an::Picos p) {
  const an::Micros m = an::round_to_micros(p);
  return {{"micros", m}, {"eur", double(m) / double(an::kMicrosPerEuro)}};
}
json money_cents(an::Picos p) {
  const std::int64_t c = an::round_to_cents(p);
  return {{"cents", c}, {"eur", double(c) / 100.0}};
}

// Each forecast hour priced at the tariff periods it spans (energy only: the subscription does
// not depend on the hour). null where no price covers the hour.
std::vector<json> hour_costs(const Calendar& cal, const an::Household& h,
                             const std::vector<an::ForecastPoint>& hours) {
  std::vector<an::EnergyInterval> in;
  for (const auto& p : hours) in.push_back({p.start, p.end, p.kwh * 1000.0});
  auto priced = an::price_intervals(cal, h.tariff, h.tempo, in);
  std::vector<json> out(hours.size(), nullptr);
  if (!priced) return out;
  for (std::size_t i = 0; i < priced->size() && i < out.size(); ++i)
    out[i] = money_micros((*priced)[i].cost);
  return out;
}

// The rest of the month spread over its hours in the shape of the next 24 (the forecast's own
// profile of the day), so that a household using most at night is priced mostly off-peak.
std::vector<an::EnergyInterval> remaining_intervals(const an::Forecast& f, const Calendar& cal) {
  std::vector<an::EnergyInterval> out;
  std::map<int, double> shape;  // local hour of day -> forecast kWh
  for (const auto& p : f.hours) shape[an::local_clock(cal, p.start).minute / 60] = p.kwh;
  double total = 0;
  for (TimeMs t = f.origin; t < f.month.month_end; t += kHourMs) {
    const auto it = shape.find(an::local_clock(cal, t).minute / 60);
    const double w = it == shape.end() ? 1.0 : std::max(it->second, 0.0);
    out.push_back({t, std::min(t + kHourMs, f.month.month_end), w});
    total += w;
  }
  for (auto& i : out)
    i.energy_wh = total > 0 ? f.month.remaining_kwh * 1000.0 * i.energy_wh / total : 0;
  return out;
}

// The month's bill-like total: the measured energy's exact cost so far, the forecast rest at
// the periods it should fall in, and the whole month's subscription; low/high scale the rest.
json month_cost(store::Store& store, const Calendar& cal, const an::Household& h, SensorId sensor,
                const an::Forecast& f) {
  const an::MonthEndForecast& m = f.month;
  auto so_far =
      an::cost_of(store, cal, h.tariff, h.tempo, sensor, m.month_start, f.origin, Period::kMonth);
  auto sub = an::subscription_cost(cal, h.tariff, m.month_start, m.month_end);
  auto rest = an::price_intervals(cal, h.tariff, h.tempo, remaining_intervals(f, cal));
  if (!so_far || !sub || !rest) return nullptr;
  an::Picos rest_cost = 0;
  for (const auto& r : *rest) rest_cost += r.cost;
  auto scaled = [&](double kwh) {
    if (m.remaining_kwh <= 0) return an::Picos(0);
    const double ratio = std::max(0.0, kwh - m.so_far_kwh) / m.remaining_kwh;
    return an::Picos(double(rest_cost) * ratio);
  };
  const an::Picos fixed = so_far->energy_cost + *sub;
  return {{"total", money_cents(fixed + rest_cost)},
          {"low", money_cents(fixed + scaled(m.low_kwh))},
          {"high", money_cents(fixed + scaled(m.high_kwh))},
          {"so_far_energy", money_cents(so_far->energy_cost)},
          {"subscription", money_cents(*sub)}};
}

json hour_json(const Calendar& cal, const an::ForecastPoint& p, json cost) {
  return {{"start", cal.format_local(p.start)},
          {"end", cal.format_local(p.end)},
          {"start_ms", p.start},
          {"end_ms", p.end},
          {"kwh", p.kwh},
          {"low_kwh", p.low_kwh},
          {"high_kwh", p.high_kwh},
          {"cost", std::move(cost)}};
}

json month_json(const Calendar& cal, const an::MonthEndForecast& m, json cost) {
  return {{"month_start", cal.format_local(m.month_start)},
          {"month_end", cal.format_local(m.month_end)},
          {"so_far_kwh", m.so_far_kwh},
          {"missing_hours", m.missing_hours},
          {"remaining_kwh", m.remaining_kwh},
          {"total_kwh", m.total_kwh},
          {"low_kwh", m.low_kwh},
          {"high_kwh", m.high_kwh},
          {"cost", std::move(cost)}};
}

json forecast_json(const Calendar& cal, SensorId sensor, const an::Forecast& f,
                   const std::vector<json>& costs, json month) {
  json hours = json::array();
  for (std::size_t i = 0; i < f.hours.size(); ++i)
    hours.push_back(hour_json(cal, f.hours[i], i < costs.size() ? costs[i] : json(nullptr)));
  return {{"sensor", sensor},
          {"time_zone", cal.zone_name()},
          {"origin", cal.format_local(f.origin)},
          {"origin_ms", f.origin},
          {"confidence", analytics::confidence_name(f.confidence)},
          {"history_days", f.history_days},
          {"level", f.level},
          {"reason", f.reason},
          {"hours", hours},
          {"month_end", month_json(cal, f.month, std::move(month))}};
}

void get_forecast(ServerState& s, const Request& req, Response& res, const Principal&) {
  auto text = param(req.params, "sensor");
  if (!text) return send_status(res, invalid_argument("sensor is required (?sensor=ID)"));
  auto id = parse_sensor_id(*text);
  if (!id) return send_status(res, id.status());
  if (auto sensor = s.ctx.store.sensor(*id); !sensor) return send_status(res, sensor.status());

  const Calendar& cal = s.ctx.calendar;
  const TimeMs now = s.ctx.clock.now();
  const TimeMs origin = cal.floor(now, Period::kHour);
  auto history =
      analytics::energy_by(s.ctx.store, cal, *id, origin - kHistory, origin, Period::kHour);
  if (!history) return send_status(res, history.status());
  auto f = analytics::forecast(*history, cal, now);
  if (!f) return send_status(res, f.status());
  auto h = an::load_household(s.ctx.data_dir);
  if (!h) return send_status(res, h.status());
  const bool any = f->confidence != an::Confidence::kNone;
  send_json(res, 200,
            forecast_json(cal, *id, *f, hour_costs(cal, *h, f->hours),
                          any ? month_cost(s.ctx.store, cal, *h, *id, *f) : json(nullptr)));
}

}  // namespace

std::vector<Route> forecast_routes(ServerState& s) {
  return {
      {"GET", "/api/v1/forecast", Access::kRead,
       [&s](const Request& q, Response& r, const Principal& p) { get_forecast(s, q, r, p); }},
  };
}

}  // namespace cw::web
