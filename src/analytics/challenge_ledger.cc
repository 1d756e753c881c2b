#include "analytics/challenge_ledger.h"

#include <algorithm>
#include <set>

#include "analytics/cost.h"
#include "analytics/energy.h"
#include "analytics/targets.h"

namespace cw::analytics {

using nlohmann::json;

namespace {

json parse_object(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  return j.is_object() ? j : json::object();
}

std::optional<double> baseload_of(const store::ChallengeRecord& c) {
  const json o = parse_object(c.outcome);
  auto it = o.find("baseload_w");
  if (it == o.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

}  // namespace

int streak(const std::vector<store::ChallengeRecord>& newest_first) {
  int n = 0;
  TimeMs expected_end = 0;  // the week after the one looked at must have started where it ended
  for (const store::ChallengeRecord& c : newest_first) {
    if (!c.settled) continue;
    if (expected_end != 0 && c.week_end != expected_end) break;  // a week without a challenge
    expected_end = c.week_start;
    if (c.result == "void") continue;
    if (c.result != "won") break;
    ++n;
  }
  return n;
}

std::vector<store::Badge> new_badges(const std::vector<store::ChallengeRecord>& newest_first,
                                     const std::vector<store::Badge>& held, SensorId sensor,
                                     TimeMs when) {
  std::set<std::string> have;
  for (const store::Badge& b : held) have.insert(b.id);
  std::vector<store::Badge> out;
  auto earn = [&](const char* id) {
    if (have.insert(id).second) out.push_back({sensor, id, when});
  };
  const bool any_win = std::any_of(newest_first.begin(), newest_first.end(),
                                   [](const auto& c) { return c.settled && c.result == "won"; });
  if (any_win) earn(kBadgeFirstWin);
  const int s = streak(newest_first);
  if (s >= 3) earn(kBadgeStreak3);
  if (s >= 10) earn(kBadgeStreak10);
  // Always-on 50 W under the first week the base measured it.
  std::optional<double> first, newest;
  for (const store::ChallengeRecord& c : newest_first) {
    if (!c.settled) continue;
    if (auto w = baseload_of(c)) {
      if (!newest) newest = w;
      first = w;
    }
  }
  if (first && newest && *newest <= *first - 50) earn(kBadgeBaseloadDown50);
  return out;
}

ChallengeLedger::ChallengeLedger(store::Store& store, store::InsightStore& insights,
                                 const Calendar& calendar, std::string data_dir,
                                 ChallengeOptions options)
    : store_(store),
      insights_(insights),
      calendar_(calendar),
      data_dir_(std::move(data_dir)),
      options_(options) {}

Result<LedgerPass> ChallengeLedger::run(TimeMs now) {
  auto h = load_household(data_dir_);
  if (!h) return h.status();
  auto sensors = store_.sensors();
  if (!sensors) return sensors.status();
  LedgerPass pass;
  for (const store::Sensor& s : *sensors) {
    Status st = run_sensor(pass, *h, s.id, now);
    if (!st && pass.problem) pass.problem = st;
  }
  if (!sensors->empty()) {
    Status st = month_badge(pass, *h, sensors->front().id, now);
    if (!st && pass.problem) pass.problem = st;
  }
  return pass;
}

Status ChallengeLedger::run_sensor(LedgerPass& pass, const Household& h, SensorId sensor,
                                   TimeMs now) {
  for (;;) {  // settle the ended weeks, oldest first, so each streak counts the weeks before it
    auto records = insights_.challenges(sensor, 520);
    if (!records) return records.status();
    auto due = std::find_if(records->rbegin(), records->rend(), [&](const auto& c) {
      return !c.settled && c.week_end + kSettleDelayMs <= now;
    });
    if (due == records->rend()) break;
    std::vector<store::ChallengeRecord> older(due.base(), records->end());  // newest first
    CW_RETURN_IF_ERROR(settle(pass, h, *due, std::move(older), now));
  }
  auto records = insights_.challenges(sensor, 1);
  if (!records) return records.status();
  const TimeMs ws = calendar_.floor(now, Period::kWeek);
  if (!records->empty() && records->front().week_start == ws) return Status::ok();
  auto tried = no_plan_.find(sensor);
  if (tried != no_plan_.end() && tried->second.first == ws &&
      now - tried->second.second < kRetryPlanMs)
    return Status::ok();
  auto baseline = week_baseline(store_, calendar_, h, sensor, ws, options_);
  if (!baseline) return baseline.status();
  auto plan = choose_challenge(*baseline, calendar_, h.tariff.option, options_);
  if (!plan) {
    no_plan_[sensor] = {ws, now};
    return Status::ok();
  }
  store::ChallengeRecord c{sensor, plan->week_start, plan->week_end,
                           challenge_kind_name(plan->kind), plan->params.dump()};
  auto added = insights_.begin_challenge(c);
  if (!added) return added.status();
  pass.begun += *added ? 1 : 0;
  return Status::ok();
}

Status ChallengeLedger::settle(LedgerPass& pass, const Household& h, store::ChallengeRecord c,
                               std::vector<store::ChallengeRecord> older, TimeMs now) {
  const auto kind = parse_challenge_kind(c.kind);
  ChallengeResult r;
  if (kind) {
    auto m = measure_week(store_, calendar_, h, c.sensor, c.week_start, c.week_end, options_);
    if (!m) return m.status();
    r = judge_week({*kind, c.week_start, c.week_end, parse_object(c.plan)}, *m, options_);
  } else {
    r.result = "void";  // a kind this version does not know (written by a newer one)
    r.outcome = {{"reason", "unknown_kind"}};
  }
  c.settled = true;
  c.result = r.result;
  c.outcome = r.outcome.dump();
  c.settled_at = now;
  older.insert(older.begin(), c);  // newest first
  auto held = insights_.badges(c.sensor);
  if (!held) return held.status();
  const auto earned = new_badges(older, *held, c.sensor, c.week_end);
  auto done = insights_.settle_challenge(c, earned);
  if (!done) return done.status();
  if (*done) {
    ++pass.settled;
    pass.awarded.insert(pass.awarded.end(), earned.begin(), earned.end());
  }
  return Status::ok();
}

Status ChallengeLedger::month_badge(LedgerPass& pass, const Household& h, SensorId sensor,
                                    TimeMs now) {
  const TimeMs month = calendar_.floor(now, Period::kMonth);
  if (month == month_checked_) return Status::ok();
  auto target = insights_.target();
  if (!target) return target.status();
  month_checked_ = month;
  // The month that just ended, against the target, if it was set before that month ended.
  if (!*target || (*target)->set >= month) return Status::ok();
  const TimeMs prev = calendar_.floor(month - 1, Period::kMonth);
  auto energy = energy_by(store_, calendar_, sensor, prev, month, Period::kMonth);
  if (!energy) return energy.status();
  if (energy->empty() || energy->front().coverage < options_.min_week_coverage)
    return Status::ok();  // a month mostly without data proves nothing
  double used = energy->front().energy_wh / 1000.0;
  if ((*target)->unit == "eur") {
    auto cost = cost_of(store_, calendar_, h.tariff, h.tempo, sensor, prev, month, Period::kMonth);
    if (!cost) return cost.status().code() == Code::kInvalidArgument ? Status::ok() : cost.status();
    used = double(cost->total()) / 1e12;
  }
  if (used > target_value(**target)) return Status::ok();
  auto held = insights_.badges(sensor);
  if (!held) return held.status();
  for (const store::Badge& b : *held)
    if (b.id == kBadgeMonthUnderTarget) return Status::ok();
  const std::vector<store::Badge> badge{{sensor, kBadgeMonthUnderTarget, month}};
  CW_RETURN_IF_ERROR(insights_.award(badge));
  pass.awarded.push_back(badge.front());
  return Status::ok();
}

}  // namespace cw::analytics
