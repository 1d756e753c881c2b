// The forecast model on synthetic hourly series whose right answer is known by hand.
#include "analytics/forecast.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "analytics/forecast_backtest.h"
#include "fixture.h"

namespace cw::analytics {
namespace {

using testing::at;

Calendar paris() {
  return *Calendar::in_zone("Europe/Paris");
}

// Local hour of the day of t in Paris, read from the calendar's own formatting.
int local_hod(const Calendar& c, TimeMs t) {
  return std::stoi(c.format_local(t).substr(11, 2));
}

// One bucket per local hour in [from, to), energy from wh(start) (coverage 1).
std::vector<EnergyBucket> hours(const Calendar& c, TimeMs from, TimeMs to,
                                const std::function<double(TimeMs)>& wh) {
  std::vector<EnergyBucket> out;
  for (TimeMs t = from; t < to; t = c.next(t, Period::kHour)) {
    out.push_back({t, c.next(t, Period::kHour), wh(t), false, 1.0});
  }
  return out;
}

Forecast run(const std::vector<EnergyBucket>& h, const Calendar& c, TimeMs now,
             const ForecastOptions& o = {}) {
  auto f = forecast(h, c, now, o);
  EXPECT_TRUE(f.is_ok()) << f.status().to_string();
  return f.is_ok() ? *f : Forecast{};
}

TEST(Forecast, ConstantHistoryGivesTheConstantWithAClosedInterval) {
  const Calendar c = paris();
  // 5 weeks of 500 Wh an hour up to 2024-02-10 00:00 (Paris, UTC+1), asked at 00:20.
  const TimeMs origin = at("2024-02-09T23:00:00Z");
  const auto h = hours(c, origin - 35 * kDayMs, origin, [](TimeMs) { return 500.0; });
  const Forecast f = run(h, c, origin + 20 * kMinuteMs);
  EXPECT_EQ(f.origin, origin);
  EXPECT_EQ(f.confidence, Confidence::kHigh);
  EXPECT_DOUBLE_EQ(f.history_days, 35);
  EXPECT_DOUBLE_EQ(f.level, 1);
  ASSERT_EQ(f.hours.size(), 24u);
  for (std::size_t i = 0; i < 24; ++i) {
    EXPECT_EQ(f.hours[i].start, origin + TimeMs(i) * kHourMs);
    EXPECT_EQ(f.hours[i].end, origin + TimeMs(i + 1) * kHourMs);
    EXPECT_NEAR(f.hours[i].kwh, 0.5, 1e-12);
    EXPECT_NEAR(f.hours[i].low_kwh, 0.5, 1e-12);  // never wrong so far: no spread
    EXPECT_NEAR(f.hours[i].high_kwh, 0.5, 1e-12);
  }
  // February 2024 has 29 days: 9 measured, 20 to come.
  EXPECT_EQ(f.month.month_start, at("2024-01-31T23:00:00Z"));
  EXPECT_EQ(f.month.month_end, at("2024-02-29T23:00:00Z"));
  EXPECT_NEAR(f.month.so_far_kwh, 9 * 12.0, 1e-9);
  EXPECT_EQ(f.month.missing_hours, 0);
  EXPECT_NEAR(f.month.remaining_kwh, 20 * 12.0, 1e-9);
  EXPECT_NEAR(f.month.total_kwh, 29 * 12.0, 1e-9);
  EXPECT_NEAR(f.month.low_kwh, 29 * 12.0, 1e-9);
  EXPECT_NEAR(f.month.high_kwh, 29 * 12.0, 1e-9);
}

TEST(Forecast, PureWeeklyPatternGivesTheWeekHourProfile) {
  const Calendar c = paris();
  // Wh = 100 + 10 * (hour of the week, Monday 00:00 local = 0). 2024-01-01 was a Monday.
  const TimeMs monday = at("2023-12-31T23:00:00Z");
  auto pattern = [&](TimeMs t) { return 100.0 + 10 * double(((t - monday) / kHourMs) % 168); };
  const TimeMs origin = monday + 6 * 7 * kDayMs + 2 * kDayMs + 7 * kHourMs;  // Wed 07:00
  const auto h = hours(c, monday, origin, pattern);
  ForecastOptions only_week;  // the week-hour profile alone, no recent-level scaling
  only_week.week_shrink = 0;
  only_week.level_strength = 0;
  const Forecast f = run(h, c, origin, only_week);
  ASSERT_EQ(f.hours.size(), 24u);
  for (const ForecastPoint& p : f.hours) EXPECT_NEAR(p.kwh, pattern(p.start) / 1000, 1e-12);
  // With the daily profile blended in, the shape is still the weekly one: Wednesday 07:00
  // (hour 55, 650 Wh) stays lower than Thursday 06:00 (hour 78, 880 Wh) although 06:00 is
  // lower than 07:00 on any one day.
  const Forecast d = run(h, c, origin);
  EXPECT_LT(d.hours[0].kwh + 0.05, d.hours[23].kwh);
}

// A pattern by local hour of the day must stay on local hours across DST changes.
double by_local_hour(const Calendar& c, TimeMs t) {
  return 100.0 * (local_hod(c, t) + 1);
}

TEST(Forecast, SpringForwardDayHas23LocalHoursOfTheRightProfile) {
  const Calendar c = paris();
  const TimeMs origin = at("2024-03-30T23:00:00Z");  // 2024-03-31 00:00 CET, a 23-hour day
  const auto h =
      hours(c, at("2024-01-31T23:00:00Z"), origin, [&](TimeMs t) { return by_local_hour(c, t); });
  const Forecast f = run(h, c, origin);
  const int expected_hod[24] = {0,  1,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12,
                                13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 0};
  ASSERT_EQ(f.hours.size(), 24u);
  for (int i = 0; i < 24; ++i) {
    EXPECT_NEAR(f.hours[std::size_t(i)].kwh, 0.1 * (expected_hod[i] + 1), 1e-9) << "point " << i;
  }
  // March so far: 30 whole days of 30 kWh; to come: the 23-hour day, without its 02:00.
  EXPECT_NEAR(f.month.so_far_kwh, 900, 1e-9);
  EXPECT_NEAR(f.month.remaining_kwh, 30 - 0.3, 1e-9);
  EXPECT_EQ(f.month.month_end, at("2024-03-31T22:00:00Z"));
}

TEST(Forecast, FallBackDayRepeatsItsLocal0200) {
  const Calendar c = paris();
  const TimeMs origin = at("2024-10-26T22:00:00Z");  // 2024-10-27 00:00 CEST, a 25-hour day
  const auto h =
      hours(c, origin - 28 * kDayMs, origin, [&](TimeMs t) { return by_local_hour(c, t); });
  const Forecast f = run(h, c, origin);
  const int expected_hod[24] = {0,  1,  2,  2,  3,  4,  5,  6,  7,  8,  9,  10,
                                11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22};
  ASSERT_EQ(f.hours.size(), 24u);
  for (int i = 0; i < 24; ++i) {
    EXPECT_NEAR(f.hours[std::size_t(i)].kwh, 0.1 * (expected_hod[i] + 1), 1e-9) << "point " << i;
  }
}

TEST(Forecast, MissingHoursAreLeftOutNeverCountedAsZero) {
  const Calendar c = paris();
  const TimeMs origin = at("2024-02-09T23:00:00Z");
  auto h = hours(c, origin - 35 * kDayMs, origin, [](TimeMs) { return 500.0; });
  // Every afternoon of the last two weeks lost (nothing received), and one half-covered hour.
  int lost_this_month = 0;
  for (EnergyBucket& b : h) {
    const int hod = local_hod(c, b.start);
    if (b.start >= origin - 14 * kDayMs && hod >= 12 && hod < 18) {
      b.energy_wh = 0;
      b.coverage = 0;
      if (b.start >= at("2024-01-31T23:00:00Z")) ++lost_this_month;
    }
  }
  h[h.size() - 3].coverage = 0.5;  // 21:00 the day before: its 500 Wh are counted, yet missing
  const Forecast f = run(h, c, origin);
  for (const ForecastPoint& p : f.hours) EXPECT_NEAR(p.kwh, 0.5, 1e-12);
  EXPECT_EQ(f.month.missing_hours, lost_this_month + 1);
  EXPECT_NEAR(f.month.so_far_kwh, (9 * 24 - lost_this_month) * 0.5, 1e-9);
  EXPECT_NEAR(f.history_days, 35 - (14 * 6 + 1) / 24.0, 1e-9);
}

TEST(Forecast, LessThanADayFollowsTheAverageHourAndSaysSo) {
  const Calendar c = paris();
  const TimeMs day = at("2024-02-09T23:00:00Z");  // 2024-02-10 00:00 local
  const auto h = hours(c, day, day + 10 * kHourMs, [](TimeMs) { return 400.0; });
  const Forecast f = run(h, c, day + 10 * kHourMs + 5 * kMinuteMs);
  EXPECT_EQ(f.confidence, Confidence::kLow);
  EXPECT_NEAR(f.history_days, 10.0 / 24, 1e-12);
  EXPECT_NE(f.reason.find("only 10 hours of data"), std::string::npos) << f.reason;
  ASSERT_EQ(f.hours.size(), 24u);
  // No error of its own yet: default spread x0.4..x2 on (Wh + 30), widened 1.5 times in logs.
  const double low = (430 * std::pow(0.4, 1.5) - 30) / 1000;
  const double high = (430 * std::pow(2.0, 1.5) - 30) / 1000;
  for (const ForecastPoint& p : f.hours) {
    EXPECT_NEAR(p.kwh, 0.4, 1e-12);
    EXPECT_NEAR(p.low_kwh, low, 1e-12);
    EXPECT_NEAR(p.high_kwh, high, 1e-12);
  }
}

TEST(Forecast, NoHistoryMeansNoForecast) {
  const Calendar c = paris();
  const Forecast f = run({}, c, at("2024-02-10T12:00:00Z"));
  EXPECT_EQ(f.confidence, Confidence::kNone);
  EXPECT_TRUE(f.hours.empty());
  EXPECT_STREQ(confidence_name(f.confidence), "none");
  EXPECT_EQ(f.month.total_kwh, 0);
}

TEST(Forecast, RecentHigherLevelLiftsTheForecastPartly) {
  const Calendar c = paris();
  const TimeMs origin = at("2024-02-09T23:00:00Z");
  const TimeMs cold = origin - 3 * kDayMs;  // the last 3 days at twice the usual
  const auto h =
      hours(c, origin - 35 * kDayMs, origin, [&](TimeMs t) { return t >= cold ? 1000.0 : 500.0; });
  const Forecast f = run(h, c, origin);
  EXPECT_GT(f.level, 1.0);
  EXPECT_LT(f.level, 1.3);  // level_strength 0.3: never more than 30 % of the change
  EXPECT_GT(f.hours[0].kwh, 0.5);
  EXPECT_LT(f.hours[0].kwh, 1.0);
}

TEST(Forecast, RejectsHistoryOutOfOrderOrNotHourly) {
  const Calendar c = paris();
  const TimeMs t = at("2024-02-09T23:00:00Z");
  std::vector<EnergyBucket> h = {{t + kHourMs, t + 2 * kHourMs, 1, false, 1},
                                 {t, t + kHourMs, 1, false, 1}};
  EXPECT_EQ(forecast(h, c, t + kDayMs).status().code(), Code::kInvalidArgument);
  h = {{t, t + kDayMs, 24, false, 1}};
  EXPECT_EQ(forecast(h, c, t + 2 * kDayMs).status().code(), Code::kInvalidArgument);
}

TEST(ForecastBacktest, CountsOriginsAfterTheWarmUpAndScoresBothMethods) {
  const Calendar c = paris();
  // 35 days from Monday 2024-01-01 00:00 local: origins Jan 29 .. Feb 4 (7), 24 hours each.
  const TimeMs start = at("2023-12-31T23:00:00Z");
  const auto h = hours(c, start, start + 35 * kDayMs, [](TimeMs) { return 500.0; });
  auto r = backtest(h, c);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->origins, 7u);
  EXPECT_EQ(r->first_origin, at("2024-01-28T23:00:00Z"));
  EXPECT_EQ(r->last_origin, at("2024-02-03T23:00:00Z"));
  EXPECT_EQ(r->model.points, 7u * 24);
  EXPECT_NEAR(r->model.mae_kwh, 0, 1e-12);
  EXPECT_NEAR(r->naive.mae_kwh, 0, 1e-12);
  EXPECT_DOUBLE_EQ(r->model.interval_cover, 1);
  EXPECT_EQ(
      backtest(hours(c, start, start + 20 * kDayMs, [](TimeMs) { return 1.0; }), c).status().code(),
      Code::kInvalidArgument);
}

TEST(ForecastBacktest, NaiveErrorIsLastWeeksChange) {
  const Calendar c = paris();
  // Weeks alternate 400 / 600 Wh an hour: naive is off by 0.2 kWh every hour.
  const TimeMs start = at("2023-12-31T23:00:00Z");
  const auto h = hours(c, start, start + 35 * kDayMs,
                       [&](TimeMs t) { return ((t - start) / (7 * kDayMs)) % 2 ? 600.0 : 400.0; });
  auto r = backtest(h, c);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_NEAR(r->naive.mae_kwh, 0.2, 1e-12);
  EXPECT_NEAR(r->naive.mape_pct, 100 * 0.2 / 0.4, 1e-9);  // the tested week is a 400 Wh week
  EXPECT_LT(r->model.mae_kwh, 0.2);
  EXPECT_GT(r->improvement_pct, 15);
}

}  // namespace
}  // namespace cw::analytics
