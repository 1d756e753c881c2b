// Always-on power, alerts, targets and challenges, tips (docs/api.md, "Insights").
#include "analytics/alert_rules.h"
#include "analytics/baseload.h"
#include "analytics/challenge_ledger.h"
#include "analytics/challenges.h"
#include "analytics/household.h"
#include "analytics/insight_text.h"
#include "analytics/targets.h"
#include "analytics/tips.h"
#include "protocol/frame.h"
#include "web/http_util.h"
#include "web/insight_params.h"
#include "web/params.h"
#include "web/routes.h"

namespace cw::web {

namespace {

using httplib::Request;
using httplib::Response;
using nlohmann::json;
namespace an = analytics;

static_assert(an::kLowBatteryFlag == protocol::kFlagLowBattery);

json or_null(const std::optional<double>& v) {
  return v ? json(*v) : json(nullptr);
}

json object_of(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  return j.is_object() ? j : json::object();
}

Result<store::InsightStore*> insights_of(ServerState& s) {
  if (!s.ctx.insights) return Status(Code::kUnavailable, "insights are not available here");
  return s.ctx.insights;
}

void get_baseload(ServerState& s, const Request& req, Response& res, const Principal&) {
  auto id = query_sensor(s, req);
  if (!id) return send_status(res, id.status());
  auto h = an::load_household(s.ctx.data_dir);
  if (!h) return send_status(res, h.status());
  const TimeMs now = s.ctx.clock.now();
  auto b = an::baseload(s.ctx.store, s.ctx.calendar, *id, now);
  if (!b) return send_status(res, b.status());
  json nights = json::array();
  for (const an::NightLoad& n : b->per_night)
    nights.push_back({{"night", an::format_local_day(n.night)},
                      {"watts", or_null(n.watts)},
                      {"coverage", std::round(n.coverage * 1000) / 1000}});
  const auto price = an::cheapest_price(h->tariff, s.ctx.calendar, now);
  json yearly_kwh = nullptr, yearly_cost = nullptr;
  if (b->watts) {
    yearly_kwh = *b->watts * an::kHoursPerYear / 1000.0;
    if (price) yearly_cost = an::money_json(an::energy_cost(*price, an::yearly_mwh(*b->watts)));
  }
  json change = b->watts && b->previous_w ? json(*b->watts - *b->previous_w) : json(nullptr);
  send_json(res, 200,
            {{"sensor", *id},
             {"watts", or_null(b->watts)},
             {"nights", b->nights},
             {"confidence", an::confidence_name(b->confidence)},
             {"yearly_kwh", yearly_kwh},
             {"yearly_cost", yearly_cost},
             {"price_kwh", price ? json(an::format_micros(*price)) : json(nullptr)},
             {"previous_w", or_null(b->previous_w)},
             {"previous_nights", b->previous_nights},
             {"change_w", change},
             {"per_night", nights}});
}

json alert_json(const store::AlertRecord& a, const Calendar& cal) {
  const json params = object_of(a.params);
  return {{"id", a.id},
          {"kind", a.kind},
          {"state", store::alert_state_name(a.state)},
          {"sensor", a.sensor ? json(a.sensor) : json(nullptr)},
          {"opened_ms", a.opened},
          {"opened", format_iso_utc(a.opened)},
          {"acknowledged_ms", a.acknowledged ? json(a.acknowledged) : json(nullptr)},
          {"closed_ms", a.closed ? json(a.closed) : json(nullptr)},
          {"params", params},
          {"message", an::alert_message(a.kind, params, cal)}};
}

void get_alerts(ServerState& s, const Request& req, Response& res, const Principal&) {
  auto q = parse_alert_query(req.params);
  if (!q) return send_status(res, q.status());
  auto insights = insights_of(s);
  if (!insights) return send_status(res, insights.status());
  auto list = (*insights)->alerts(*q);
  if (!list) return send_status(res, list.status());
  json out = json::array();
  for (const auto& a : *list) out.push_back(alert_json(a, s.ctx.calendar));
  send_json(res, 200, {{"alerts", out}});
}

void ack_alert(ServerState& s, const Request& req, Response& res, const Principal&) {
  auto insights = insights_of(s);
  if (!insights) return send_status(res, insights.status());
  std::int64_t id = 0;
  try {
    id = std::stoll(req.matches[1].str());
  } catch (const std::exception&) {
    return send_error(res, 404, "not_found", "no such alert");
  }
  auto r = (*insights)->acknowledge(id, s.ctx.clock.now());
  if (!r) return send_status(res, r.status());
  if (!r->was_open)
    return send_error(res, 409, "not_open",
                      std::string("alert ") + std::to_string(id) + " is " +
                          store::alert_state_name(r->alert.state) + ", not open");
  send_json(res, 200, alert_json(r->alert, s.ctx.calendar));
}

json target_json(const std::optional<store::Target>& t) {
  if (!t) return nullptr;
  return {{"unit", t->unit}, {"amount", an::target_amount_text(*t)}};
}

void get_target(ServerState& s, const Request& req, Response& res, const Principal&) {
  auto insights = insights_of(s);
  if (!insights) return send_status(res, insights.status());
  auto target = (*insights)->target();
  if (!target) return send_status(res, target.status());
  auto id = query_sensor(s, req);
  if (!id && !param(req.params, "sensor") && id.status().code() == Code::kNotFound) {
    // No sensor yet: the target stands, with nothing measured against it.
    return send_json(res, 200,
                     {{"sensor", nullptr},
                      {"target", target_json(*target)},
                      {"status", "none"},
                      {"share", nullptr}});
  }
  if (!id) return send_status(res, id.status());
  auto h = an::load_household(s.ctx.data_dir);
  if (!h) return send_status(res, h.status());
  const Calendar& cal = s.ctx.calendar;
  auto m = an::month_progress(s.ctx.store, cal, *h, *id, s.ctx.clock.now());
  if (!m) return send_status(res, m.status());
  const an::TargetCheck c = an::check_target(*m, *target);
  auto cost = [&](an::Picos p) { return m->priced ? an::money_json(p) : json(nullptr); };
  send_json(res, 200,
            {{"sensor", *id},
             {"target", target_json(*target)},
             {"month", an::month_label(cal, m->month_start)},
             {"month_start", cal.format_local(m->month_start)},
             {"month_end", cal.format_local(m->month_end)},
             {"so_far",
              {{"kwh", std::round(m->so_far_kwh * 1000) / 1000}, {"cost", cost(m->so_far_cost)}}},
             {"projection",
              {{"kwh", std::round(m->projection_kwh * 10) / 10},
               {"cost", cost(m->projection_cost)},
               {"low_kwh", std::round(m->low_kwh * 10) / 10},
               {"high_kwh", std::round(m->high_kwh * 10) / 10},
               {"confidence", an::confidence_name(m->confidence)}}},
             {"status", an::target_status_name(c.status)},
             {"share", c.share ? json(std::round(*c.share * 1000) / 1000) : json(nullptr)}});
}

void put_target(ServerState& s, const Request& req, Response& res, const Principal& who) {
  auto insights = insights_of(s);
  if (!insights) return send_status(res, insights.status());
  auto body = json_body(req);
  if (!body) return send_status(res, body.status());
  auto target = parse_target_body(*body, s.ctx.clock.now());
  if (!target) return send_status(res, target.status());
  if (Status st = (*insights)->set_target(*target); !st) return send_status(res, st);
  get_target(s, req, res, who);
}

json current_json(const Calendar& cal, const an::ChallengePlan& plan,
                  const an::ChallengeProgress& p) {
  const bool energy = plan.kind == an::ChallengeKind::kWeekLess10;
  return {{"kind", an::challenge_kind_name(plan.kind)},
          {"week_start", cal.format_local(plan.week_start)},
          {"week_end", cal.format_local(plan.week_end)},
          {"goal_kwh", energy ? plan.params.value("goal_kwh", json()) : json(nullptr)},
          {"usual_kwh", energy ? plan.params.value("usual_kwh", json()) : json(nullptr)},
          {"so_far_kwh", p.so_far_kwh},
          {"projection_kwh", or_null(p.projection_kwh)},
          {"status", p.status},
          {"params", p.params},
          {"message", an::plan_message(plan.kind, plan.params)}};
}

json history_json(const Calendar& cal, const store::ChallengeRecord& c) {
  const auto kind = an::parse_challenge_kind(c.kind);
  const json outcome = object_of(c.outcome);
  return {{"kind", c.kind},
          {"week_start", cal.format_local(c.week_start)},
          {"week_end", cal.format_local(c.week_end)},
          {"won", c.result == "won"},
          {"result", c.result},
          {"goal", object_of(c.plan)},
          {"params", outcome},
          {"message", kind ? an::result_message(*kind, c.result, outcome) : c.kind}};
}

// This week's challenge: as recorded when the week began, or (before the ledger has run)
// chosen now the same way.
Result<std::optional<an::ChallengePlan>> this_week(
    ServerState& s, const an::Household& h, SensorId id, TimeMs now,
    const std::vector<store::ChallengeRecord>& recs) {
  const Calendar& cal = s.ctx.calendar;
  const TimeMs ws = cal.floor(now, Period::kWeek);
  if (!recs.empty() && recs.front().week_start == ws) {
    const auto kind = an::parse_challenge_kind(recs.front().kind);
    if (!kind) return std::optional<an::ChallengePlan>();
    return std::optional<an::ChallengePlan>(
        an::ChallengePlan{*kind, ws, recs.front().week_end, object_of(recs.front().plan)});
  }
  auto baseline = an::week_baseline(s.ctx.store, cal, h, id, ws);
  if (!baseline) return baseline.status();
  return an::choose_challenge(*baseline, cal, h.tariff.option);
}

void get_challenges(ServerState& s, const Request& req, Response& res, const Principal&) {
  auto insights = insights_of(s);
  if (!insights) return send_status(res, insights.status());
  auto id = query_sensor(s, req);
  if (!id) return send_status(res, id.status());
  auto h = an::load_household(s.ctx.data_dir);
  if (!h) return send_status(res, h.status());
  const TimeMs now = s.ctx.clock.now();
  const Calendar& cal = s.ctx.calendar;
  auto recs = (*insights)->challenges(*id, 53);
  if (!recs) return send_status(res, recs.status());
  auto plan = this_week(s, *h, *id, now, *recs);
  if (!plan) return send_status(res, plan.status());
  json current = nullptr;
  if (*plan) {
    auto m = an::measure_week(s.ctx.store, cal, *h, *id, (*plan)->week_start, now);
    if (!m) return send_status(res, m.status());
    current = current_json(cal, **plan, an::challenge_progress(**plan, *m, now));
  }
  json history = json::array();
  for (const auto& c : *recs)
    if (c.settled) history.push_back(history_json(cal, c));
  auto held = (*insights)->badges(*id);
  if (!held) return send_status(res, held.status());
  json badges = json::array();
  for (const auto& b : *held) badges.push_back({{"id", b.id}, {"earned_ms", b.earned}});
  send_json(res, 200,
            {{"sensor", *id},
             {"current", current},
             {"history", history},
             {"streak", an::streak(*recs)},
             {"badges", badges}});
}

void get_tips(ServerState& s, const Request& req, Response& res, const Principal&) {
  auto id = query_sensor(s, req);
  if (!id) return send_status(res, id.status());
  auto h = an::load_household(s.ctx.data_dir);
  if (!h) return send_status(res, h.status());
  auto r = an::compute_tips(s.ctx.store, s.ctx.calendar, *h, *id, s.ctx.clock.now());
  if (!r) return send_status(res, r.status());
  json tips = json::array();
  for (const an::Tip& t : r->tips)
    tips.push_back({{"id", t.id},
                    {"saving_year", an::money_json(t.saving_year)},
                    {"saving_kwh_year", t.saving_kwh_year},
                    {"params", t.params},
                    {"message", t.message}});
  json skipped = json::array();
  for (const auto& k : r->skipped) skipped.push_back({{"id", k.id}, {"reason", k.reason}});
  send_json(res, 200,
            {{"sensor", *id}, {"tips", tips}, {"skipped", skipped}, {"checked", r->checked}});
}

}  // namespace

std::vector<Route> insight_routes(ServerState& s) {
  auto bind = [&s](auto fn) -> RouteHandler {
    return [&s, fn](const Request& q, Response& r, const Principal& p) { fn(s, q, r, p); };
  };
  return {
      {"GET", "/api/v1/baseload", Access::kRead, bind(get_baseload)},
      {"GET", "/api/v1/alerts", Access::kRead, bind(get_alerts)},
      {"POST", R"(/api/v1/alerts/(\d{1,18})/ack)", Access::kMember, bind(ack_alert)},
      {"GET", "/api/v1/target", Access::kRead, bind(get_target)},
      {"PUT", "/api/v1/target", Access::kMember, bind(put_target)},
      {"GET", "/api/v1/challenges", Access::kRead, bind(get_challenges)},
      {"GET", "/api/v1/tips", Access::kRead, bind(get_tips)},
  };
}

}  // namespace cw::web
