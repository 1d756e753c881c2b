// Tips: each rule on hand-made inputs, the load patterns, and the whole set on a household.
#include "analytics/tips.h"

#include <gtest/gtest.h>

#include "analytics/cost.h"
#include "analytics/tariff_catalogue.h"
#include "analytics/tariff_periods.h"
#include "fixture.h"
#include "insight_data.h"

namespace cw::analytics {
namespace {

using testing::at;
using testing::samples_of;

const Calendar& paris() {
  static const Calendar c = *Calendar::in_zone("Europe/Paris");
  return c;
}

Rollup bucket(TimeMs start, TimeMs width, double watts) {
  Rollup r;
  r.start = start;
  r.end = start + width;
  r.count = 1;
  r.covered_ms = width;
  r.sum_wms = std::int64_t(watts * double(width));
  return r;
}

TEST(HighBaseloadTip, CostsTheExcessOverFiftyWatts) {
  Baseload b;
  b.watts = 100;
  EXPECT_FALSE(high_baseload_tip(b, 251600));  // 100 W is not above 100 W
  b.watts = 142;
  auto t = high_baseload_tip(b, 251600);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->id, "high_baseload");
  // 92 W × 8766 h = 806.472 kWh, × 0.2516 € = 202.9083552 €.
  EXPECT_DOUBLE_EQ(t->saving_kwh_year, 806.5);
  EXPECT_EQ(round_to_micros(t->saving_year), 202908355);
  EXPECT_EQ(t->params["excess_w"], 92.0);
  EXPECT_NE(t->message.find("806 kWh, 202.91 € a year"), std::string::npos) << t->message;
  b.watts.reset();
  EXPECT_FALSE(high_baseload_tip(b, 251600));
}

TEST(WaterHeaterTip, ALargeLoadAtTheSameHourInPeakHours) {
  const PeakPrices p{270000, 206800};
  UsualStart s{7, 10, 3.6, 2400, at("2024-04-10T05:00:00Z")};
  auto t = water_heater_tip(s, 14, true, p);
  ASSERT_TRUE(t);
  // 3.6 kWh on 10 days of 14, a year long: 938.571 kWh moved, × (0.2700 - 0.2068) €.
  EXPECT_EQ(round_to_micros(t->saving_year), 59317714);
  EXPECT_EQ(t->saving_kwh_year, 0);  // moved, not saved
  EXPECT_EQ(t->params["start"], "07:00");
  EXPECT_EQ(t->params["days"], 10);
  EXPECT_FALSE(water_heater_tip(s, 14, false, p));  // starts in off-peak hours: all is well
  s.days = 7;
  EXPECT_FALSE(water_heater_tip(s, 14, true, p));  // half the days is not "most days"
  s.days = 3;
  EXPECT_FALSE(water_heater_tip(s, 5, true, p));  // too few days to call it a habit
}

TEST(HeatingTip, MovesAThirdOfThePeakHourHeating) {
  const PeakPrices p{270000, 206800};
  std::vector<SustainedHour> hours;
  for (int d = 0; d < 8; ++d)
    for (int h = 0; h < 3; ++h)
      hours.push_back({at("2024-01-08T06:00:00Z") + d * kDayMs + h * kHourMs, 1.2});
  auto t = heating_tip(hours, paris(), 14, p);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->params["days"], 8);
  EXPECT_DOUBLE_EQ(t->params["peak_kwh_per_day"].get<double>(), 3.6);
  // A third of 3.6 kWh, 150 heating days: 180 kWh × 0.0632 € = 11.376 €.
  EXPECT_EQ(round_to_micros(t->saving_year), 11376000);
  EXPECT_FALSE(heating_tip(hours, paris(), 17, p));  // 8 of 17 days: not most days
  EXPECT_FALSE(heating_tip({}, paris(), 14, p));
}

TEST(TempoRedTip, HalvingTheRedDays) {
  EXPECT_FALSE(tempo_red_tip(RedDays{}));
  auto t = tempo_red_tip(RedDays{10, 200000000, Picos(150) * 1000000000000});
  ASSERT_TRUE(t);
  // 15 € a red day, 22 red days a year, half of it: 165 €; 20 kWh a day: 220 kWh.
  EXPECT_EQ(round_to_micros(t->saving_year), 165000000);
  EXPECT_DOUBLE_EQ(t->saving_kwh_year, 220);
  EXPECT_EQ(t->params["red_cost"]["micros"], 150000000);
}

