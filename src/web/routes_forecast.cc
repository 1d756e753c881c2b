// Forecasts of consumption and cost: the next 24 hours, the end of the month (docs/api.md).
#include "analytics/energy.h"
#include "analytics/forecast.h"
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

// Cost of `kwh` used over [start, end): the one seam for pricing. Until a tariff is set up
// for the household there is no price, and the API says so with null.
using Pricer = std::function<json(TimeMs start, TimeMs end, double kwh)>;

json no_price(TimeMs, TimeMs, double) {
  return nullptr;
}

json hour_json(const Calendar& cal, const analytics::ForecastPoint& p, const Pricer& price) {
  return {{"start", cal.format_local(p.start)},
          {"end", cal.format_local(p.end)},
          {"start_ms", p.start},
          {"end_ms", p.end},
          {"kwh", p.kwh},
          {"low_kwh", p.low_kwh},
          {"high_kwh", p.high_kwh},
          {"cost", price(p.start, p.end, p.kwh)}};
}

json month_json(const Calendar& cal, const analytics::MonthEndForecast& m, const Pricer& price) {
  return {{"month_start", cal.format_local(m.month_start)},
          {"month_end", cal.format_local(m.month_end)},
          {"so_far_kwh", m.so_far_kwh},
          {"missing_hours", m.missing_hours},
          {"remaining_kwh", m.remaining_kwh},
          {"total_kwh", m.total_kwh},
          {"low_kwh", m.low_kwh},
          {"high_kwh", m.high_kwh},
          {"cost", price(m.month_start, m.month_end, m.total_kwh)}};
}

json forecast_json(const Calendar& cal, SensorId sensor, const analytics::Forecast& f,
                   const Pricer& price) {
  json hours = json::array();
  for (const auto& p : f.hours) hours.push_back(hour_json(cal, p, price));
  return {{"sensor", sensor},
          {"time_zone", cal.zone_name()},
          {"origin", cal.format_local(f.origin)},
          {"origin_ms", f.origin},
          {"confidence", analytics::confidence_name(f.confidence)},
          {"history_days", f.history_days},
          {"level", f.level},
          {"reason", f.reason},
          {"hours", hours},
          {"month_end", month_json(cal, f.month, price)}};
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
  send_json(res, 200, forecast_json(cal, *id, *f, no_price));
}

}  // namespace

std::vector<Route> forecast_routes(ServerState& s) {
  return {
      {"GET", "/api/v1/forecast", Access::kRead,
       [&s](const Request& q, Response& r, const Principal& p) { get_forecast(s, q, r, p); }},
  };
}

}  // namespace cw::web
