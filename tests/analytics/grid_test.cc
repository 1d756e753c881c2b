#include "analytics/grid.h"

#include <gtest/gtest.h>

#include "fixture.h"

namespace cw::analytics::detail {
namespace {

using testing::at;

const Calendar& paris() {
  static const Calendar cal = *Calendar::in_zone("Europe/Paris");
  return cal;
}

TEST(Grid, PicksTheCoarsestLevelThatGivesThePointsAskedFor) {
  const TimeMs t0 = at("2024-01-15T00:00:00Z");
  EXPECT_EQ(plan_grid(paris(), t0, t0 + 10 * kMinuteMs, 1000).level, Level::kRaw);
  EXPECT_EQ(plan_grid(paris(), t0, t0 + 1000 * kMinuteMs, 1000).level, Level::kMinute);
  EXPECT_EQ(plan_grid(paris(), t0, t0 + 1000 * kMinuteMs - 1, 1000).level, Level::kRaw);
  EXPECT_EQ(plan_grid(paris(), t0, t0 + 30 * kDayMs, 1000).level, Level::kMinute);
  EXPECT_EQ(plan_grid(paris(), t0, t0 + 365 * kDayMs, 1000).level, Level::kHour);
  EXPECT_EQ(plan_grid(paris(), t0, t0 + 1000 * kDayMs, 1000).level, Level::kDay);
}

TEST(Grid, KnownChartsHaveHandComputedSteps) {
  const TimeMs t0 = at("2024-01-01T00:00:00Z");
  Grid year = plan_grid(paris(), t0, t0 + 366 * kDayMs, 1000);  // 8784 h: 9 h per point
  EXPECT_EQ(year.step_ms, 9 * kHourMs);
  EXPECT_EQ(year.size(), 977u);  // 8784 / 9 = 976, plus the group the aligned origin adds
  Grid month = plan_grid(paris(), t0, t0 + 30 * kDayMs, 1000);  // 43200 min: 44 min per point
  EXPECT_EQ(month.step_ms, 44 * kMinuteMs);
  Grid day = plan_grid(paris(), t0, t0 + kDayMs, 1000);  // 1440 min: 2 min per point
  EXPECT_EQ(day.step_ms, 2 * kMinuteMs);
  EXPECT_EQ(day.size(), 720u);
  Grid hours10 = plan_grid(paris(), t0, t0 + 10 * kHourMs, 1000);  // raw, 36 s per point
  EXPECT_EQ(hours10.level, Level::kRaw);
  EXPECT_EQ(hours10.step_ms, 36 * kSecondMs);
  EXPECT_EQ(hours10.size(), 1000u);
}

TEST(Grid, PointCountStaysBetweenHalfAndAllOfMaxPoints) {
  const TimeMs t0 = at("2024-02-07T13:27:41.250Z");  // deliberately unaligned
  const TimeMs spans[] = {10 * kMinuteMs, kHourMs,     10 * kHourMs, kDayMs,        7 * kDayMs,
                          31 * kDayMs,    92 * kDayMs, 365 * kDayMs, 3653 * kDayMs, 12345678901};
  for (std::size_t max_points : {10u, 50u, 333u, 1000u, 10000u}) {
    for (TimeMs span : spans) {
      SCOPED_TRACE(::testing::Message() << "span " << span << " max " << max_points);
      const Grid g = plan_grid(paris(), t0, t0 + span, max_points);
      ASSERT_GE(g.edges.size(), 2u);
      EXPECT_LE(g.size(), max_points);
      if (span >= TimeMs(max_points)) {
        EXPECT_GE(g.size(), max_points / 2);
      }
      EXPECT_LE(g.edges.front(), t0);
      EXPECT_GE(g.edges.back(), t0 + span);
      EXPECT_GT(g.edges[1], t0);  // every group intersects the range
      EXPECT_LT(g.edges[g.size() - 1], t0 + span);
      for (std::size_t i = 1; i < g.edges.size(); ++i) ASSERT_LT(g.edges[i - 1], g.edges[i]);
    }
  }
}

TEST(Grid, EdgesAreStableWhenTheRangePans) {
  const TimeMs t0 = at("2024-05-03T08:13:00Z");
  const Grid a = plan_grid(paris(), t0, t0 + 7 * kDayMs, 500);
  const Grid b = plan_grid(paris(), t0 + 3 * kHourMs + 17, t0 + 7 * kDayMs + 3 * kHourMs + 17, 500);
  ASSERT_EQ(a.step_ms, b.step_ms);
  for (TimeMs e : b.edges) {
    if (e <= a.edges.back()) {
      EXPECT_TRUE(std::binary_search(a.edges.begin(), a.edges.end(), e)) << format_iso_utc(e);
    }
  }
}

TEST(Grid, DayGroupsFollowLocalMidnightsAcrossDst) {
  const TimeMs from = at("2024-01-01T00:00:00Z");
  const Grid g =
      plan_grid(paris(), from, at("2026-01-01T00:00:00Z"), 100);  // 731 days, 8 per point
  ASSERT_EQ(g.level, Level::kDay);
  EXPECT_EQ(g.step_ms, 8 * kDayMs);
  bool saw_short = false, saw_long = false;
  for (std::size_t i = 0; i < g.size(); ++i) {
    EXPECT_EQ(paris().floor(g.edges[i], Period::kDay), g.edges[i]);
    const TimeMs len = g.edges[i + 1] - g.edges[i];
    saw_short |= len == 8 * kDayMs - kHourMs;
    saw_long |= len == 8 * kDayMs + kHourMs;
    EXPECT_LE(std::abs(len - 8 * kDayMs), kHourMs);
  }
  EXPECT_TRUE(saw_short);
  EXPECT_TRUE(saw_long);
  for (std::int64_t d : {-1000, 0, 19723, 19813, 20000}) {
    EXPECT_EQ(local_day_index(paris(), local_day_start(paris(), d)), d);
  }
}

}  // namespace
}  // namespace cw::analytics::detail
