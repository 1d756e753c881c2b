#include "analytics/alert_evaluator.h"

#include <algorithm>
#include <set>

#include "analytics/household.h"

namespace cw::analytics {

using nlohmann::json;
using Action = AlertDecision::Action;

namespace {

json parse_object(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  return j.is_object() ? j : json::object();
}

}  // namespace

// What one pass knows and collects.
struct AlertEvaluator::Pass {
  TimeMs now = 0;
  std::map<Key, store::AlertRecord> active;
  std::map<Key, ActiveAlert> views;
  std::optional<Household> household;
  store::AlertChanges changes;
  Status first_error;

  const ActiveAlert* view(const std::string& kind, SensorId sensor) const {
    auto it = views.find({kind, sensor});
    return it == views.end() ? nullptr : &it->second;
  }

  void apply(const std::string& kind, SensorId sensor, const AlertDecision& d) {
    auto it = active.find({kind, sensor});
    switch (d.action) {
      case Action::kOpen:
        if (it != active.end()) return;  // one alert per episode, whatever the rule says
        changes.opened.push_back(
            {0, kind, sensor, store::AlertState::kOpen, now, 0, 0, d.params.dump(), d.memo.dump()});
        return;
      case Action::kUpdate:
        if (it == active.end()) return;
        changes.updated.push_back({it->second.id, kind, sensor, it->second.state, 0, 0, 0,
                                   d.params.dump(), d.memo.dump()});
        return;
      case Action::kClose:
        if (it != active.end()) changes.closed.emplace_back(it->second.id, now);
        return;
      default:
        return;
    }
  }

  void note(const Status& s) {
    if (!s && first_error) first_error = s;
  }
};

AlertEvaluator::AlertEvaluator(store::Store& store, store::InsightStore& insights,
                               const Calendar& calendar, std::string data_dir, AlertOptions options)
    : store_(store),
      insights_(insights),
      calendar_(calendar),
      data_dir_(std::move(data_dir)),
      options_(options) {}

Result<AlertPass> AlertEvaluator::run(TimeMs now) {
  auto sensors = store_.sensors();
  if (!sensors) return sensors.status();
  auto active = insights_.active_alerts();
  if (!active) return active.status();
  Pass pass;
  pass.now = now;
  for (store::AlertRecord& a : *active) {
    const Key key{a.kind, a.sensor};
    pass.views[key] = ActiveAlert{parse_object(a.params), parse_object(a.memo)};
    pass.active[key] = std::move(a);
  }
  auto household = load_household(data_dir_);
  if (household) pass.household = std::move(*household);
  pass.note(household.status());

  std::set<SensorId> present;
  for (const store::Sensor& s : *sensors) {
    present.insert(s.id);
    judge_sensor(pass, s);
  }
  // The alerts of a sensor that was removed have nothing left to watch.
  for (const auto& [key, a] : pass.active)
    if (a.sensor != 0 && !present.count(a.sensor)) pass.changes.closed.emplace_back(a.id, now);
  if (!sensors->empty()) judge_target(pass, sensors->front().id);

  CW_RETURN_IF_ERROR(insights_.apply(pass.changes));
  return AlertPass{std::move(pass.changes), pass.first_error};
}

void AlertEvaluator::judge_sensor(Pass& pass, const store::Sensor& s) {
  pass.apply(
      kSensorSilent, s.id,
      sensor_silent(s, period_of(s, pass.now), pass.now, options_, pass.view(kSensorSilent, s.id)));
  pass.apply(kBatteryLow, s.id, battery_low(s, options_, pass.view(kBatteryLow, s.id)));
  if (pass.household) judge_power(pass, s, pass.household->tariff.kva);
  judge_night(pass, s);
}

void AlertEvaluator::judge_power(Pass& pass, const store::Sensor& s, int kva) {
  const ActiveAlert* active = pass.view(kNearSubscribedPower, s.id);
  // Without an alert, only a high last power can start one: skip the read otherwise.
  if (!active && s.state.last_power_w < options_.power_share * kva * 1000.0) return;
  const TimeMs window = std::max(options_.power_for_ms, options_.power_clear_for_ms) + s.max_gap_ms;
  const TimeMs to = std::max(pass.now, s.state.last_seen) + 1;
  std::vector<Sample> recent;
  Status st = store_.scan_raw(s.id, to - window, to, [&](std::span<const Sample> chunk) {
    recent.insert(recent.end(), chunk.begin(), chunk.end());
    return true;
  });
  if (!st) return pass.note(st);
  pass.apply(kNearSubscribedPower, s.id,
             near_subscribed_power(s.id, recent, s.max_gap_ms, kva, options_, active));
}

void AlertEvaluator::judge_night(Pass& pass, const store::Sensor& s) {
  const LocalDay night = last_complete_night(calendar_, pass.now);
  auto done = night_judged_.find(s.id);
  if (done != night_judged_.end() && done->second == night) return;
  auto nights = read_nights(store_, calendar_, s.id, night - 7, 8);
  if (!nights) return pass.note(nights.status());
  const NightLoad last = nights->back();
  nights->pop_back();
  pass.apply(kUnusualNight, s.id,
             unusual_night(s.id, last, *nights, options_, pass.view(kUnusualNight, s.id)));
  night_judged_[s.id] = night;
}

void AlertEvaluator::judge_target(Pass& pass, SensorId first) {
  const std::string month = month_label(calendar_, pass.now);
  const ActiveAlert* active = pass.view(kTargetAtRisk, 0);
  auto target = insights_.target();  // one small row: read each pass, so a new target counts now
  if (!target) return pass.note(target.status());
  // Unit, amount and time set: a target replaced within the same millisecond still differs.
  const std::string seen = *target
                               ? (*target)->unit + " " + std::to_string((*target)->amount_micros) +
                                     " " + std::to_string((*target)->set)
                               : "";
  const bool due =
      pass.now - target_judged_ >= kTargetEveryMs || month != target_month_ || seen != target_seen_;
  if (!due) return;
  TargetCheck check;
  if (*target && pass.household) {
    auto m = month_progress(store_, calendar_, *pass.household, first, pass.now);
    if (!m) return pass.note(m.status());
    check = check_target(*m, *target);
  }
  if (*target || active)
    pass.apply(kTargetAtRisk, 0, target_at_risk(*target, check, month, options_, active));
  target_judged_ = pass.now;
  target_month_ = month;
  target_seen_ = seen;
}

TimeMs AlertEvaluator::period_of(const store::Sensor& s, TimeMs now) {
  // The period matters only once the silence is longer than silent_after (the least threshold).
  if (s.state.last_seen == 0 || now - s.state.last_seen < options_.silent_after_ms) return 0;
  auto cached = period_of_.find(s.id);
  if (cached != period_of_.end() && cached->second.first == s.state.last_seen)
    return cached->second.second;
  constexpr std::size_t kTail = 21;  // the last 20 intervals
  std::vector<Sample> tail;
  const TimeMs from = s.state.last_seen - 20 * s.max_gap_ms;
  Status st = store_.scan_raw(s.id, from, s.state.last_seen + 1, [&](std::span<const Sample> c) {
    tail.insert(tail.end(), c.begin(), c.end());
    if (tail.size() > 4 * kTail) tail.erase(tail.begin(), tail.end() - kTail);
    return true;
  });
  if (!st) return 0;
  if (tail.size() > kTail) tail.erase(tail.begin(), tail.end() - kTail);
  const TimeMs period = sampling_period(tail, s.max_gap_ms);
  period_of_[s.id] = {s.state.last_seen, period};
  return period;
}

}  // namespace cw::analytics
