// Always-on power: the percentile, the night windows (DST), missing nights, the trend.
#include "analytics/baseload.h"

#include <gtest/gtest.h>

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

LocalDay day_of(const char* iso) {
  return *parse_local_day(iso);
}

Rollup minute(TimeMs start, double watts, double coverage = 1) {
  Rollup r;
  r.start = start;
  r.end = start + kMinuteMs;
  r.count = 1;
  r.covered_ms = std::int64_t(coverage * kMinuteMs);
  r.sum_wms = std::int64_t(watts * double(r.covered_ms));
  return r;
}

TEST(Baseload, NearestRankPercentile) {
  EXPECT_EQ(low_percentile({5, 1, 4, 2, 3, 6, 7, 8, 9, 10}, 0.10), 1);
  EXPECT_EQ(low_percentile({5, 1, 4, 2, 3, 6, 7, 8, 9, 10}, 0.25), 3);  // rank ceil(2.5) = 3
  EXPECT_EQ(low_percentile({5, 1, 4, 2, 3, 6, 7, 8, 9, 10}, 1.0), 10);
  EXPECT_EQ(low_percentile({42}, 0.10), 42);
  EXPECT_EQ(low_percentile({9, 7}, 0.10), 7);  // rank ceil(0.2) = 1
}

TEST(Baseload, NightWindowFollowsTheLocalClockOnDstNights) {
  const auto normal = night_window(paris(), day_of("2024-04-02"));
  EXPECT_EQ(normal.first, at("2024-04-01T22:00:00Z"));              // 00:00 CEST
  EXPECT_EQ(normal.second, at("2024-04-02T03:00:00Z"));             // 05:00 CEST
  const auto spring = night_window(paris(), day_of("2024-03-31"));  // 02:00 → 03:00
  EXPECT_EQ(spring.first, at("2024-03-30T23:00:00Z"));
  EXPECT_EQ(spring.second, at("2024-03-31T03:00:00Z"));
  EXPECT_EQ(spring.second - spring.first, 4 * kHourMs);
  const auto autumn = night_window(paris(), day_of("2024-10-27"));  // 03:00 → 02:00
  EXPECT_EQ(autumn.first, at("2024-10-26T22:00:00Z"));
  EXPECT_EQ(autumn.second, at("2024-10-27T04:00:00Z"));
  EXPECT_EQ(autumn.second - autumn.first, 6 * kHourMs);
}

TEST(Baseload, LastCompleteNightTurnsAtFiveLocal) {
  EXPECT_EQ(last_complete_night(paris(), at("2024-04-02T02:59:59Z")), day_of("2024-04-01"));
  EXPECT_EQ(last_complete_night(paris(), at("2024-04-02T03:00:00Z")), day_of("2024-04-02"));
  EXPECT_EQ(last_complete_night(paris(), at("2024-04-02T21:59:00Z")), day_of("2024-04-02"));
}

TEST(Baseload, NightLoadIsTheTenthPercentileOfItsMinutesNotTheirMinimum) {
  const auto [start, end] = night_window(paris(), day_of("2024-04-02"));
  std::vector<Rollup> m;
  for (int k = 0; k < 300; ++k) m.push_back(minute(start + k * kMinuteMs, 100 + k));
  m[17] = minute(m[17].start, 2);  // one noisy minute far below the rest
  const NightLoad n = night_load(m, day_of("2024-04-02"), start, end);
  EXPECT_DOUBLE_EQ(n.coverage, 1);
  ASSERT_TRUE(n.watts);
  // Sorted: 2, 100 ... 116, 118, 119 ...: the 30th value (index 29) is 129.
  EXPECT_EQ(*n.watts, 129);
  EXPECT_EQ(n.minute_means.size(), 300u);
}

TEST(Baseload, UnderCoveredNightIsMissingNotZero) {
  const auto [start, end] = night_window(paris(), day_of("2024-04-02"));
  std::vector<Rollup> m;
  for (int k = 0; k < 237; ++k) m.push_back(minute(start + k * kMinuteMs, 80));  // 79 %
  NightLoad n = night_load(m, day_of("2024-04-02"), start, end);
  EXPECT_NEAR(n.coverage, 0.79, 1e-9);
  EXPECT_FALSE(n.watts);
  EXPECT_TRUE(n.minute_means.empty());
  m.push_back(minute(start + 237 * kMinuteMs, 80));
  m.push_back(minute(start + 238 * kMinuteMs, 80));
  m.push_back(minute(start + 239 * kMinuteMs, 80));  // 240 minutes: 80 %, it counts
  n = night_load(m, day_of("2024-04-02"), start, end);
  ASSERT_TRUE(n.watts);
  EXPECT_EQ(*n.watts, 80);
  // Minutes half covered or less do not vote (a minute's mean needs data under it).
  m = {minute(start, 5, 0.4), minute(start + kMinuteMs, 90)};
  EXPECT_EQ(night_load(m, 0, start, start + 2 * kMinuteMs).watts.value_or(-1), -1);  // 70 %
  m = {minute(start, 5, 0.6), minute(start + kMinuteMs, 90)};
  EXPECT_EQ(night_load(m, 0, start, start + 2 * kMinuteMs).watts.value_or(-1), 5);
}