TEST(SwitchOptionTip, TheCheapestOtherOptionScaledToAYear) {
  const Picos e = Picos(1000000);  // µ€ → pico-euros
  std::vector<OptionCost> others = {{TariffOption::kHpHc, 47000000 * e},
                                    {TariffOption::kTempo, 41200000 * e}};
  auto t = switch_option_tip(TariffOption::kBase, 48900000 * e, others, 30);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->params["option"], "tempo");
  // 7.70 € over 30 days: 93.7475 € a year.
  EXPECT_EQ(round_to_micros(t->saving_year), 93747500);
  EXPECT_EQ(t->params["current_cost"]["micros"], 48900000);
  EXPECT_EQ(t->message,
            "Over the last 30 days, the regulated tempo option would have cost 41.20 € instead "
            "of 48.90 € (base): about 93.75 € a year less");
  // Under 1 % cheaper is noise.
  others = {{TariffOption::kTempo, 48500000 * e}};
  EXPECT_FALSE(switch_option_tip(TariffOption::kBase, 48900000 * e, others, 30));
  EXPECT_FALSE(switch_option_tip(TariffOption::kBase, 48900000 * e, {}, 30));
}

// Consecutive minute buckets from t0: (minutes, watts) segments.
std::vector<Rollup> minutes_of(TimeMs t0, const std::vector<std::pair<int, double>>& segments) {
  std::vector<Rollup> m;
  for (const auto& [n, w] : segments)
    for (int k = 0; k < n; ++k)
      m.push_back(bucket(t0 + TimeMs(m.size()) * kMinuteMs, kMinuteMs, w));
  return m;
}

TEST(LoadRuns, AStepHeldForHalfAnHourOrMore) {
  const TimeMs t0 = at("2024-04-10T04:00:00Z");
  const auto m = minutes_of(t0, {{60, 200}, {90, 2600}, {50, 200}});
  auto runs = load_runs(m);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].start, t0 + 60 * kMinuteMs);
  EXPECT_EQ(runs[0].end, t0 + 150 * kMinuteMs);
  EXPECT_DOUBLE_EQ(runs[0].step_w, 2400);
  EXPECT_DOUBLE_EQ(runs[0].kwh, 3.6);
  // Held at least half the step above the level before: 1400 W over 200 W still runs.
  EXPECT_EQ(load_runs(minutes_of(t0, {{5, 200}, {10, 2600}, {30, 1400}, {5, 200}})).size(), 1u);
  // A kettle-long step is no run.
  EXPECT_TRUE(load_runs(minutes_of(t0, {{60, 200}, {20, 2600}, {50, 200}})).empty());
  // A missing minute cuts a run: 20 minutes, then no step from a known minute.
  std::vector<Rollup> holed = m;
  holed.erase(holed.begin() + 80);
  EXPECT_TRUE(load_runs(holed).empty());
}

TEST(LoadRuns, UsualStartIsTheHourWithMostDays) {
  std::vector<LoadRun> runs;
  for (int d = 0; d < 10; ++d)  // 07:05 local (05:05Z in April) on 10 days
    runs.push_back({at("2024-04-01T05:05:00Z") + d * kDayMs, 0, 2400, 3.6});
  for (int d = 0; d < 3; ++d)  // and 19:00 on 3 of them
    runs.push_back({at("2024-04-01T17:00:00Z") + d * kDayMs, 0, 2000, 1.0});
  runs.push_back({at("2024-04-01T05:30:00Z"), 0, 2400, 3.6});  // twice the same day counts once
  const UsualStart s = usual_start(runs, paris());
  EXPECT_EQ(s.hour, 7);
  EXPECT_EQ(s.days, 10);
  EXPECT_DOUBLE_EQ(s.kwh, 3.6);
  EXPECT_EQ(usual_start({}, paris()).days, 0);
}

TEST(SustainedHours, ThreeHoursInARowAboveTheAlwaysOn) {
  const TimeMs t0 = at("2024-01-08T05:00:00Z");
  std::vector<Rollup> h;
  for (double w : {1200.0, 1300.0, 1150.0, 200.0, 1200.0})
    h.push_back(bucket(t0 + TimeMs(h.size()) * kHourMs, kHourMs, w));
  auto s = sustained_hours(h, 100);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_DOUBLE_EQ(s[0].excess_kwh, 1.1);
  EXPECT_DOUBLE_EQ(s[2].excess_kwh, 1.05);
  EXPECT_TRUE(sustained_hours(h, 200).empty());  // 1150 - 200 < 1000: the run is too short
}

Household hphc() {
  TariffSettings s;
  s.option = TariffOption::kHpHc;
  s.offpeak = {OffPeakWindow{22 * 60, 6 * 60}};
  auto t = resolve(s, builtin_catalogue());
  EXPECT_TRUE(t.is_ok()) << t.status().to_string();
  return Household{s, *t, builtin_tempo()};
}

class TipsStore : public testing::StoreTest {};

