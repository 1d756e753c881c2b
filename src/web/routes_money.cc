// Tariff settings, cost per period and the current bill (docs/api.md, docs/tariffs.md).
#include <mutex>

#include "analytics/bill.h"
#include "analytics/cost.h"
#include "analytics/household.h"
#include "analytics/tariff_catalogue.h"
#include "analytics/tariff_periods.h"
#include "analytics/tariff_settings.h"
#include "web/http_util.h"
#include "web/params.h"
#include "web/routes.h"

namespace cw::web {

namespace {

using httplib::Request;
using httplib::Response;
using nlohmann::json;
namespace an = analytics;

std::mutex g_write_mutex;  // one settings or colour write at a time (files are rewritten whole)

double euros(an::Micros m) {
  return double(m) / double(an::kMicrosPerEuro);
}

// Money as both exact integer µ€ and a rounded € number for display.
json money(an::Picos p) {
  const an::Micros m = an::round_to_micros(p);
  return {{"micros", m}, {"eur", euros(m)}};
}
json money_cents(an::Picos p) {
  const std::int64_t c = an::round_to_cents(p);
  return {{"cents", c}, {"eur", double(c) / 100.0}};
}

using an::Household;

// The household's tariff and Tempo colours, as the data folder says now.
Result<Household> load_household(const ServerState& s) {
  return an::load_household(s.ctx.data_dir);
}

json prices_json(const an::PriceVersion& v) {
  json kwh = json::object();
  for (const auto& [k, p] : v.kwh) kwh[k] = an::format_micros(p);
  json out = {{"from", an::format_local_day(v.from)},
              {"to", v.to == an::kOpenEnd ? json(nullptr) : json(an::format_local_day(v.to - 1))},
              {"source", v.source},
              {"kwh", kwh}};
  out[v.yearly_subscription ? "subscription_year" : "subscription_month"] =
      an::format_micros(v.subscription);
  return out;
}

json settings_json(const Household& h, const Calendar& cal, TimeMs now) {
  const an::TariffSettings& s = h.settings;
  json windows = json::array();
  for (const auto& w : s.offpeak) windows.push_back(an::format_window(w));
  json grid = json::array();
  for (const auto& r : s.grid)
    grid.push_back({{"days", an::weekday_names(r.days)},
                    {"start", an::format_hhmm(r.start_min)},
                    {"end", an::format_hhmm(r.end_min)},
                    {"period", r.period}});
  json custom = json::array();
  for (const auto& v : s.custom_prices) custom.push_back(prices_json(v));
  const an::PriceVersion* current = an::version_on(h.tariff, an::local_clock(cal, now).day);
  return {{"option", an::option_name(s.option)},
          {"kva", s.kva},
          {"billing_day", s.billing_day},
          {"offpeak", windows},
          {"grid", grid},
          {"grid_default", s.grid_default},
          {"prices", custom},
          {"custom_prices", h.tariff.custom_prices},
          {"periods", an::period_names(h.tariff)},
          {"current", current ? prices_json(*current) : json(nullptr)}};
}

void get_tariff(ServerState& s, const Request&, Response& res, const Principal&) {
  auto h = load_household(s);
  if (!h) return send_status(res, h.status());
  send_json(res, 200, settings_json(*h, s.ctx.calendar, s.ctx.clock.now()));
}

// The price period in force now and the changes of the next 24 hours, so the UI needs no copy
// of the off-peak and Tempo rules (a Tempo colour is only known here).
void get_tariff_now(ServerState& s, const Request&, Response& res, const Principal&) {
  auto h = load_household(s);
  if (!h) return send_status(res, h.status());
  const Calendar& cal = s.ctx.calendar;
  const TimeMs now = s.ctx.clock.now(), from = floor_to(now, kMinuteMs);
  auto segments = an::split_periods(cal, h->tariff, h->tempo, from, from + kDayMs);
  if (!segments) return send_status(res, segments.status());
  json upcoming = json::array();
  for (const auto& seg : an::merge_segments(*segments))
    upcoming.push_back({{"period", seg.period},
                        {"price_kwh", an::format_micros(seg.price)},
                        {"start", cal.format_local(seg.start)},
                        {"end", cal.format_local(seg.end)},
                        {"start_ms", seg.start},
                        {"end_ms", seg.end},
                        {"colour_assumed", seg.colour_assumed}});
  const json& current = upcoming.at(0);  // split_periods covers [from, from + 1 day), no hole
  send_json(res, 200,
            {{"option", an::option_name(h->tariff.option)},
             {"at", format_iso_utc(now)},
             {"at_ms", now},
             {"period", current["period"]},
             {"price_kwh", current["price_kwh"]},
             {"until", current["end"]},
             {"until_ms", current["end_ms"]},
             {"colour_assumed", current["colour_assumed"]},
             {"upcoming", upcoming}});
}

Result<std::string> text_of(const json& j, const std::string& what) {
  if (!j.is_string()) return invalid_argument(what + " must be a string");
  return j.get<std::string>();
}

// A decimal price must come as text ("0.2516"): JSON numbers are doubles.
Result<an::PriceVersion> price_from_json(const json& p) {
  if (!p.is_object()) return invalid_argument("each price version is an object");
  an::PriceVersion v;
  v.source = p.value("source", "household");
  auto from = text_of(p.value("from", json()), "prices[].from");
  if (!from) return from.status();
  auto day = an::parse_local_day(*from);
  if (!day) return day.status();
  v.from = *day;
  if (p.contains("to") && !p["to"].is_null()) {
    auto to = text_of(p["to"], "prices[].to");
    if (!to) return to.status();
    auto d = an::parse_local_day(*to);
    if (!d) return d.status();
    v.to = *d + 1;
  }
  auto sub = text_of(p.value("subscription_month", json("0")), "subscription_month");
  if (!sub) return sub.status();
  auto m = an::parse_micros(*sub);
  if (!m) return m.status();
  v.subscription = *m;
  const json kwh = p.value("kwh", json());
  if (!kwh.is_object()) return invalid_argument("prices[].kwh must map period names to prices");
  for (const auto& [k, val] : kwh.items()) {
    auto t = text_of(val, "price of '" + k + "' (a decimal string such as \"0.2516\")");
    if (!t) return t.status();
    auto price = an::parse_micros(*t);
    if (!price) return price.status();
    v.kwh[k] = *price;
  }
  return v;
}

Result<an::GridRule> rule_from_json(const json& r) {
  if (!r.is_object()) return invalid_argument("each grid rule is an object");
  std::vector<std::string> days;
  for (const auto& d : r.value("days", json::array()))
    days.push_back(d.is_string() ? d.get<std::string>() : "?");
  auto mask = an::parse_weekdays(days);
  if (!mask) return mask.status();
  auto start = an::parse_hhmm(r.value("start", "00:00"));
  if (!start) return start.status();
  auto end = an::parse_hhmm(r.value("end", "24:00"));
  if (!end) return end.status();
  return an::GridRule{*mask, *start, *end, r.value("period", "")};
}

Result<an::TariffSettings> settings_from_json(const json& b) {
  an::TariffSettings s;
  auto option = text_of(b.value("option", json("base")), "option");
  if (!option) return option.status();
  auto o = an::parse_option(*option);
  if (!o) return o.status();
  s.option = *o;
  const json kva = b.value("kva", json(6)), day = b.value("billing_day", json(1));
  if (!kva.is_number_integer()) return invalid_argument("kva must be an integer");
  if (!day.is_number_integer()) return invalid_argument("billing_day must be an integer");
  s.kva = int(std::clamp<std::int64_t>(kva.get<std::int64_t>(), -1, 1000));
  s.billing_day = int(std::clamp<std::int64_t>(day.get<std::int64_t>(), -1, 1000));
  s.grid_default = b.value("grid_default", "hp");
  for (const auto& w : b.value("offpeak", json::array())) {
    auto t = text_of(w, "offpeak windows (\"22:00-06:00\")");
    if (!t) return t.status();
    auto win = an::parse_window(*t);
    if (!win) return win.status();
    s.offpeak.push_back(*win);
  }
  for (const auto& r : b.value("grid", json::array())) {
    auto rule = rule_from_json(r);
    if (!rule) return rule.status();
    s.grid.push_back(*rule);
  }
  for (const auto& p : b.value("prices", json::array())) {
    auto v = price_from_json(p);
    if (!v) return v.status();
    s.custom_prices.push_back(std::move(*v));
  }
  return s;
}

void put_tariff(ServerState& s, const Request& req, Response& res, const Principal&) {
  auto body = json_body(req);
  if (!body) return send_status(res, body.status());
  Result<an::TariffSettings> settings = invalid_argument("");
  try {  // nlohmann throws on type mismatches inside value(); a bad body is a 400
    settings = settings_from_json(*body);
  } catch (const json::exception& e) {
    settings = invalid_argument(std::string("bad tariff body: ") + e.what());
  }
  if (!settings) return send_status(res, settings.status());
  {
    std::lock_guard lock(g_write_mutex);
    Status st = an::save_settings(s.ctx.data_dir, *settings, an::builtin_catalogue());
    if (!st.is_ok()) return send_status(res, st);
  }
  get_tariff(s, req, res, {});
}

void get_catalogue(ServerState&, const Request&, Response& res, const Principal&) {
  const an::Catalogue& c = an::builtin_catalogue();
  json options = json::object();
  for (const auto& [option, versions] : c.options) {
    json list = json::array();
    for (const auto& v : versions) {
      json rows = json::array();
      for (const auto& [kva, row] : v.by_kva) {
        json kwh = json::object();
        for (const auto& [k, p] : row.kwh) kwh[k] = an::format_micros(p);
        rows.push_back(
            {{"kva", kva}, {"subscription", an::format_micros(row.subscription)}, {"kwh", kwh}});
      }
      list.push_back(
          {{"from", an::format_local_day(v.from)},
           {"to", v.to == an::kOpenEnd ? json(nullptr) : json(an::format_local_day(v.to - 1))},
           {"source", v.source},
           {"subscription_per", v.yearly_subscription ? "year" : "month"},
           {"date_confirmed", v.date_confirmed},
           {"note", v.note},
           {"prices", rows}});
    }
    options[an::option_name(option)] = list;
  }
  send_json(res, 200, {{"options", options}, {"sources", c.sources}});
}

Result<an::TempoDays> tempo_from_body(const Request& req) {
  const std::string type = req.get_header_value("Content-Type");
  if (type.rfind(kJsonType, 0) != 0) return an::parse_tempo_csv(req.body);
  auto body = json_body(req);
  if (!body) return body.status();
  const json days = body->value("days", json());
  if (!days.is_array())
    return invalid_argument("JSON colours: {\"days\": [{\"date\", \"color\"}]}");
  an::TempoDays out;
  for (const auto& d : days) {
    if (!d.is_object() || !d.value("date", json()).is_string() ||
        !d.value("color", json()).is_string()) {
      return invalid_argument("each day is {\"date\": \"YYYY-MM-DD\", \"color\": \"red\"}");
    }
    auto day = an::parse_local_day(d["date"].get<std::string>());
    if (!day) return day.status();
    auto colour = an::parse_colour(d["color"].get<std::string>());
    if (!colour) return colour.status();
    out.emplace_back(*day, *colour);
  }
  return out;
}

void post_tempo(ServerState& s, const Request& req, Response& res, const Principal&) {
  auto days = tempo_from_body(req);
  if (!days) return send_status(res, days.status());
  if (days->empty()) return send_error(res, 400, "invalid_argument", "no colours in the body");
  std::lock_guard lock(g_write_mutex);
  auto n = an::import_tempo(s.ctx.data_dir, *days);
  if (!n) return send_status(res, n.status());
  send_json(res, 200, {{"imported", days->size()}, {"household_days", *n}});
}

json periods_json(const std::vector<an::PeriodCost>& list) {
  json out = json::array();
  for (const auto& p : list)
    out.push_back({{"period", p.period},
                   {"price_kwh", an::format_micros(p.price)},
                   {"energy_wh", double(p.energy_mwh) / 1000.0},
                   {"cost", money(p.cost)}});
  return out;
}

json breakdown_json(const an::CostBreakdown& c, const Calendar& cal, bool with_buckets) {
  json out = {{"from", format_iso_utc(c.from)},      {"to", format_iso_utc(c.to)},
              {"periods", periods_json(c.periods)},  {"energy_wh", double(c.energy_mwh) / 1000.0},
              {"energy_cost", money(c.energy_cost)}, {"subscription", money(c.subscription)},
              {"total", money_cents(c.total())},     {"estimated", c.estimated},
              {"colour_assumed", c.colour_assumed},  {"coverage", c.coverage},
              {"meter_buckets", c.meter_buckets}};
  if (!with_buckets) return out;
  json buckets = json::array();
  for (const auto& b : c.buckets)
    buckets.push_back({{"start", cal.format_local(b.start)},
                       {"end", cal.format_local(b.end)},
                       {"start_ms", b.start},
                       {"end_ms", b.end},
                       {"periods", periods_json(b.periods)},
                       {"energy_wh", double(b.energy_mwh) / 1000.0},
                       {"energy_cost", money(b.energy_cost)},
                       {"subscription", money(b.subscription)},
                       {"total", money(b.total())},
                       {"estimated", b.estimated},
                       {"from_meter", b.from_meter},
                       {"coverage", b.coverage}});
  out["buckets"] = buckets;
  return out;
}

TimeMs default_span(Period by) {
  return by == Period::kHour ? kDayMs : by == Period::kMonth ? 365 * kDayMs : 30 * kDayMs;
}

void get_cost(ServerState& s, const Request& req, Response& res, const Principal&) {
  auto by = parse_energy_period(req.params);
  if (!by) return send_status(res, by.status());
  auto range = parse_range(req.params, s.ctx.clock.now(), default_span(*by));
  if (!range) return send_status(res, range.status());
  const TimeMs from = floor_to(range->from, kMinuteMs), to = floor_to(range->to, kMinuteMs);
  if (from >= to) return send_error(res, 400, "invalid_argument", "range shorter than a minute");
  auto id = query_sensor(s, req);
  if (!id) return send_status(res, id.status());
  auto h = load_household(s);
  if (!h) return send_status(res, h.status());
  auto c = an::cost_of(s.ctx.store, s.ctx.calendar, h->tariff, h->tempo, *id, from, to, *by,
                       s.ctx.inputs);
  if (!c) return send_status(res, c.status());
  json body = breakdown_json(*c, s.ctx.calendar, true);
  body["sensor"] = *id;
  body["by"] = *by == Period::kHour ? "hour" : *by == Period::kMonth ? "month" : "day";
  body["time_zone"] = s.ctx.calendar.zone_name();
  body["option"] = an::option_name(h->tariff.option);
  send_json(res, 200, body);
}

void get_bill(ServerState& s, const Request& req, Response& res, const Principal&) {
  auto id = query_sensor(s, req);
  if (!id) return send_status(res, id.status());
  auto h = load_household(s);
  if (!h) return send_status(res, h.status());
  auto b = an::current_bill(s.ctx.store, s.ctx.calendar, h->tariff, h->tempo, *id,
                            s.ctx.clock.now(), s.ctx.inputs);
  if (!b) return send_status(res, b.status());
  const Calendar& cal = s.ctx.calendar;
  json body = {
      {"sensor", *id},
      {"option", an::option_name(h->tariff.option)},
      {"period_start", cal.format_local(b->period_start)},
      {"period_end", cal.format_local(b->period_end)},
      {"as_of", format_iso_utc(b->as_of)},
      {"so_far", breakdown_json(b->so_far, cal, false)},
      {"projection",
       {{"total", money_cents(b->projected)},
        {"low", money_cents(b->projected_low)},
        {"high", money_cents(b->projected_high)},
        {"days_observed", b->days_observed}}},
      {"last_year", b->last_year ? breakdown_json(*b->last_year, cal, false) : json(nullptr)}};
  send_json(res, 200, body);
}

}  // namespace

// The sensor of ?sensor=, or the first one when there is no parameter.
Result<SensorId> query_sensor(ServerState& s, const Request& req) {
  if (auto p = param(req.params, "sensor")) {
    auto id = parse_sensor_id(*p);
    if (!id) return id.status();
    if (auto x = s.ctx.store.sensor(*id); !x) return x.status();
    return *id;
  }
  auto all = s.ctx.store.sensors();
  if (!all) return all.status();
  if (all->empty()) return not_found("no sensor yet");
  return all->front().id;
}

std::vector<Route> money_routes(ServerState& s) {
  auto bind = [&s](auto fn) -> RouteHandler {
    return [&s, fn](const Request& q, Response& r, const Principal& p) { fn(s, q, r, p); };
  };
  return {
      {"GET", "/api/v1/tariff", Access::kRead, bind(get_tariff)},
      {"PUT", "/api/v1/tariff", Access::kWrite, bind(put_tariff)},
      {"GET", "/api/v1/tariff/catalogue", Access::kRead, bind(get_catalogue)},
      {"GET", "/api/v1/tariff/now", Access::kRead, bind(get_tariff_now)},
      {"POST", "/api/v1/tariff/tempo", Access::kWrite, bind(post_tempo)},
      {"GET", "/api/v1/cost", Access::kShared, bind(get_cost)},
      {"GET", "/api/v1/bill", Access::kShared, bind(get_bill)},
  };
}

}  // namespace cw::web