TEST(Baseload, ConfidenceByNights) {
  EXPECT_EQ(baseload_confidence(0), Confidence::kNone);
  EXPECT_EQ(baseload_confidence(1), Confidence::kLow);
  EXPECT_EQ(baseload_confidence(2), Confidence::kLow);
  EXPECT_EQ(baseload_confidence(3), Confidence::kMedium);
  EXPECT_EQ(baseload_confidence(5), Confidence::kMedium);
  EXPECT_EQ(baseload_confidence(6), Confidence::kHigh);
  EXPECT_EQ(baseload_confidence(7), Confidence::kHigh);
}

TEST(Baseload, YearlyEnergyIsWattsTimes8766Hours) {
  EXPECT_EQ(yearly_mwh(142), 1244772000);  // 142 W × 8766 h = 1244.772 kWh
  EXPECT_EQ(yearly_mwh(0), 0);
}

class BaseloadStore : public testing::StoreTest {
 protected:
  // Samples every minute from 2024-04-01 22:00Z (00:00 on the 2nd) to `to`: night_w(local day)
  // from 00:00 to 05:00, 900 W the rest of the day; at 01:00 a 3 W minute, at 02:00 a 4 kW one.
  void household(TimeMs to, const std::function<double(LocalDay)>& night_w) {
    commit(samples_of(at("2024-04-01T22:00:00Z"), to, kMinuteMs, [&](TimeMs t) {
      const LocalClock c = local_clock(calendar_, t);
      if (c.minute >= 300) return 900.0;
      if (c.minute == 60) return 3.0;
      if (c.minute == 120) return 4000.0;
      return night_w(c.day);
    }));
  }
};

TEST_F(BaseloadStore, SevenNightsGiveARobustEstimateAndItsTrend) {
  // The nights of the 2nd to the 8th at 200 W, then of the 9th to the 15th at 150 W.
  household(at("2024-04-15T12:00:00Z"),
            [](LocalDay d) { return d <= day_of("2024-04-08") ? 200.0 : 150.0; });
  auto b = baseload(*store_, calendar_, sensor_, at("2024-04-15T12:00:00Z"));
  ASSERT_TRUE(b.is_ok()) << b.status().to_string();
  ASSERT_TRUE(b->watts);
  EXPECT_EQ(*b->watts, 150);  // neither the 3 W minutes nor the 4 kW ones
  EXPECT_EQ(b->nights, 7);
  EXPECT_EQ(b->confidence, Confidence::kHigh);
  ASSERT_EQ(b->per_night.size(), 7u);
  EXPECT_EQ(b->per_night.front().night, day_of("2024-04-09"));
  EXPECT_EQ(b->per_night.back().night, day_of("2024-04-15"));
  for (const NightLoad& n : b->per_night) EXPECT_EQ(n.watts.value_or(-1), 150);
  ASSERT_TRUE(b->previous_w);
  EXPECT_EQ(*b->previous_w, 200);
  EXPECT_EQ(b->previous_nights, 7);
}

TEST_F(BaseloadStore, MissingNightsAreSaidNotInvented) {
  // Data only from the 13th 00:00: three complete nights (13th-15th) and no earlier week.
  commit(samples_of(at("2024-04-12T22:00:00Z"), at("2024-04-15T12:00:00Z"), kMinuteMs,
                    [](TimeMs) { return 75.0; }));
  auto b = baseload(*store_, calendar_, sensor_, at("2024-04-15T12:00:00Z"));
  ASSERT_TRUE(b.is_ok());
  EXPECT_EQ(b->nights, 3);  // the 13th, 14th and 15th
  EXPECT_EQ(b->confidence, Confidence::kMedium);
  EXPECT_EQ(b->watts.value_or(-1), 75);
  int missing = 0;
  for (const NightLoad& n : b->per_night) missing += n.watts ? 0 : 1;
  EXPECT_EQ(missing, 4);
  EXPECT_FALSE(b->previous_w);
  EXPECT_EQ(b->previous_nights, 0);
}

TEST_F(BaseloadStore, SensorWithNoDataHasNoEstimate) {
  auto b = baseload(*store_, calendar_, sensor_, at("2024-04-15T12:00:00Z"));
  ASSERT_TRUE(b.is_ok());
  EXPECT_FALSE(b->watts);
  EXPECT_EQ(b->nights, 0);
  EXPECT_EQ(b->confidence, Confidence::kNone);
  EXPECT_EQ(b->per_night.size(), 7u);
  EXPECT_FALSE(b->previous_w);
  EXPECT_EQ(baseload(*store_, calendar_, 999, at("2024-04-15T12:00:00Z")).status().code(),
            Code::kNotFound);
}

TEST_F(BaseloadStore, TheShortDstNightCountsWhole) {
  // 2024-03-31: the night runs 00:00-05:00 on a clock that skips 02:00-03:00: 4 real hours.
  commit(samples_of(at("2024-03-30T23:00:00Z"), at("2024-03-31T03:00:00Z"), kMinuteMs,
                    [](TimeMs) { return 64.0; }));
  auto nights = read_nights(*store_, calendar_, sensor_, day_of("2024-03-31"), 1);
  ASSERT_TRUE(nights.is_ok());
  ASSERT_EQ(nights->size(), 1u);
  EXPECT_NEAR(nights->front().coverage, 1.0, 1e-9);
  EXPECT_EQ(nights->front().watts.value_or(-1), 64);
  EXPECT_EQ(nights->front().minute_means.size(), 240u);
}

}  // namespace
}  // namespace cw::analytics
