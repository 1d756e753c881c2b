// The alert rules, one by one, with the hysteresis that keeps them to one alert per episode.
#include "analytics/alert_rules.h"

#include <gtest/gtest.h>

#include "fixture.h"

namespace cw::analytics {
namespace {

using Action = AlertDecision::Action;
using nlohmann::json;
using testing::at;

const TimeMs kT = at("2024-04-01T10:00:00Z");

store::Sensor sensor(TimeMs last_seen, std::uint8_t flags = 0, std::uint16_t supply_mv = 0,
                     std::uint32_t counter = 1) {
  store::Sensor s;
  s.id = 3;
  s.name = "Garage";
  s.created = kT - kDayMs;
  s.state.last_seen = last_seen;
  s.state.has_counter = last_seen != 0;
  s.state.last_counter = counter;
  s.state.flags = flags;
  s.state.supply_mv = supply_mv;
  return s;
}

ActiveAlert active(json params, json memo = json::object()) {
  return {std::move(params), std::move(memo)};
}

TEST(AlertOptions, DefaultsAreTheContractsAndValid) {
  const AlertOptions o;
  EXPECT_EQ(o.silent_after_ms, 5 * kMinuteMs);
  EXPECT_EQ(o.silent_periods, 5);
  EXPECT_EQ(o.battery_low_mv, 2600);
  EXPECT_EQ(o.battery_ok_frames, 3);
  EXPECT_DOUBLE_EQ(o.power_share, 0.9);
  EXPECT_EQ(o.power_for_ms, kMinuteMs);
  EXPECT_DOUBLE_EQ(o.power_clear_share, 0.8);
  EXPECT_EQ(o.power_clear_for_ms, 5 * kMinuteMs);
  EXPECT_DOUBLE_EQ(o.night_factor, 1.5);
  EXPECT_DOUBLE_EQ(o.night_min_excess_w, 50);
  EXPECT_DOUBLE_EQ(o.target_clear_share, 0.95);
  EXPECT_TRUE(validate(o).is_ok());
  AlertOptions bad = o;
  bad.power_clear_share = 0.95;  // above power_share: it could never close
  EXPECT_EQ(validate(bad).code(), Code::kInvalidArgument);
  bad = o;
  bad.silent_after_ms = 0;
  EXPECT_NE(validate(bad).message().find("silent_after"), std::string::npos);
}

TEST(SensorSilent, OpensAfterFiveMinutesOrFivePeriodsAndClosesOnAFrame) {
  const AlertOptions o;
  const store::Sensor s = sensor(kT);
  EXPECT_EQ(sensor_silent(s, 10 * kSecondMs, kT + 5 * kMinuteMs - 1, o, nullptr).action,
            Action::kNone);
  AlertDecision d = sensor_silent(s, 10 * kSecondMs, kT + 5 * kMinuteMs, o, nullptr);
  ASSERT_EQ(d.action, Action::kOpen);
  EXPECT_EQ(d.params, (json{{"sensor", 3}, {"name", "Garage"}, {"since_ms", kT}}));
  // A sensor that speaks every 2 minutes is silent after 5 of its periods: 10 minutes.
  EXPECT_EQ(sensor_silent(s, 2 * kMinuteMs, kT + 9 * kMinuteMs, o, nullptr).action, Action::kNone);
  EXPECT_EQ(sensor_silent(s, 2 * kMinuteMs, kT + 10 * kMinuteMs, o, nullptr).action, Action::kOpen);

  const ActiveAlert a = active(d.params);
  EXPECT_EQ(sensor_silent(s, 0, kT + kHourMs, o, &a).action, Action::kNone);  // still silent
  EXPECT_EQ(sensor_silent(sensor(kT + kHourMs), 0, kT + kHourMs, o, &a).action, Action::kClose);
}

TEST(SensorSilent, APairedSensorThatNeverSentIsSilentFromItsCreation) {
  AlertOptions o;
  o.silent_after_ms = 5 * kSecondMs;
  store::Sensor s = sensor(0);
  s.created = kT;
  EXPECT_EQ(sensor_silent(s, 0, kT + 4 * kSecondMs, o, nullptr).action, Action::kNone);
  AlertDecision d = sensor_silent(s, 0, kT + 5 * kSecondMs, o, nullptr);
  ASSERT_EQ(d.action, Action::kOpen);
  EXPECT_EQ(d.params["since_ms"], kT);
  const ActiveAlert a = active(d.params);
  EXPECT_EQ(sensor_silent(s, 0, kT + kDayMs, o, &a).action, Action::kNone);
  EXPECT_EQ(sensor_silent(sensor(kT + kDayMs), 0, kT + kDayMs, o, &a).action, Action::kClose);
}

TEST(BatteryLow, OpensOnTheFlagOrALowSupply) {
  const AlertOptions o;
  EXPECT_EQ(battery_low(sensor(0, kLowBatteryFlag), o, nullptr).action, Action::kNone);  // unheard
  AlertDecision d = battery_low(sensor(kT, kLowBatteryFlag, 3300), o, nullptr);
  ASSERT_EQ(d.action, Action::kOpen);
  EXPECT_EQ(d.params, (json{{"sensor", 3}, {"name", "Garage"}, {"supply_mv", 3300}}));
  d = battery_low(sensor(kT, 0, 2599), o, nullptr);
  ASSERT_EQ(d.action, Action::kOpen);
  EXPECT_EQ(d.params["supply_mv"], 2599);
  EXPECT_EQ(battery_low(sensor(kT, 0, 2600), o, nullptr).action, Action::kNone);
  EXPECT_EQ(battery_low(sensor(kT, 0, 0), o, nullptr).action, Action::kNone);  // supply unknown
  d = battery_low(sensor(kT, kLowBatteryFlag, 0), o, nullptr);
  EXPECT_TRUE(d.params["supply_mv"].is_null());
}

TEST(BatteryLow, ClosesAfterThreeFineFramesInARow) {
  const AlertOptions o;
  const json params = {{"sensor", 3}, {"name", "Garage"}, {"supply_mv", 2500}};
  ActiveAlert a = active(params);
  EXPECT_EQ(battery_low(sensor(kT, 0, 2500, 9), o, &a).action, Action::kNone);  // still low
  // Frame 10 is fine: the count starts there.
  AlertDecision d = battery_low(sensor(kT, 0, 3000, 10), o, &a);
  ASSERT_EQ(d.action, Action::kUpdate);
  EXPECT_EQ(d.memo, (json{{"fine_from", 10}}));
  a.memo = d.memo;
  EXPECT_EQ(battery_low(sensor(kT, 0, 3000, 11), o, &a).action, Action::kNone);  // 2 fine
  // Frame 11 was low after all: start again.
  d = battery_low(sensor(kT, kLowBatteryFlag, 3000, 11), o, &a);
  ASSERT_EQ(d.action, Action::kUpdate);
  EXPECT_EQ(d.memo, json::object());
  a.memo = d.memo;
  d = battery_low(sensor(kT, 0, 3000, 12), o, &a);
  a.memo = d.memo;
  EXPECT_EQ(battery_low(sensor(kT, 0, 3000, 13), o, &a).action, Action::kNone);
  EXPECT_EQ(battery_low(sensor(kT, 0, 3000, 14), o, &a).action, Action::kClose);  // 12, 13, 14
}

// Samples every 10 s at the given powers, the last at kT.
std::vector<Sample> every_10s(const std::vector<std::int32_t>& watts) {
  std::vector<Sample> out;
  for (std::size_t i = 0; i < watts.size(); ++i)
    out.push_back(
        {kT - TimeMs(watts.size() - 1 - i) * 10 * kSecondMs, std::uint32_t(i + 1), watts[i], 0});
  return out;
}

TEST(TrailingRun, MeasuresTheNewestRunOnly) {
  auto high = [](const Sample& s) { return s.power_w >= 100; };
  EXPECT_EQ(trailing_run(every_10s({100, 100, 100}), 60000, high), 20 * kSecondMs);
  EXPECT_EQ(trailing_run(every_10s({100, 5, 100, 100}), 60000, high), 10 * kSecondMs);
  EXPECT_EQ(trailing_run(every_10s({100, 100, 5}), 60000, high), 0);
  EXPECT_EQ(trailing_run(std::vector<Sample>{}, 60000, high), 0);
  std::vector<Sample> gap = every_10s({100, 100, 100});
  gap[0].t -= 5 * kMinuteMs;  // a silence longer than max_gap ends the run
  EXPECT_EQ(trailing_run(gap, 2 * kMinuteMs, high), 10 * kSecondMs);
}

TEST(NearSubscribedPower, OpensAfterAMinuteAtNinetyPercent) {
  const AlertOptions o;  // 6 kVA: 5400 W for 60 s
  std::vector<std::int32_t> w(6, 5400);
  EXPECT_EQ(near_subscribed_power(3, every_10s(w), 120000, 6, o, nullptr).action, Action::kNone);
  w.push_back(5900);  // 7 samples: 60 s
  AlertDecision d = near_subscribed_power(3, every_10s(w), 120000, 6, o, nullptr);
  ASSERT_EQ(d.action, Action::kOpen);
  EXPECT_EQ(d.params, (json{{"sensor", 3}, {"power_w", 5900}, {"limit_w", 6000}, {"kva", 6}}));
  w[3] = 5399;  // a dip under 90 % starts the minute again
  EXPECT_EQ(near_subscribed_power(3, every_10s(w), 120000, 6, o, nullptr).action, Action::kNone);
  EXPECT_EQ(near_subscribed_power(3, {}, 120000, 6, o, nullptr).action, Action::kNone);
}

TEST(NearSubscribedPower, ClosesAfterFiveMinutesUnderEightyPercentAndTracksThePeak) {
  const AlertOptions o;
  ActiveAlert a = active({{"sensor", 3}, {"power_w", 5600}, {"limit_w", 6000}, {"kva", 6}});
  // Back to 4799 W (under 4800) for 4 min 50 s: not yet.
  std::vector<std::int32_t> w(30, 4799);
  EXPECT_EQ(near_subscribed_power(3, every_10s(w), 120000, 6, o, &a).action, Action::kNone);
  w.push_back(4799);  // 31 samples: 5 minutes
  EXPECT_EQ(near_subscribed_power(3, every_10s(w), 120000, 6, o, &a).action, Action::kClose);
  // Hovering between 80 and 90 % keeps the one alert open (no storm).
  std::vector<std::int32_t> hover(31, 5000);
  EXPECT_EQ(near_subscribed_power(3, every_10s(hover), 120000, 6, o, &a).action, Action::kNone);
  hover[10] = 5990;  // a higher peak during the episode
  AlertDecision d = near_subscribed_power(3, every_10s(hover), 120000, 6, o, &a);
  ASSERT_EQ(d.action, Action::kUpdate);
  EXPECT_EQ(d.params["power_w"], 5990);
}

NightLoad night(LocalDay day, std::optional<double> w) {
  NightLoad n;
  n.night = day;
  n.watts = w;
  n.coverage = w ? 1 : 0;
  return n;
}

std::vector<NightLoad> week_of(std::vector<std::optional<double>> w, LocalDay first) {
  std::vector<NightLoad> out;
  for (auto x : w) out.push_back(night(first++, x));
  return out;
}

TEST(UnusualNight, OpensAtOneAndAHalfTimesAndFiftyWattsAboveTheMedian) {
  const AlertOptions o;
  const LocalDay d0 = *parse_local_day("2024-04-01");
  // Median of {90, 100, 100, 105, 110, 115, 120} = 105; 1.5 × 105 = 157.5.
  const auto before = week_of({100, 110, 120, 100, 90, 105, 115}, d0);
  EXPECT_EQ(unusual_night(3, night(d0 + 7, 157), before, o, nullptr).action, Action::kNone);
  AlertDecision d = unusual_night(3, night(d0 + 7, 158), before, o, nullptr);
  ASSERT_EQ(d.action, Action::kOpen);
  EXPECT_EQ(d.params,
            (json{{"sensor", 3}, {"night", "2024-04-08"}, {"watts", 158}, {"usual_w", 105}}));
  // Twice the usual, but only 30 W above it: not worth an alert.
  const auto low = week_of({40, 40, 40, 40, 40, 40, 40}, d0);
  EXPECT_EQ(unusual_night(3, night(d0 + 7, 70), low, o, nullptr).action, Action::kNone);
  EXPECT_EQ(unusual_night(3, night(d0 + 7, 90), low, o, nullptr).action, Action::kOpen);
}

TEST(UnusualNight, MissingNightsChangeNothing) {
  const AlertOptions o;
  const LocalDay d0 = *parse_local_day("2024-04-01");
  // Only two of the seven nights before were measured: too few to know what is usual.
  const auto sparse =
      week_of({100, std::nullopt, std::nullopt, 100, std::nullopt, std::nullopt, std::nullopt}, d0);
  EXPECT_EQ(unusual_night(3, night(d0 + 7, 900), sparse, o, nullptr).action, Action::kNone);
  const auto before = week_of({100, 100, 100, 100, 100, 100, 100}, d0);
  EXPECT_EQ(unusual_night(3, night(d0 + 7, std::nullopt), before, o, nullptr).action,
            Action::kNone);
  const ActiveAlert a =
      active({{"sensor", 3}, {"night", "2024-04-07"}, {"watts", 400}, {"usual_w", 100}});
  EXPECT_EQ(unusual_night(3, night(d0 + 7, std::nullopt), before, o, &a).action, Action::kNone);
}

TEST(UnusualNight, ClosesOnTheNextNormalNight) {
  const AlertOptions o;
  const LocalDay d0 = *parse_local_day("2024-04-01");
  const auto before = week_of({100, 100, 100, 100, 100, 100, 400}, d0);
  const ActiveAlert a =
      active({{"sensor", 3}, {"night", "2024-04-07"}, {"watts", 400}, {"usual_w", 100}});
  // The night that opened it, judged again (a restart): nothing happens.
  EXPECT_EQ(unusual_night(3, night(d0 + 6, 400),
                          week_of({100, 100, 100, 100, 100, 100, 100}, d0 - 1), o, &a)
                .action,
            Action::kNone);
  EXPECT_EQ(unusual_night(3, night(d0 + 7, 380), before, o, &a).action, Action::kNone);
  EXPECT_EQ(unusual_night(3, night(d0 + 7, 110), before, o, &a).action, Action::kClose);
}

TEST(TargetAtRisk, OpensOverTheTargetAndClosesUnderNinetyFivePercent) {
  const AlertOptions o;
  const store::Target t{"eur", 45 * kMicrosPerEuro, kT};
  TargetCheck c{TargetStatus::kAtRisk, 0.5, 45, 22.5, 50.004, Confidence::kLow};
  // Under a week of history the projection is no ground for an alarm...
  EXPECT_EQ(target_at_risk(t, c, "2024-04", o, nullptr).action, Action::kNone);
  c.confidence = Confidence::kMedium;
  AlertDecision d = target_at_risk(t, c, "2024-04", o, nullptr);
  ASSERT_EQ(d.action, Action::kOpen);
  EXPECT_EQ(d.params,
            (json{{"unit", "eur"}, {"target", 45.0}, {"projection", 50.0}, {"month", "2024-04"}}));
  // ...but a month already over its target is, however young the forecast.
  const TargetCheck over{TargetStatus::kOver, 1.1, 45, 49.5, 60, Confidence::kNone};
  EXPECT_EQ(target_at_risk(t, over, "2024-04", o, nullptr).action, Action::kOpen);
  c.projection = 45;  // at the target, not above it
  EXPECT_EQ(target_at_risk(t, c, "2024-04", o, nullptr).action, Action::kNone);
  EXPECT_EQ(target_at_risk(std::nullopt, TargetCheck{}, "2024-04", o, nullptr).action,
            Action::kNone);

  const ActiveAlert a = active(d.params);
  c.projection = 43;  // between 95 % (42.75) and the target: stays open, projection updated
  d = target_at_risk(t, c, "2024-04", o, &a);
  ASSERT_EQ(d.action, Action::kUpdate);
  EXPECT_EQ(d.params["projection"], 43.0);
  c.projection = 42.7;
  EXPECT_EQ(target_at_risk(t, c, "2024-04", o, &a).action, Action::kClose);
  c.projection = 60;
  EXPECT_EQ(target_at_risk(t, c, "2024-05", o, &a).action, Action::kClose);  // month over
  EXPECT_EQ(target_at_risk(std::nullopt, c, "2024-04", o, &a).action, Action::kClose);  // removed
}

TEST(AlertHelpers, SamplingPeriodIsTheMedianIntervalSilencesLeftOut) {
  std::vector<Sample> s = {{0}, {10000}, {20000}, {35000}, {45000}};
  EXPECT_EQ(sampling_period(s, 120000), 10000);  // intervals 10, 10, 15, 10 s
  s = {{0}, {10000}, {30000}};
  EXPECT_EQ(sampling_period(s, 120000), 15000);  // 10 and 20 s
  s = {{0}, {60000}, {60000 + 11 * kMinuteMs}};  // a minute, then an 11-minute silence
  EXPECT_EQ(sampling_period(s, 120000), 60000);
  EXPECT_EQ(sampling_period(std::vector<Sample>{{0}, {kHourMs}}, 120000), 0);
  EXPECT_EQ(sampling_period(std::vector<Sample>{{5}}, 120000), 0);
  EXPECT_DOUBLE_EQ(median({3, 1, 2}), 2);
}

TEST(AlertMessages, SayWhatHappenedInPlainWords) {
  const Calendar paris = *Calendar::in_zone("Europe/Paris");
  EXPECT_EQ(alert_message(kSensorSilent, {{"name", "Garage"}, {"since_ms", kT}}, paris),
            "Sensor 'Garage' has sent nothing since 2024-04-01 12:00");
  EXPECT_EQ(alert_message(kBatteryLow, {{"name", "Garage"}, {"supply_mv", 2450}}, paris),
            "The battery of sensor 'Garage' is low (2.45 V): replace it soon");
  EXPECT_EQ(alert_message(kNearSubscribedPower, {{"power_w", 5900}, {"limit_w", 6000}, {"kva", 6}},
                          paris),
            "Power reached 5900 W, close to the 6000 W of your 6 kVA subscription: the breaker "
            "may trip");
  EXPECT_EQ(
      alert_message(
          kTargetAtRisk,
          {{"unit", "kwh"}, {"target", 300}, {"projection", 312.46}, {"month", "2024-04"}}, paris),
      "This month (2024-04) is heading for 312.5 kWh, above your target of 300.0 kWh");
}

}  // namespace
}  // namespace cw::analytics
