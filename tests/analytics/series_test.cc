#include "analytics/series.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numeric>

#include "exact_energy.h"
#include "fixture.h"

namespace cw::analytics {
namespace {

using testing::at;
using testing::SampleWriter;

std::int64_t mwh(double wh) {
  return std::llround(wh * 1000);
}

std::int64_t total_mwh(const Series& s) {
  std::int64_t sum = 0;
  for (const SeriesPoint& p : s.points) sum += mwh(p.energy_wh);
  return sum;
}

class QuerySeries : public testing::StoreTest {
 protected:
  Series query(TimeMs from, TimeMs to, std::size_t max_points) {
    auto r = query_series(*store_, calendar_, {sensor_, from, to, max_points});
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() ? *r : Series{};
  }

  // 1 Hz at 1000 W for an hour from t0, silent 2 h while the register moves 500 Wh, then 1 h
  // more at 1000 W.
  void write_gap_day() {
    SampleWriter w(t0_);
    w.constant(1000, kSecondMs, t0_ + kHourMs);
    w.after_gap(t0_ + 3 * kHourMs, 500, 1000);
    w.constant(1000, kSecondMs, t0_ + 4 * kHourMs);
    commit(w.samples());
  }

  const TimeMs t0_ = at("2024-01-15T00:00:00Z");
};

TEST_F(QuerySeries, HourPointsOfConstantPower) {
  SampleWriter w(t0_);
  w.constant(1000, kSecondMs, t0_ + 3 * kHourMs);
  commit(w.samples());

  Series s = query(t0_, t0_ + 3 * kHourMs, 3);
  EXPECT_EQ(s.level, Level::kHour);
  EXPECT_EQ(s.step_ms, kHourMs);
  ASSERT_EQ(s.points.size(), 3u);
  for (int h = 0; h < 3; ++h) {
    const SeriesPoint& p = s.points[h];
    EXPECT_EQ(p.start, t0_ + h * kHourMs);
    EXPECT_EQ(p.end, t0_ + (h + 1) * kHourMs);
    EXPECT_TRUE(p.has_data);
    EXPECT_DOUBLE_EQ(p.mean_w, 1000);
    EXPECT_EQ(p.min_w, 1000);
    EXPECT_EQ(p.max_w, 1000);
    EXPECT_EQ(mwh(p.energy_wh), 1000000);
    EXPECT_DOUBLE_EQ(p.coverage, 1.0);
    EXPECT_FALSE(p.estimated);
    EXPECT_EQ(p.count, 3600u);
  }

  Series minutes = query(t0_, t0_ + 3 * kHourMs, 180);
  EXPECT_EQ(minutes.level, Level::kMinute);
  ASSERT_EQ(minutes.points.size(), 180u);
  EXPECT_EQ(total_mwh(minutes), 3000000);
  for (const SeriesPoint& p : minutes.points) {
    EXPECT_NEAR(p.energy_wh, 1000.0 / 60, 1.0);  // the register counts whole Wh
    EXPECT_EQ(p.count, 60u);
  }
}

TEST_F(QuerySeries, GapPointsAreExplicitWithTheirEnergySpread) {
  write_gap_day();
  Series hours = query(t0_, t0_ + 4 * kHourMs, 4);
  ASSERT_EQ(hours.points.size(), 4u);
  const std::int64_t want[] = {1000000, 250000, 250000, 1000000};
  for (int h = 0; h < 4; ++h) {
    EXPECT_EQ(mwh(hours.points[h].energy_wh), want[h]) << h;
    EXPECT_EQ(hours.points[h].has_data, h == 0 || h == 3) << h;
    EXPECT_EQ(hours.points[h].estimated, h == 1 || h == 2) << h;
  }

  Series minutes = query(t0_, t0_ + 4 * kHourMs, 240);
  ASSERT_EQ(minutes.level, Level::kMinute);
  ASSERT_EQ(minutes.points.size(), 240u);
  std::int64_t in_gap = 0;
  for (std::size_t i = 60; i < 180; ++i) {
    const SeriesPoint& p = minutes.points[i];
    EXPECT_FALSE(p.has_data) << i;
    EXPECT_TRUE(p.estimated) << i;
    EXPECT_EQ(p.coverage, 0) << i;
    EXPECT_EQ(p.count, i == 60 ? 1u : 0u) << i;  // the last sample before the silence
    EXPECT_NEAR(p.energy_wh, 500.0 / 120, 0.001) << i;
    in_gap += mwh(p.energy_wh);
  }
  EXPECT_EQ(in_gap, 500000);
  EXPECT_EQ(total_mwh(minutes), 2500000);
}

TEST_F(QuerySeries, SilenceWithoutEnergyStillGivesEveryPoint) {
  SampleWriter w(t0_);
  w.constant(200, kSecondMs, t0_ + kHourMs);
  w.after_gap(t0_ + 5 * kHourMs, 0, 200);
  commit(w.samples());
  Series s = query(t0_ - kDayMs, t0_ + kDayMs, 48);  // hourly, mostly without any data
  ASSERT_EQ(s.points.size(), 48u);
  int with_data = 0;
  for (std::size_t i = 0; i < s.points.size(); ++i) {
    EXPECT_EQ(s.points[i].start, t0_ - kDayMs + TimeMs(i) * kHourMs);
    EXPECT_FALSE(s.points[i].estimated);
    with_data += s.points[i].has_data;
  }
  EXPECT_EQ(with_data, 1);
  EXPECT_EQ(total_mwh(s), 200000);
}

TEST_F(QuerySeries, RawPointsAreTheSamples) {
  write_gap_day();
  Series s = query(t0_ + 10 * kMinuteMs, t0_ + 20 * kMinuteMs, 1000);
  EXPECT_EQ(s.level, Level::kRaw);
  EXPECT_EQ(s.step_ms, kSecondMs);
  ASSERT_EQ(s.points.size(), 600u);
  for (std::size_t i = 0; i < s.points.size(); ++i) {
    const SeriesPoint& p = s.points[i];
    EXPECT_EQ(p.end, t0_ + 10 * kMinuteMs + TimeMs(i) * kSecondMs);
    EXPECT_EQ(p.end - p.start, kSecondMs);
    EXPECT_TRUE(p.has_data);
    EXPECT_EQ(p.mean_w, 1000);
    EXPECT_EQ(p.count, 1u);
  }
  // Energy from the register: 1000 W over 600 s, counted from the sample before the range.
  EXPECT_EQ(total_mwh(s), 1000LL * (1000 * 1200 / 3600 - 1000 * 599 / 3600));
}

TEST_F(QuerySeries, RawRangeAcrossAGapEndsWithAnEstimatedGapPoint) {
  write_gap_day();
  const TimeMs gap_start = t0_ + kHourMs;  // the last sample before the silence
  Series s = query(gap_start - 10 * kSecondMs, gap_start + 10 * kSecondMs, 1000);
  ASSERT_EQ(s.points.size(), 12u);  // samples at -10 .. 0 s, then the silence
  const SeriesPoint& gap = s.points.back();
  EXPECT_FALSE(gap.has_data);
  EXPECT_TRUE(gap.estimated);
  EXPECT_EQ(gap.start, gap_start);
  EXPECT_EQ(gap.end, gap_start + 10 * kSecondMs);
  EXPECT_EQ(mwh(gap.energy_wh), 694);  // 500 Wh * 10 s / 7200 s

  Series inside = query(t0_ + 2 * kHourMs, t0_ + 2 * kHourMs + 10 * kMinuteMs, 1000);
  ASSERT_EQ(inside.points.size(), 1u);
  EXPECT_FALSE(inside.points[0].has_data);
  EXPECT_EQ(mwh(inside.points[0].energy_wh), 41667);  // 500 Wh * 600 s / 7200 s

  const TimeMs back = t0_ + 3 * kHourMs;  // the first sample after the silence
  Series after = query(back - 10 * kSecondMs, back + 10 * kSecondMs, 1000);
  ASSERT_EQ(after.points.size(), 11u);  // the silence, then samples at 0 .. 9 s
  EXPECT_FALSE(after.points[0].has_data);
  EXPECT_EQ(mwh(after.points[0].energy_wh), 694);
  EXPECT_EQ(after.points[1].start, back);  // the sample that ends a gap covers no time
  EXPECT_EQ(after.points[1].end, back);
  EXPECT_TRUE(after.points[1].has_data);
  EXPECT_EQ(after.points[2].end - after.points[2].start, kSecondMs);
}

// Where samples are too many for one point each, raw samples are grouped with the store's
// rollup rules: on a minute-wide grid they must equal the minute rollups field by field.
TEST_F(QuerySeries, GroupedRawSamplesEqualTheMinuteRollups) {
  std::mt19937 rng(7);
  SampleWriter w(t0_);
  while (w.t() < t0_ + 10 * kHourMs) {
    if (rng() % 3000 == 0)
      w.after_gap(w.t() + TimeMs(150 + rng() % 900) * kSecondMs, rng() % 90, 3);
    w.advance(TimeMs(300 + rng() % 1700), std::int32_t(rng() % 4000));
  }
  commit(w.samples());
  const TimeMs from = t0_ + 17 * kMinuteMs;
  const TimeMs to = from + 9 * kHourMs;
  Series minutes = query(from, to, 540);
  Series raw = query(from, to, 541);
  ASSERT_EQ(minutes.level, Level::kMinute);
  ASSERT_EQ(raw.level, Level::kRaw);
  EXPECT_EQ(raw.step_ms, kMinuteMs);
  ASSERT_EQ(raw.points.size(), minutes.points.size());
  int gaps = 0;
  for (std::size_t i = 0; i < raw.points.size(); ++i) {
    const SeriesPoint& a = raw.points[i];
    const SeriesPoint& b = minutes.points[i];
    SCOPED_TRACE(format_iso_utc(b.start));
    EXPECT_EQ(a.start, b.start);
    EXPECT_EQ(a.end, b.end);
    EXPECT_EQ(a.has_data, b.has_data);
    EXPECT_EQ(a.count, b.count);
    EXPECT_EQ(a.min_w, b.min_w);
    EXPECT_EQ(a.max_w, b.max_w);
    EXPECT_DOUBLE_EQ(a.mean_w, b.mean_w);
    EXPECT_DOUBLE_EQ(a.coverage, b.coverage);
    EXPECT_EQ(mwh(a.energy_wh), mwh(b.energy_wh));
    EXPECT_EQ(a.estimated, b.estimated);
    gaps += !b.has_data;
  }
  EXPECT_GT(gaps, 0) << "the data should hold silences";
  const auto& s = w.samples();
  EXPECT_EQ(total_mwh(raw), testing::register_mwh(s, to) - testing::register_mwh(s, from));
}

TEST_F(QuerySeries, EveryGroupIsAPointAndRepeatsIdentically) {
  write_gap_day();
  for (std::size_t max_points : {7u, 100u, 1000u, 10000u}) {
    for (TimeMs span : {kHourMs, 5 * kHourMs, kDayMs, 30 * kDayMs, 400 * kDayMs}) {
      SCOPED_TRACE(::testing::Message() << max_points << " points over " << span << " ms");
      const TimeMs from = t0_ - span / 3 + 12345;
      Series a = query(from, from + span, max_points);
      Series b = query(from, from + span, max_points);
      ASSERT_FALSE(a.points.empty());
      EXPECT_LE(a.points.size(), max_points);
      if (a.level != Level::kRaw) {
        EXPECT_GE(a.points.size(), max_points / 2);
        EXPECT_LE(a.points.front().start, from);
        EXPECT_GE(a.points.back().end, from + span);
        for (std::size_t i = 1; i < a.points.size(); ++i) {
          ASSERT_EQ(a.points[i].start, a.points[i - 1].end);
        }
      }
      ASSERT_EQ(a.points.size(), b.points.size());
      for (std::size_t i = 0; i < a.points.size(); ++i) {
        EXPECT_EQ(a.points[i].start, b.points[i].start);
        EXPECT_EQ(a.points[i].energy_wh, b.points[i].energy_wh);
      }
    }
  }
}

TEST_F(QuerySeries, DayPointsSpanLocalDays) {
  SampleWriter w(at("2024-03-25T00:00:00Z"));
  w.constant(100, kMinuteMs, at("2024-04-05T00:00:00Z"));
  commit(w.samples());
  const TimeMs from = at("2023-06-01T00:00:00Z");
  Series s = query(from, at("2025-06-01T00:00:00Z"), 200);  // 731 days: 4 per point
  ASSERT_EQ(s.level, Level::kDay);
  EXPECT_EQ(s.step_ms, 4 * kDayMs);
  std::int64_t total = 0;
  for (const SeriesPoint& p : s.points) {
    EXPECT_EQ(calendar_.floor(p.start, Period::kDay), p.start);
    total += mwh(p.energy_wh);
  }
  const auto& samples = w.samples();
  EXPECT_EQ(total, (samples.back().energy_wh - samples.front().energy_wh) * 1000);
}

TEST_F(QuerySeries, RefusesBadQueries) {
  auto code = [&](SeriesQuery q) {
    auto r = query_series(*store_, calendar_, q);
    return r.is_ok() ? Code::kOk : r.status().code();
  };
  EXPECT_EQ(code({sensor_, t0_, t0_, 100}), Code::kInvalidArgument);
  EXPECT_EQ(code({sensor_, t0_, t0_ - 1, 100}), Code::kInvalidArgument);
  EXPECT_EQ(code({sensor_, t0_, t0_ + kDayMs, 0}), Code::kInvalidArgument);
  EXPECT_EQ(code({sensor_, t0_, t0_ + kDayMs, 10001}), Code::kInvalidArgument);
  EXPECT_EQ(code({sensor_, t0_, t0_ + kDayMs, 10000}), Code::kOk);
  EXPECT_EQ(code({SensorId(sensor_ + 1), t0_, t0_ + kDayMs, 100}), Code::kNotFound);
  EXPECT_EQ(code({sensor_, 0, std::numeric_limits<TimeMs>::max(), 1000}), Code::kInvalidArgument);
  EXPECT_EQ(code({sensor_, std::numeric_limits<TimeMs>::min(), 0, 1000}), Code::kInvalidArgument);
  EXPECT_EQ(code({sensor_, at("1900-01-01"), at("9999-12-31"), 10000}), Code::kOk);
}

class QuerySeriesKolkata : public QuerySeries {
 protected:
  QuerySeriesKolkata() { calendar_ = *Calendar::in_zone("Asia/Kolkata"); }
};

TEST_F(QuerySeriesKolkata, HourPointsFollowTheHalfHourShiftedLocalHours) {
  SampleWriter w(at("2024-01-01T00:00:00Z"));
  w.constant(1000, 10 * kSecondMs, at("2024-01-04T00:00:00Z"));
  commit(w.samples());
  // 06:00 local to 06:00 local: 24 local hours, which start at :30 UTC.
  Series s = query(at("2024-01-02T00:30:00Z"), at("2024-01-03T00:30:00Z"), 24);
  ASSERT_EQ(s.level, Level::kHour);
  ASSERT_EQ(s.points.size(), 24u);
  for (const SeriesPoint& p : s.points) {
    EXPECT_EQ(p.start % kHourMs, 30 * kMinuteMs) << format_iso_utc(p.start);
    EXPECT_EQ(mwh(p.energy_wh), 1000000) << format_iso_utc(p.start);
    EXPECT_DOUBLE_EQ(p.coverage, 1.0);
  }
}

}  // namespace
}  // namespace cw::analytics