TEST_F(TipsStore, AHouseholdGetsCostedTipsMostValuableFirst) {
  // HP/HC 22:00-06:00. 150 W at night, 300 W by day, a water heater of +2400 W from 07:00 to
  // 08:30 every day (in peak hours).
  const TimeMs now = at("2024-04-22T12:00:00Z");
  commit(samples_of(at("2024-04-01T22:00:00Z"), now, kMinuteMs, [&](TimeMs t) {
    const int m = local_clock(calendar_, t).minute;
    if (m < 300) return 150.0;
    if (m >= 420 && m < 510) return 2700.0;
    return 300.0;
  }));
  const Household h = hphc();
  auto r = compute_tips(*store_, calendar_, h, sensor_, now);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  std::map<std::string, Tip> by_id;
  for (const Tip& t : r->tips) by_id[t.id] = t;
  for (std::size_t k = 1; k < r->tips.size(); ++k)
    EXPECT_GE(r->tips[k - 1].saving_year, r->tips[k].saving_year);

  ASSERT_TRUE(by_id.count("high_baseload"));
  const Micros hc = version_on(h.tariff, local_clock(calendar_, now).day)->kwh.at("hc");
  EXPECT_EQ(by_id["high_baseload"].params["watts"], 150.0);
  EXPECT_EQ(by_id["high_baseload"].saving_year, energy_cost(hc, yearly_mwh(100)));

  ASSERT_TRUE(by_id.count("water_heater_peak")) << r->tips.size();
  const Tip& wh = by_id["water_heater_peak"];
  EXPECT_EQ(wh.params["hour"], 7);
  EXPECT_EQ(wh.params["days"], 14);
  EXPECT_EQ(wh.params["of_days"], 14);
  EXPECT_DOUBLE_EQ(wh.params["load_w"].get<double>(), 2400);
  const auto p = *peak_prices(h.tariff, calendar_, now);
  EXPECT_EQ(wh.saving_year, energy_cost(p.peak - p.offpeak, std::llround(3.6 * 365 * 1e6)));
  EXPECT_FALSE(by_id.count("heating_offpeak"));  // a 1.5-hour load is not heating
  EXPECT_EQ(r->checked, std::vector<std::string>{"heating_offpeak"});

  // switch_option: priced by the cost code itself, over the 20 whole days of data.
  const TimeMs from = at("2024-04-01T22:00:00Z"), to = at("2024-04-21T22:00:00Z");
  Picos best = 0;
  std::string best_option;
  for (TariffOption o : {TariffOption::kBase, TariffOption::kTempo}) {
    TariffSettings s = h.settings;
    s.option = o;
    s.offpeak.clear();
    auto c = cost_of(*store_, calendar_, *resolve(s, builtin_catalogue()), h.tempo, sensor_, from,
                     to, Period::kMonth);
    ASSERT_TRUE(c.is_ok());
    if (best_option.empty() || c->total() < best) best = c->total(), best_option = option_name(o);
  }
  ASSERT_TRUE(by_id.count("switch_option"));
  EXPECT_EQ(by_id["switch_option"].params["option"], best_option);
  EXPECT_EQ(by_id["switch_option"].params["cost"]["micros"], round_to_micros(best));
  EXPECT_DOUBLE_EQ(by_id["switch_option"].params["days"].get<double>(), 20);

  bool tempo_skipped = false;
  for (const auto& s : r->skipped) tempo_skipped |= s.id == "tempo_red_days";
  EXPECT_TRUE(tempo_skipped);
}

TEST_F(TipsStore, AWaterHeaterAlreadyInOffPeakHoursIsFine) {
  // The same home, its water heater from 22:30 to midnight (off-peak), a kettle at 07:00.
  const TimeMs now = at("2024-04-22T12:00:00Z");
  commit(samples_of(at("2024-04-01T22:00:00Z"), now, kMinuteMs, [&](TimeMs t) {
    const int m = local_clock(calendar_, t).minute;
    if (m >= 1350) return 2700.0;
    if (m >= 420 && m < 425) return 2300.0;
    return m < 300 ? 150.0 : 300.0;
  }));
  auto r = compute_tips(*store_, calendar_, hphc(), sensor_, now);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  for (const Tip& t : r->tips) EXPECT_NE(t.id, "water_heater_peak") << t.message;
  EXPECT_NE(std::find(r->checked.begin(), r->checked.end(), "water_heater_peak"), r->checked.end());
}

TEST_F(TipsStore, NoDataNoTipButEveryRuleSaysWhy) {
  auto r = compute_tips(*store_, calendar_, hphc(), sensor_, at("2024-04-22T12:00:00Z"));
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_TRUE(r->tips.empty());
  EXPECT_TRUE(r->checked.empty());
  std::set<std::string> skipped;
  for (const auto& s : r->skipped) {
    skipped.insert(s.id);
    EXPECT_FALSE(s.reason.empty());
  }
  EXPECT_EQ(skipped, (std::set<std::string>{"high_baseload", "water_heater_peak", "heating_offpeak",
                                            "tempo_red_days", "switch_option"}));
}

}  // namespace
}  // namespace cw::analytics
