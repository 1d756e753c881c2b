// The synthetic household over a simulated year: plausible French all-electric figures,
// determinism per seed, and the speed benchmarks rely on.
#include "simulate/household_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

namespace cw::simulate {
namespace {

constexpr TimeMs kJan1st2025 = 1735686000000;  // 2025-01-01T00:00:00+01:00 (local midnight)

struct DayStats {
  double kwh = 0;
  double min_minute_w = 1e9;  // lowest 1-minute mean power
  double night_run_min = 0;   // longest run of >= 2 kW minutes inside 22:30-06:30, minutes
};

// A year of 1-minute means from 5 s samples (fine enough for minute-scale appliances, and 5x
// cheaper than 1 Hz), split into local days.
std::vector<DayStats> simulate_year(std::uint64_t seed) {
  HouseholdOptions o;
  o.seed = seed;
  o.start = kJan1st2025;
  o.step_ms = 5000;
  HouseholdModel model(o, *Calendar::in_zone("Europe/Paris"));
  Calendar cal = *Calendar::in_zone("Europe/Paris");
  std::vector<DayStats> days;
  TimeMs end = cal.next(kJan1st2025 + 364 * kDayMs, Period::kDay);
  TimeMs day_start = kJan1st2025;
  double run = 0;
  DayStats d;
  while (model.time() < end) {
    TimeMs minute_start = model.time();
    double sum = 0;
    for (int i = 0; i < 12; ++i) sum += model.next_power();
    double w = sum / 12;
    d.kwh += w / 60 / 1000;
    d.min_minute_w = std::min(d.min_minute_w, w);
    double h = double(minute_start - day_start) / kHourMs;
    bool off_peak = h >= 22.5 || h < 6.5;
    run = (off_peak && w >= 2000) ? run + 1 : 0;
    d.night_run_min = std::max(d.night_run_min, run);
    if (model.time() >= cal.next(day_start, Period::kDay)) {
      days.push_back(d);
      d = DayStats{};
      day_start = model.time();
    }
  }
  return days;
}

TEST(HouseholdModel, AYearLooksLikeAFrenchAllElectricHome) {
  auto days = simulate_year(42);
  ASSERT_EQ(days.size(), 365u);
  double lo = 1e9, hi = 0, year = 0, january = 0, july = 0;
  for (std::size_t i = 0; i < days.size(); ++i) {
    const DayStats& d = days[i];
    lo = std::min(lo, d.kwh);
    hi = std::max(hi, d.kwh);
    year += d.kwh;
    if (i < 31) january += d.kwh;
    if (i >= 181 && i < 212) july += d.kwh;
    EXPECT_GE(d.kwh, 5) << "day " << i;
    EXPECT_LE(d.kwh, 60) << "day " << i;
    // Always-on floor: never below ~60 W, and each day reaches down to a quiet base load.
    EXPECT_GE(d.min_minute_w, 60) << "day " << i;
    EXPECT_LE(d.min_minute_w, 260) << "day " << i;
    // The water heater runs at night, in off-peak hours, for at least an hour.
    EXPECT_GE(d.night_run_min, 60) << "day " << i;
  }
  EXPECT_GT(january, 2.5 * july) << "heating makes winter much heavier";
  EXPECT_GT(year, 6000);
  EXPECT_LT(year, 16000);
  std::printf("household seed 42: daily %.1f..%.1f kWh, January %.0f, July %.0f, year %.0f kWh\n",
              lo, hi, january, july, year);
}

TEST(HouseholdModel, GeneratesAMonthAt1HzQuickly) {
  HouseholdOptions o;
  o.start = kJan1st2025;
  HouseholdModel model(o);
  constexpr int kSamples = 30 * 86400;
  auto start = std::chrono::steady_clock::now();
  double sum = 0;
  for (int i = 0; i < kSamples; ++i) sum += model.next_power();
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_GT(sum / kSamples, 500);  // January: heating on
  std::printf("household model: %.1f M samples/s at 1 Hz\n", kSamples / s / 1e6);
  ::testing::Test::RecordProperty("samples_per_s", static_cast<int>(kSamples / s));
}

std::vector<double> first_samples(std::uint64_t seed, TimeMs start, int n) {
  HouseholdOptions o;
  o.seed = seed;
  o.start = start;
  HouseholdModel model(o);
  std::vector<double> out;
  PowerSample s;
  for (int i = 0; i < n; ++i) {
    EXPECT_TRUE(model.next(&s));
    EXPECT_EQ(s.t, start + i * o.step_ms);
    out.push_back(s.power_w);
  }
  return out;
}

TEST(HouseholdModel, DeterministicPerSeed) {
  auto a = first_samples(7, kJan1st2025, 86400);
  EXPECT_EQ(a, first_samples(7, kJan1st2025, 86400));
  EXPECT_NE(a, first_samples(8, kJan1st2025, 86400));
}

TEST(HouseholdModel, DayPlanIsAPureFunctionOfSeedAndDay) {
  Calendar cal = *Calendar::in_zone("Europe/Paris");
  HouseholdTraits traits;
  DayPlan morning = make_day_plan(3, traits, cal, kJan1st2025 + 40 * kDayMs + kHourMs);
  DayPlan evening = make_day_plan(3, traits, cal, kJan1st2025 + 40 * kDayMs + 22 * kHourMs);
  EXPECT_EQ(morning.start, evening.start);
  EXPECT_EQ(morning.base_w, evening.base_w);
  EXPECT_EQ(morning.dinner.start_h, evening.dinner.start_h);
  EXPECT_EQ(morning.water_heater.end_h, evening.water_heater.end_h);
  // Last night's water heater tail is yesterday's run past midnight.
  DayPlan yesterday = make_day_plan(3, traits, cal, kJan1st2025 + 39 * kDayMs + kHourMs);
  EXPECT_DOUBLE_EQ(morning.water_heater_carry.end_h, yesterday.water_heater.end_h - 24);
}

TEST(HouseholdModel, DaysFollowLocalTimeAcrossDst) {
  Calendar cal = *Calendar::in_zone("Europe/Paris");
  // 2025-03-30 lasts 23 h in Paris, 2025-10-26 lasts 25 h.
  DayPlan spring = make_day_plan(1, {}, cal, 1743336000000);  // 2025-03-30T12:00Z
  DayPlan autumn = make_day_plan(1, {}, cal, 1761480000000);  // 2025-10-26T12:00Z
  EXPECT_EQ(spring.end - spring.start, 23 * kHourMs);
  EXPECT_EQ(autumn.end - autumn.start, 25 * kHourMs);
  EXPECT_LT(spring.sunrise_h, spring.sunset_h);
  DayPlan june = make_day_plan(1, {}, cal, 1750334400000);  // 2025-06-19T12:00Z
  EXPECT_NEAR(june.sunset_h - june.sunrise_h, 16.2, 0.3);
  EXPECT_NEAR(june.sunset_h, 21.9, 0.5);  // Paris sunset near 21:58 at midsummer
}

}  // namespace
}  // namespace cw::simulate
