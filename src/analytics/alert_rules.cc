#include "analytics/alert_rules.h"

#include <algorithm>
#include <cmath>

#include "analytics/insight_text.h"

namespace cw::analytics {

using nlohmann::json;
using Action = AlertDecision::Action;

namespace {

AlertDecision decide(Action a, json params = json::object(), json memo = json::object()) {
  return {a, std::move(params), std::move(memo)};
}

std::int64_t int_of(const json& j, const char* key, std::int64_t fallback = 0) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<std::int64_t>() : fallback;
}
double num_of(const json& j, const char* key, double fallback = 0) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : fallback;
}
std::string text_of(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

bool battery_bad(const store::SensorState& st, const AlertOptions& o) {
  return (st.flags & kLowBatteryFlag) != 0 ||
         (st.supply_mv != 0 && st.supply_mv < o.battery_low_mv);
}

}  // namespace

Status validate(const AlertOptions& o) {
  if (o.silent_after_ms < kSecondMs || o.silent_after_ms > 7 * kDayMs)
    return invalid_argument("alerts.silent_after must be between 1s and 7 days");
  if (o.silent_periods < 1 || o.silent_periods > 1000)
    return invalid_argument("alerts.silent_periods must be between 1 and 1000");
  if (o.battery_low_mv < 0 || o.battery_low_mv > 10000)
    return invalid_argument("alerts.battery_low_mv must be between 0 and 10000");
  if (o.battery_ok_frames < 1 || o.battery_ok_frames > 1000)
    return invalid_argument("alerts.battery_ok_frames must be between 1 and 1000");
  if (!(o.power_share > 0 && o.power_share <= 2))
    return invalid_argument("alerts.power_share must be in (0, 2]");
  if (!(o.power_clear_share > 0 && o.power_clear_share <= o.power_share))
    return invalid_argument("alerts.power_clear_share must be in (0, power_share]");
  for (TimeMs t : {o.power_for_ms, o.power_clear_for_ms})
    if (t < kSecondMs || t > kHourMs)
      return invalid_argument("alerts.power_for and power_clear_for must be between 1s and 1h");
  if (!(o.night_factor >= 1 && o.night_factor <= 100))
    return invalid_argument("alerts.night_factor must be between 1 and 100");
  if (!(o.night_min_excess_w >= 0 && o.night_min_excess_w <= 100000))
    return invalid_argument("alerts.night_min_excess_w must be between 0 and 100000");
  if (o.night_min_history < 1 || o.night_min_history > 7)
    return invalid_argument("alerts.night_min_history must be between 1 and 7");
  if (!(o.target_clear_share > 0 && o.target_clear_share <= 1))
    return invalid_argument("alerts.target_clear_share must be in (0, 1]");
  return Status::ok();
}

AlertDecision sensor_silent(const store::Sensor& s, TimeMs period_ms, TimeMs now,
                            const AlertOptions& o, const ActiveAlert* active) {
  const TimeMs last = s.state.last_seen > 0 ? s.state.last_seen : s.created;
  if (active) {
    // A frame after the silence began ends the episode.
    const bool spoke = s.state.last_seen > int_of(active->params, "since_ms", INT64_MAX);
    return decide(spoke ? Action::kClose : Action::kNone);
  }
  const TimeMs threshold = std::max(o.silent_after_ms, o.silent_periods * period_ms);
  if (now - last < threshold) return decide(Action::kNone);
  return decide(Action::kOpen, {{"sensor", s.id}, {"name", s.name}, {"since_ms", last}});
}

AlertDecision battery_low(const store::Sensor& s, const AlertOptions& o,
                          const ActiveAlert* active) {
  const store::SensorState& st = s.state;
  if (st.last_seen == 0) return decide(Action::kNone);  // never heard: nothing to judge
  const bool bad = battery_bad(st, o);
  const json supply = st.supply_mv ? json(st.supply_mv) : json(nullptr);
  if (!active) {
    if (!bad) return decide(Action::kNone);
    return decide(Action::kOpen, {{"sensor", s.id}, {"name", s.name}, {"supply_mv", supply}});
  }
  json params = active->params;
  if (bad) {
    if (!active->memo.contains("fine_from")) return decide(Action::kNone);
    params["supply_mv"] = supply;
    return decide(Action::kUpdate, params, json::object());  // the count starts again
  }
  const std::int64_t counter = st.last_counter;
  if (!active->memo.contains("fine_from")) {
    if (o.battery_ok_frames <= 1) return decide(Action::kClose);
    return decide(Action::kUpdate, params, {{"fine_from", counter}});
  }
  const std::int64_t from = int_of(active->memo, "fine_from");
  if (counter < from) return decide(Action::kUpdate, params, {{"fine_from", counter}});  // reset
  if (counter - from + 1 >= o.battery_ok_frames) return decide(Action::kClose);
  return decide(Action::kNone);
}

