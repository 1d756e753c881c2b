#include "analytics/challenges.h"

#include <cmath>
#include <vector>

#include "analytics/baseload.h"
#include "analytics/cost.h"
#include "analytics/energy.h"
#include "analytics/insight_text.h"
#include "analytics/tariff_periods.h"

namespace cw::analytics {

using nlohmann::json;

namespace {

double num(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : 0;
}

// Energy and covered time of the local days of [from, to), by week of the calendar.
struct WeekEnergy {
  TimeMs start = 0, end = 0;
  double kwh = 0;
  double coverage = 0;
};

Result<std::vector<WeekEnergy>> weeks_between(store::Store& store, const Calendar& cal,
                                              SensorId sensor, TimeMs from, TimeMs to) {
  auto days = energy_by(store, cal, sensor, from, to, Period::kDay);
  if (!days) return days.status();
  std::vector<WeekEnergy> out;
  for (const EnergyBucket& d : *days) {
    const TimeMs ws = cal.floor(d.start, Period::kWeek);
    if (out.empty() || out.back().start != ws) out.push_back({ws, cal.next(ws, Period::kWeek)});
    WeekEnergy& w = out.back();
    w.kwh += d.energy_wh / 1000.0;
    w.coverage += d.coverage * double(d.end - d.start);  // covered ms, divided below
  }
  for (WeekEnergy& w : out) {
    const TimeMs a = std::max(w.start, from), b = std::min(w.end, to);
    w.coverage = b > a ? std::min(1.0, w.coverage / double(b - a)) : 0;
  }
  return out;
}

// The off-peak share of a cost breakdown's energy (nullopt without energy).
std::optional<double> offpeak_share(const CostBreakdown& c) {
  if (c.energy_mwh <= 0) return std::nullopt;
  std::int64_t off = 0;
  for (const PeriodCost& p : c.periods)
    if (is_offpeak_period(p.period)) off += p.energy_mwh;
  return double(off) / double(c.energy_mwh);
}

bool has_offpeak(TariffOption o) {
  return o == TariffOption::kHpHc || o == TariffOption::kTempo;
}

// The always-on over the complete nights of [from, to) (nights ending in it).
Result<std::pair<std::optional<double>, int>> nights_baseload(store::Store& store,
                                                              const Calendar& cal, SensorId sensor,
                                                              TimeMs from, TimeMs to,
                                                              int min_nights) {
  const LocalDay first = local_clock(cal, from).day;
  const LocalDay last = last_complete_night(cal, to);
  if (last < first) return std::pair<std::optional<double>, int>{std::nullopt, 0};
  auto nights = read_nights(store, cal, sensor, first, int(last - first + 1));
  if (!nights) return nights.status();
  int counted = 0;
  for (const NightLoad& n : *nights) counted += n.watts ? 1 : 0;
  if (counted < min_nights) return std::pair<std::optional<double>, int>{std::nullopt, counted};
  return std::pair<std::optional<double>, int>{pooled_watts(*nights), counted};
}

}  // namespace

const char* challenge_kind_name(ChallengeKind k) {
  switch (k) {
    case ChallengeKind::kBaseloadLess20w:
      return "baseload_less_20w";
    case ChallengeKind::kPeakToOffpeak:
      return "peak_to_offpeak";
    default:
      return "week_less_10";
  }
}

std::optional<ChallengeKind> parse_challenge_kind(std::string_view name) {
  for (ChallengeKind k :
       {ChallengeKind::kWeekLess10, ChallengeKind::kBaseloadLess20w, ChallengeKind::kPeakToOffpeak})
    if (name == challenge_kind_name(k)) return k;
  return std::nullopt;
}

json money_json(Picos amount) {
  const Micros m = round_to_micros(amount);
  return {{"micros", m}, {"eur", double(m) / double(kMicrosPerEuro)}};
}

Result<WeekBaseline> week_baseline(store::Store& store, const Calendar& cal,
                                   const Household& household, SensorId sensor, TimeMs week_start,
                                   const ChallengeOptions& o) {
  WeekBaseline b;
  b.week_start = cal.floor(week_start, Period::kWeek);
  b.week_end = cal.next(b.week_start, Period::kWeek);
  TimeMs first = b.week_start;
  for (int k = 0; k < o.usual_weeks; ++k) first = cal.floor(first - 1, Period::kWeek);
  auto weeks = weeks_between(store, cal, sensor, first, b.week_start);
  if (!weeks) return weeks.status();
  double sum = 0;
  for (const WeekEnergy& w : *weeks) {
    if (w.coverage + 1e-9 < o.min_week_coverage) continue;
    sum += w.kwh;
    ++b.usual_weeks;
  }
  if (b.usual_weeks > 0) b.usual_kwh = sum / b.usual_weeks;

  const TimeMs last_week = cal.floor(b.week_start - 1, Period::kWeek);
  auto nights = nights_baseload(store, cal, sensor, last_week, b.week_start, o.min_nights);
  if (!nights) return nights.status();
  b.last_week_w = nights->first;

  if (has_offpeak(household.tariff.option)) {
    auto c = cost_of(store, cal, household.tariff, household.tempo, sensor, first, b.week_start,
                     Period::kMonth);
    if (c) b.usual_offpeak_share = offpeak_share(*c);
  }
  return b;
}

Result<WeekMeasure> measure_week(store::Store& store, const Calendar& cal,
                                 const Household& household, SensorId sensor, TimeMs week_start,
                                 TimeMs to, const ChallengeOptions& o) {
  WeekMeasure m;
  m.from = week_start;
  m.to = std::min(floor_to(to, kMinuteMs), cal.next(week_start, Period::kWeek));
  if (m.to <= m.from) return m;
  auto weeks = weeks_between(store, cal, sensor, m.from, m.to);
  if (!weeks) return weeks.status();
  for (const WeekEnergy& w : *weeks) m.kwh += w.kwh, m.coverage = w.coverage;
  auto nights = nights_baseload(store, cal, sensor, m.from, m.to, o.min_nights);
  if (!nights) return nights.status();
  m.baseload_w = nights->first;
  m.nights = nights->second;
  auto c =
      cost_of(store, cal, household.tariff, household.tempo, sensor, m.from, m.to, Period::kMonth);
  if (c && c->energy_mwh > 0) {
    m.mean_price = double(c->energy_cost) / double(c->energy_mwh);
    if (has_offpeak(household.tariff.option)) m.offpeak_share = offpeak_share(*c);
  }
  m.cheapest_price = cheapest_price(household.tariff, cal, m.from);
  m.peak = peak_prices(household.tariff, cal, m.from);
  return m;
}

std::optional<ChallengePlan> choose_challenge(const WeekBaseline& b, const Calendar& cal,
                                              TariffOption option, const ChallengeOptions& o) {
  std::vector<ChallengePlan> can;
  if (b.usual_kwh && *b.usual_kwh > 0.1) {
    const double usual = round_decimals(*b.usual_kwh, 1);
    can.push_back({ChallengeKind::kWeekLess10,
                   b.week_start,
                   b.week_end,
                   {{"percent", o.less_percent},
                    {"usual_kwh", usual},
                    {"goal_kwh", round_decimals(usual * (1 - o.less_percent / 100), 1)},
                    {"weeks", b.usual_weeks}}});
  }
  if (b.last_week_w && *b.last_week_w >= o.min_baseload_w) {
    can.push_back({ChallengeKind::kBaseloadLess20w,
                   b.week_start,
                   b.week_end,
                   {{"watts", o.baseload_cut_w},
                    {"usual_w", *b.last_week_w},
                    {"goal_w", *b.last_week_w - o.baseload_cut_w}}});
  }
  if (has_offpeak(option) && b.usual_offpeak_share &&
      *b.usual_offpeak_share <= o.max_offpeak_share) {
    const double usual = round_decimals(*b.usual_offpeak_share, 3);
    can.push_back({ChallengeKind::kPeakToOffpeak,
                   b.week_start,
                   b.week_end,
                   {{"points", o.offpeak_points},
                    {"usual_share", usual},
                    {"goal_share", round_decimals(usual + o.offpeak_points / 100, 3)}}});
  }
  if (can.empty()) return std::nullopt;
  // One kind after the other, week after week: weeks since Monday 1970-01-05 (local day 4).
  const std::int64_t week = (std::int64_t(local_clock(cal, b.week_start).day) - 4) / 7;
  return can[std::size_t(week % std::int64_t(can.size()))];
}

ChallengeProgress challenge_progress(const ChallengePlan& plan, const WeekMeasure& m, TimeMs now) {
  ChallengeProgress p;
  p.params = plan.params;
  p.so_far_kwh = round_decimals(m.kwh, 1);
  const double total = double(plan.week_end - plan.week_start);
  const double elapsed = std::clamp(double(now - plan.week_start), 0.0, total);
  const double usual = num(plan.params, "usual_kwh");
  if (elapsed >= double(kDayMs))
    p.projection_kwh = round_decimals(m.kwh * total / elapsed, 1);
  else if (usual > 0)
    p.projection_kwh = round_decimals(m.kwh + usual * (total - elapsed) / total, 1);
  switch (plan.kind) {
    case ChallengeKind::kWeekLess10: {
      const double goal = num(plan.params, "goal_kwh");
      p.status = m.kwh > goal                                   ? "lost"
                 : p.projection_kwh && *p.projection_kwh > goal ? "at_risk"
                                                                : "on_track";
      break;
    }
    case ChallengeKind::kBaseloadLess20w:
      p.params["so_far_w"] = m.baseload_w ? json(*m.baseload_w) : json(nullptr);
      p.status = !m.baseload_w                                 ? "no_data"
                 : *m.baseload_w <= num(plan.params, "goal_w") ? "on_track"
                                                               : "at_risk";
      break;
    case ChallengeKind::kPeakToOffpeak:
      p.params["so_far_share"] =
          m.offpeak_share ? json(round_decimals(*m.offpeak_share, 3)) : json(nullptr);
      p.status = !m.offpeak_share                                            ? "no_data"
                 : *m.offpeak_share >= num(plan.params, "goal_share") - 1e-9 ? "on_track"
                                                                             : "at_risk";
      break;
  }
  return p;
}

ChallengeResult judge_week(const ChallengePlan& plan, const WeekMeasure& m,
                           const ChallengeOptions& o) {
  ChallengeResult r;
  json& out = r.outcome;
  out["actual_kwh"] = round_decimals(m.kwh, 1);
  out["coverage"] = round_decimals(m.coverage, 3);
  out["baseload_w"] = m.baseload_w ? json(*m.baseload_w) : json(nullptr);
  if (m.coverage + 1e-9 < o.min_week_coverage) {
    r.result = "void";
    out["reason"] = "missing_data";
    return r;
  }
  const double hours = double(plan.week_end - plan.week_start) / double(kHourMs);
  // kWh × µ€/kWh, or null when the week could not be priced.
  auto priced = [&](double kwh, const std::optional<double>& price_per_kwh) {
    if (!price_per_kwh.has_value()) return json(nullptr);
    return money_json(Picos(std::llround(kwh * 1e6 * price_per_kwh.value())));
  };
  switch (plan.kind) {
    case ChallengeKind::kWeekLess10: {
      const double saved = round_decimals(num(plan.params, "usual_kwh") - m.kwh, 1);
      r.result = m.kwh <= num(plan.params, "goal_kwh") + 1e-9 ? "won" : "lost";
      out["saved_kwh"] = saved;
      out["saved"] = priced(saved, m.mean_price);
      break;
    }
    case ChallengeKind::kBaseloadLess20w: {
      if (!m.baseload_w) {
        r.result = "void";
        out["reason"] = "missing_nights";
        return r;
      }
      const double saved_w = num(plan.params, "usual_w") - *m.baseload_w;
      std::optional<double> price;
      if (m.cheapest_price) price = double(*m.cheapest_price);
      r.result = *m.baseload_w <= num(plan.params, "goal_w") ? "won" : "lost";
      out["saved_w"] = saved_w;
      out["saved_kwh"] = round_decimals(saved_w * hours / 1000.0, 1);
      out["saved"] = priced(saved_w * hours / 1000.0, price);
      out["saved_year"] = priced(saved_w * kHoursPerYear / 1000.0, price);
      break;
    }
    case ChallengeKind::kPeakToOffpeak: {
      if (!m.offpeak_share) {
        r.result = "void";
        out["reason"] = "not_priced";
        return r;
      }
      const double share = round_decimals(*m.offpeak_share, 3);
      const double moved = round_decimals((share - num(plan.params, "usual_share")) * m.kwh, 1);
      r.result = share >= num(plan.params, "goal_share") - 1e-9 ? "won" : "lost";
      out["share"] = share;
      out["moved_kwh"] = moved;
      out["saved"] = m.peak ? priced(moved, double(m.peak->peak - m.peak->offpeak)) : json(nullptr);
      break;
    }
  }
  return r;
}

std::string plan_message(ChallengeKind kind, const json& p) {
  switch (kind) {
    case ChallengeKind::kBaseloadLess20w:
      return "Lower your always-on power by " + number_text(num(p, "watts"), 0) +
             " W this week: from " + number_text(num(p, "usual_w"), 0) + " W to " +
             number_text(num(p, "goal_w"), 0) + " W";
    case ChallengeKind::kPeakToOffpeak:
      return "Move " + number_text(num(p, "points"), 0) +
             " points of your use to off-peak hours: from " +
             number_text(100 * num(p, "usual_share"), 1) + " % to " +
             number_text(100 * num(p, "goal_share"), 1) + " %";
    default:
      return "Use " + number_text(num(p, "percent"), 0) + " % less than your usual week: at most " +
             number_text(num(p, "goal_kwh"), 1) + " kWh instead of " +
             number_text(num(p, "usual_kwh"), 1) + " kWh";
  }
}

namespace {

std::string saved_text(const json& money, const char* before) {
  if (!money.is_object()) return "";
  return before + eur_text(Picos(money.value("micros", std::int64_t(0))) * 1000000);
}

}  // namespace

std::string result_message(ChallengeKind kind, const std::string& result, const json& o) {
  if (result == "void")
    return "Not enough data this week to judge the challenge (" +
           number_text(100 * num(o, "coverage"), 0) + " % of the week measured)";
  switch (kind) {
    case ChallengeKind::kBaseloadLess20w: {
      const double w = num(o, "saved_w");
      if (w <= 0)
        return "Your always-on power did not go down this week (" + number_text(-w, 0) + " W more)";
      return "You lowered your always-on power by " + number_text(w, 0) +
             " W: " + number_text(num(o, "saved_kwh"), 1) + " kWh less this week" +
             saved_text(o.value("saved_year", json()), ", worth ") +
             (o.value("saved_year", json()).is_object() ? " a year" : "");
    }
    case ChallengeKind::kPeakToOffpeak:
      return "Your off-peak share was " + number_text(100 * num(o, "share"), 1) +
             " %: " + number_text(std::abs(num(o, "moved_kwh")), 1) + " kWh " +
             (num(o, "moved_kwh") >= 0 ? "moved to" : "moved out of") + " off-peak hours" +
             (num(o, "moved_kwh") > 0 ? saved_text(o.value("saved", json()), ", saving ") : "");
    default: {
      const double kwh = num(o, "saved_kwh");
      if (kwh >= 0)
        return "You used " + number_text(kwh, 1) + " kWh less than your usual week" +
               saved_text(o.value("saved", json()), ", saving ");
      return "You used " + number_text(-kwh, 1) + " kWh more than your usual week";
    }
  }
}

}  // namespace cw::analytics
