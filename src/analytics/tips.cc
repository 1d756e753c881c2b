#include "analytics/tips.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "analytics/challenges.h"
#include "analytics/cost.h"
#include "analytics/energy.h"
#include "analytics/insight_text.h"
#include "analytics/tariff_catalogue.h"
#include "analytics/tariff_periods.h"

namespace cw::analytics {

using nlohmann::json;

namespace {

Picos value_of(Micros price_per_kwh, double kwh) {
  return energy_cost(price_per_kwh, std::llround(kwh * 1e6));
}

std::string hour_text(int hour) {
  return (hour < 10 ? "0" : "") + std::to_string(hour) + ":00";
}

}  // namespace

std::optional<Tip> high_baseload_tip(const Baseload& b, std::optional<Micros> price,
                                     const TipOptions& o) {
  if (!b.watts || *b.watts <= o.high_baseload_w) return std::nullopt;
  const double excess = *b.watts - o.baseload_goal_w;
  Tip t{"high_baseload"};
  t.saving_kwh_year = round_decimals(excess * kHoursPerYear / 1000.0, 1);
  t.saving_year = price ? energy_cost(*price, yearly_mwh(excess)) : 0;
  t.params = {{"watts", *b.watts},
              {"goal_w", o.baseload_goal_w},
              {"excess_w", excess},
              {"price_kwh", price ? json(format_micros(*price)) : json(nullptr)}};
  t.message = "Your always-on power is " + number_text(*b.watts, 0) + " W. Bringing it down to " +
              number_text(o.baseload_goal_w, 0) +
              " W (devices on standby switched off at the plug, an old fridge or freezer, a "
              "forgotten heater) would save " +
              number_text(t.saving_kwh_year, 0) + " kWh" +
              (price ? ", " + eur_text(t.saving_year) : std::string()) + " a year";
  return t;
}

std::optional<Tip> water_heater_tip(const UsualStart& s, int days_with_data, bool starts_in_peak,
                                    const PeakPrices& prices, const TipOptions& o) {
  if (s.days < o.min_pattern_days || 2 * s.days <= days_with_data || !starts_in_peak)
    return std::nullopt;
  const double moved_year = s.kwh * 365.0 * double(s.days) / double(days_with_data);
  Tip t{"water_heater_peak"};
  t.saving_year = value_of(prices.peak - prices.offpeak, moved_year);
  t.params = {{"hour", s.hour},
              {"start", hour_text(s.hour)},
              {"days", s.days},
              {"of_days", days_with_data},
              {"load_w", round_decimals(s.step_w, -1)},
              {"kwh_per_run", round_decimals(s.kwh, 1)},
              {"moved_kwh_year", round_decimals(moved_year, 0)}};
  t.message = "A large load (about " + number_text(round_decimals(s.step_w, -1), 0) + " W, " +
              number_text(s.kwh, 1) + " kWh) starts around " + hour_text(s.hour) + " on " +
              std::to_string(s.days) + " of the last " + std::to_string(days_with_data) +
              " days, in peak hours. If it is the water heater, let it run in off-peak hours only "
              "(its contactor on 'auto'): about " +
              eur_text(t.saving_year) + " a year less";
  return t;
}

std::optional<Tip> heating_tip(const std::vector<SustainedHour>& peak_hours, const Calendar& cal,
                               int days_with_data, const PeakPrices& prices, const TipOptions& o) {
  std::set<LocalDay> days;
  double kwh = 0;
  for (const SustainedHour& h : peak_hours) {
    days.insert(local_clock(cal, h.start).day);
    kwh += h.excess_kwh;
  }
  const int n = int(days.size());
  if (n < o.min_pattern_days || 2 * n < days_with_data) return std::nullopt;
  const double per_day = kwh / n;
  const double movable = per_day * o.movable_heating;
  Tip t{"heating_offpeak"};
  t.saving_year = value_of(prices.peak - prices.offpeak, movable * o.heating_days_per_year);
  t.params = {{"days", n},
              {"of_days", days_with_data},
              {"peak_kwh_per_day", round_decimals(per_day, 1)},
              {"movable_kwh_per_day", round_decimals(movable, 1)},
              {"heating_days", o.heating_days_per_year}};
  t.message = "On " + std::to_string(n) + " of the last " + std::to_string(days_with_data) +
              " days, a heating-like load used " + number_text(per_day, 1) +
              " kWh a day in peak hours. Pre-heating in off-peak hours (a programmable "
              "thermostat) could move a third of it: about " +
              eur_text(t.saving_year) + " over a heating season of " +
              std::to_string(o.heating_days_per_year) + " days";
  return t;
}

std::optional<Tip> tempo_red_tip(const RedDays& red, const TipOptions& o) {
  if (red.days <= 0 || red.cost <= 0) return std::nullopt;
  const double share = double(o.red_days_per_year) / double(red.days) / 2;  // half, a year long
  Tip t{"tempo_red_days"};
  t.saving_year = Picos(std::llround(double(red.cost) * share));
  t.saving_kwh_year = round_decimals(double(red.energy_mwh) / 1e6 * share, 1);
  t.params = {{"red_days", red.days},
              {"red_kwh", round_decimals(double(red.energy_mwh) / 1e6, 1)},
              {"red_cost", money_json(red.cost)},
              {"red_days_per_year", o.red_days_per_year}};
  t.message = "The " + std::to_string(red.days) + " red days in your data cost " +
              eur_text(red.cost) + " (" + number_text(double(red.energy_mwh) / 1e6, 1) +
              " kWh). Using half as much on red days (heating lowered, laundry moved) would save "
              "about " +
              eur_text(t.saving_year) + " a year (" + std::to_string(o.red_days_per_year) +
              " red days)";
  return t;
}

std::optional<Tip> switch_option_tip(TariffOption current, Picos current_cost,
                                     const std::vector<OptionCost>& others, double days,
                                     const TipOptions& o) {
  const OptionCost* best = nullptr;
  for (const OptionCost& c : others)
    if (c.option != current && (!best || c.cost < best->cost)) best = &c;
  if (!best || days <= 0) return std::nullopt;
  if (double(best->cost) >= double(current_cost) * (1 - o.min_switch_saving)) return std::nullopt;
  Tip t{"switch_option"};
  t.saving_year = Picos(std::llround(double(current_cost - best->cost) * 365.25 / days));
  t.params = {{"option", option_name(best->option)},
              {"cost", money_json(best->cost)},
              {"current_option", option_name(current)},
              {"current_cost", money_json(current_cost)},
              {"days", round_decimals(days, 1)}};
  t.message = "Over the last " + number_text(days, 0) + " days, the regulated " +
              option_name(best->option) + " option would have cost " + eur_text(best->cost) +
              " instead of " + eur_text(current_cost) + " (" + option_name(current) + "): about " +
              eur_text(t.saving_year) + " a year less";
  return t;
}

namespace {

struct TipContext {
  store::Store& store;
  const Calendar& cal;
  const Household& h;
  SensorId sensor;
  TimeMs now;
  const TipOptions& o;
  TipReport& report;