AlertDecision near_subscribed_power(SensorId sensor, std::span<const Sample> recent,
                                    TimeMs max_gap_ms, int kva, const AlertOptions& o,
                                    const ActiveAlert* active) {
  if (recent.empty() || kva <= 0) return decide(Action::kNone);
  const double limit = double(kva) * 1000.0;
  const TimeMs high = trailing_run(recent, max_gap_ms, [&](const Sample& x) {
    return double(x.power_w) >= o.power_share * limit;
  });
  std::int32_t peak = 0;
  for (const Sample& x : recent) peak = std::max(peak, x.power_w);
  if (!active) {
    if (high < o.power_for_ms) return decide(Action::kNone);
    return decide(
        Action::kOpen,
        {{"sensor", sensor}, {"power_w", peak}, {"limit_w", std::int64_t(limit)}, {"kva", kva}});
  }
  const TimeMs low = trailing_run(recent, max_gap_ms, [&](const Sample& x) {
    return double(x.power_w) < o.power_clear_share * limit;
  });
  if (low >= o.power_clear_for_ms) return decide(Action::kClose);
  if (peak > int_of(active->params, "power_w")) {
    json params = active->params;
    params["power_w"] = peak;
    return decide(Action::kUpdate, params, active->memo);
  }
  return decide(Action::kNone);
}

AlertDecision unusual_night(SensorId sensor, const NightLoad& last,
                            const std::vector<NightLoad>& before, const AlertOptions& o,
                            const ActiveAlert* active) {
  if (!last.watts) return decide(Action::kNone);  // missing data: neither opens nor closes
  std::vector<double> usual;
  for (const NightLoad& n : before)
    if (n.watts) usual.push_back(*n.watts);
  const std::string night = format_local_day(last.night);
  if (active && text_of(active->params, "night") == night) return decide(Action::kNone);
  if (int(usual.size()) < o.night_min_history) return decide(Action::kNone);
  const double usual_w = std::round(median(usual));
  const bool unusual =
      *last.watts >= o.night_factor * usual_w && *last.watts - usual_w >= o.night_min_excess_w;
  if (active) return decide(unusual ? Action::kNone : Action::kClose);
  if (!unusual) return decide(Action::kNone);
  return decide(
      Action::kOpen,
      {{"sensor", sensor}, {"night", night}, {"watts", *last.watts}, {"usual_w", usual_w}});
}

AlertDecision target_at_risk(const std::optional<store::Target>& target, const TargetCheck& check,
                             const std::string& month, const AlertOptions& o,
                             const ActiveAlert* active) {
  const bool judged = target && check.status != TargetStatus::kNone;
  if (active) {
    if (!target || text_of(active->params, "month") != month) return decide(Action::kClose);
    if (!judged) return decide(Action::kNone);
    if (check.projection < o.target_clear_share * check.target) return decide(Action::kClose);
    const double projection = std::round(check.projection * 100) / 100;
    if (projection == num_of(active->params, "projection")) return decide(Action::kNone);
    json params = active->params;
    params["projection"] = projection;
    return decide(Action::kUpdate, params, active->memo);
  }
  if (!judged || check.projection <= check.target) return decide(Action::kNone);
  const bool firm = check.confidence == Confidence::kMedium ||
                    check.confidence == Confidence::kHigh || check.status == TargetStatus::kOver;
  if (!firm) return decide(Action::kNone);
  return decide(Action::kOpen, {{"unit", target->unit},
                                {"target", check.target},
                                {"projection", std::round(check.projection * 100) / 100},
                                {"month", month}});
}

TimeMs sampling_period(std::span<const Sample> samples, TimeMs max_gap_ms) {
  std::vector<double> steps;
  for (std::size_t i = 1; i < samples.size(); ++i)
    if (samples[i].t - samples[i - 1].t <= max_gap_ms)
      steps.push_back(double(samples[i].t - samples[i - 1].t));
  return steps.empty() ? 0 : TimeMs(median(std::move(steps)));
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string alert_message(const std::string& kind, const json& p, const Calendar& calendar) {
  const std::string name = "'" + text_of(p, "name") + "'";
  if (kind == kSensorSilent)
    return "Sensor " + name + " has sent nothing since " +
           local_minute_text(calendar, int_of(p, "since_ms"));
  if (kind == kBatteryLow) {
    const std::int64_t mv = int_of(p, "supply_mv");
    return "The battery of sensor " + name + " is low" +
           (mv > 0 ? " (" + number_text(double(mv) / 1000.0, 2) + " V)" : std::string()) +
           ": replace it soon";
  }
  if (kind == kNearSubscribedPower)
    return "Power reached " + number_text(num_of(p, "power_w"), 0) + " W, close to the " +
           number_text(num_of(p, "limit_w"), 0) + " W of your " + number_text(num_of(p, "kva"), 0) +
           " kVA subscription: the breaker may trip";
  if (kind == kUnusualNight)
    return "Last night (" + text_of(p, "night") + ") your always-on power was " +
           number_text(num_of(p, "watts"), 0) + " W, against " +
           number_text(num_of(p, "usual_w"), 0) + " W usually: something stayed on?";
  if (kind == kTargetAtRisk) {
    const bool eur = text_of(p, "unit") == "eur";
    auto amount = [&](double v) {
      return eur ? number_text(v, 2) + " €" : number_text(v, 1) + " kWh";
    };
    return "This month (" + text_of(p, "month") + ") is heading for " +
           amount(num_of(p, "projection")) + ", above your target of " +
           amount(num_of(p, "target"));
  }
  return kind;
}

}  // namespace cw::analytics