  void skip(const char* id, std::string reason) {
    report.skipped.push_back({id, std::move(reason)});
  }
  // A rule that judged: its tip, or nothing to suggest.
  void add(const char* id, std::optional<Tip> t) {
    if (t)
      report.tips.push_back(std::move(*t));
    else
      report.checked.push_back(id);
  }
};

// The local days [from, to) of the pattern window, and how many of them have enough data.
Result<int> days_with_data(TipContext& c, TimeMs from, TimeMs to) {
  auto days = energy_by(c.store, c.cal, c.sensor, from, to, Period::kDay);
  if (!days) return days.status();
  int n = 0;
  for (const EnergyBucket& d : *days) n += d.coverage >= 0.8 ? 1 : 0;
  return n;
}

// Whether the local minute at t is in a peak (not off-peak) period.
bool in_peak(const TipContext& c, TimeMs t) {
  const TimeMs m = floor_to(t, kMinuteMs);
  auto seg = split_periods(c.cal, c.h.tariff, c.h.tempo, m, m + kMinuteMs);
  return seg && !seg->empty() && !is_offpeak_period(seg->front().period);
}

Status water_heater(TipContext& c, TimeMs from, TimeMs to, int days, const PeakPrices& p) {
  auto minutes = c.store.rollups(c.sensor, Level::kMinute, from, to);
  if (!minutes) return minutes.status();
  // Only the runs that start in peak hours could move; a heater already on off-peak is fine.
  std::vector<LoadRun> runs = load_runs(*minutes);
  std::erase_if(runs, [&](const LoadRun& r) { return !in_peak(c, r.start); });
  const UsualStart s = usual_start(runs, c.cal);
  c.add("water_heater_peak",
        s.days == 0 ? std::nullopt : water_heater_tip(s, days, in_peak(c, s.example), p, c.o));
  return Status::ok();
}

Status heating(TipContext& c, TimeMs from, TimeMs to, int days, double baseload_w,
               const PeakPrices& p) {
  auto hours = c.store.rollups(c.sensor, Level::kHour, from, to);
  if (!hours) return hours.status();
  std::vector<SustainedHour> peak;
  for (const SustainedHour& h : sustained_hours(*hours, baseload_w))
    if (in_peak(c, h.start) && in_peak(c, h.start + kHourMs - kMinuteMs)) peak.push_back(h);
  c.add("heating_offpeak", heating_tip(peak, c.cal, days, p, c.o));
  return Status::ok();
}

// The complete local days of the last year that have data: [first day after the first sample,
// today's midnight).
Result<std::pair<TimeMs, TimeMs>> year_of_data(TipContext& c) {
  const TimeMs to = c.cal.floor(c.now, Period::kDay);
  const TimeMs year_ago = local_midnight(c.cal, local_clock(c.cal, to).day - 365);
  auto days = c.store.rollups(c.sensor, Level::kDay, year_ago, to);
  if (!days) return days.status();
  auto first =
      std::find_if(days->begin(), days->end(), [](const Rollup& r) { return r.count > 0; });
  if (first == days->end()) return std::pair<TimeMs, TimeMs>{to, to};
  // A first day that began after its midnight is partial: start at the next one.
  const TimeMs start = first->coverage() >= 0.99 ? first->start : first->end;
  return std::pair<TimeMs, TimeMs>{std::min(start, to), to};
}

Status tempo_red(TipContext& c, TimeMs from, TimeMs to) {
  auto cost = cost_of(c.store, c.cal, c.h.tariff, c.h.tempo, c.sensor, from, to, Period::kDay);
  if (!cost) return cost.status();
  RedDays red;
  for (const CostBucket& b : cost->buckets) {
    bool red_day = false;
    for (const PeriodCost& p : b.periods) {
      if (p.period.rfind("tempo_red", 0) != 0 || p.energy_mwh <= 0) continue;
      red_day = true;
      red.energy_mwh += p.energy_mwh;
      red.cost += p.cost;
    }
    red.days += red_day && b.coverage >= 0.8 ? 1 : 0;
  }
  if (red.days == 0) {
    c.skip("tempo_red_days", "no red day in the data yet");
    return Status::ok();
  }
  c.add("tempo_red_days", tempo_red_tip(red, c.o));
  return Status::ok();
}

// The household's settings with another regulated option (HP/HC keeps the household's own
// off-peak hours, or 22:00-06:00).
Result<Tariff> regulated(const TariffSettings& mine, TariffOption option) {
  TariffSettings s = mine;
  s.option = option;
  s.custom_prices.clear();
  s.grid.clear();
  if (option != TariffOption::kHpHc) s.offpeak.clear();
  if (option == TariffOption::kHpHc && (mine.option != TariffOption::kHpHc || s.offpeak.empty()))
    s.offpeak = {OffPeakWindow{22 * 60, 6 * 60}};
  return resolve(s, builtin_catalogue());
}

Status switch_option(TipContext& c, TimeMs from, TimeMs to) {
  auto mine = cost_of(c.store, c.cal, c.h.tariff, c.h.tempo, c.sensor, from, to, Period::kMonth);
  if (!mine) {
    if (mine.status().code() != Code::kInvalidArgument) return mine.status();
    c.skip("switch_option", mine.status().message());  // the tariff has no price for the period
    return Status::ok();
  }
  std::vector<OptionCost> others;
  for (TariffOption o : {TariffOption::kBase, TariffOption::kHpHc, TariffOption::kTempo}) {
    if (o == c.h.tariff.option && !c.h.tariff.custom_prices) continue;
    auto t = regulated(c.h.settings, o);
    if (!t) continue;  // that option does not exist at this power (Tempo 24 kVA...)
    auto cost = cost_of(c.store, c.cal, *t, c.h.tempo, c.sensor, from, to, Period::kMonth);
    if (cost) others.push_back({o, cost->total()});
  }
  const double days = double(to - from) / double(kDayMs);
  auto tip = switch_option_tip(c.h.tariff.option, mine->total(), others, days, c.o);
  if (tip) {
    tip->params["from"] = c.cal.format_local(from);
    tip->params["to"] = c.cal.format_local(to);
  }
  c.add("switch_option", std::move(tip));
  return Status::ok();
}

}  // namespace

Result<TipReport> compute_tips(store::Store& store, const Calendar& calendar,
                               const Household& household, SensorId sensor, TimeMs now,
                               const TipOptions& o) {
  TipReport report;
  TipContext c{store, calendar, household, sensor, now, o, report};
  auto b = baseload(store, calendar, sensor, now);
  if (!b) return b.status();
  if (!b->watts)
    c.skip("high_baseload", "no night (00:00-05:00) with 80 % of it measured yet");
  else
    c.add("high_baseload",
          high_baseload_tip(*b, cheapest_price(household.tariff, calendar, now), o));

  const TariffOption option = household.tariff.option;
  const auto peak = peak_prices(household.tariff, calendar, now);
  const TimeMs to = calendar.floor(now, Period::kDay);
  const TimeMs from = local_midnight(calendar, local_clock(calendar, to).day - o.pattern_days);
  auto days = days_with_data(c, from, to);
  if (!days) return days.status();
  const std::string few = "needs " + std::to_string(o.min_pattern_days) +
                          " days with data in the last " + std::to_string(o.pattern_days) +
                          ", has " + std::to_string(*days);
  if (option != TariffOption::kHpHc || !peak)
    c.skip("water_heater_peak", "only for an HP/HC tariff");
  else if (*days < o.min_pattern_days)
    c.skip("water_heater_peak", few);
  else
    CW_RETURN_IF_ERROR(water_heater(c, from, to, *days, *peak));
  if (!peak)
    c.skip("heating_offpeak", "only for an HP/HC or Tempo tariff");
  else if (*days < o.min_pattern_days || !b->watts)
    c.skip("heating_offpeak", b->watts ? few : "needs the always-on power first");
  else
    CW_RETURN_IF_ERROR(heating(c, from, to, *days, *b->watts, *peak));

  auto year = year_of_data(c);
  if (!year) return year.status();
  const auto [year_from, year_to] = *year;
  const double year_days = double(year_to - year_from) / double(kDayMs);
  if (option != TariffOption::kTempo)
    c.skip("tempo_red_days", "only for the Tempo tariff");
  else if (year_days < 1)
    c.skip("tempo_red_days", "no complete day of data yet");
  else
    CW_RETURN_IF_ERROR(tempo_red(c, year_from, year_to));
  if (year_days < o.min_switch_days)
    c.skip("switch_option", "needs " + std::to_string(o.min_switch_days) +
                                " complete days of data, has " + number_text(year_days, 0));
  else
    CW_RETURN_IF_ERROR(switch_option(c, year_from, year_to));

  std::stable_sort(report.tips.begin(), report.tips.end(),
                   [](const Tip& a, const Tip& b) { return a.saving_year > b.saving_year; });
  return report;
}

}  // namespace cw::analytics
