#include "analytics/energy.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "exact_energy.h"
#include "fixture.h"

namespace cw::analytics {
namespace {

using testing::at;
using testing::SampleWriter;

std::int64_t mwh(double wh) {
  return std::llround(wh * 1000);
}

class EnergyBy : public testing::StoreTest {
 protected:
  std::vector<EnergyBucket> by(TimeMs from, TimeMs to, Period p) {
    auto r = energy_by(*store_, calendar_, sensor_, from, to, p);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() ? *r : std::vector<EnergyBucket>{};
  }
};

TEST_F(EnergyBy, ThreeHoursOfOneKilowattGiveOneKwhPerHour) {
  const TimeMs t0 = at("2024-01-15T00:00:00Z");
  SampleWriter w(t0);
  w.constant(1000, kSecondMs, t0 + 3 * kHourMs);
  commit(w.samples());

  auto hours = by(t0, t0 + 3 * kHourMs, Period::kHour);
  ASSERT_EQ(hours.size(), 3u);
  for (int h = 0; h < 3; ++h) {
    EXPECT_EQ(hours[h].start, t0 + h * kHourMs);
    EXPECT_EQ(hours[h].end, t0 + (h + 1) * kHourMs);
    EXPECT_EQ(mwh(hours[h].energy_wh), 1000000) << h;
    EXPECT_DOUBLE_EQ(hours[h].coverage, 1.0);
    EXPECT_FALSE(hours[h].estimated);
  }
  // The local (Paris, winter) day runs from 23:00 UTC the day before.
  auto days = by(t0, t0 + 3 * kHourMs, Period::kDay);
  ASSERT_EQ(days.size(), 1u);
  EXPECT_EQ(days[0].start, at("2024-01-14T23:00:00Z"));
  EXPECT_EQ(days[0].end, at("2024-01-15T23:00:00Z"));
  EXPECT_EQ(mwh(days[0].energy_wh), 3000000);
  EXPECT_DOUBLE_EQ(days[0].coverage, 3.0 / 24.0);
}

TEST_F(EnergyBy, GapSpreadsTheRegisterStepAndIsMarkedEstimated) {
  const TimeMs t0 = at("2024-01-15T00:00:00Z");
  SampleWriter w(t0);
  w.constant(1000, kSecondMs, t0 + kHourMs);
  w.after_gap(t0 + 3 * kHourMs, 500, 1000);  // radio silent 2 h; the register moved 500 Wh
  w.constant(1000, kSecondMs, t0 + 4 * kHourMs);
  commit(w.samples());

  auto hours = by(t0, t0 + 4 * kHourMs, Period::kHour);
  ASSERT_EQ(hours.size(), 4u);
  const std::int64_t want[] = {1000000, 250000, 250000, 1000000};
  const bool est[] = {false, true, true, false};
  const double cov[] = {1, 0, 0, 1};
  for (int h = 0; h < 4; ++h) {
    EXPECT_EQ(mwh(hours[h].energy_wh), want[h]) << h;
    EXPECT_EQ(hours[h].estimated, est[h]) << h;
    EXPECT_DOUBLE_EQ(hours[h].coverage, cov[h]) << h;
  }
  auto day = by(t0, t0 + 4 * kHourMs, Period::kDay);
  ASSERT_EQ(day.size(), 1u);
  EXPECT_EQ(mwh(day[0].energy_wh), 2500000);  // still exact in total
  EXPECT_TRUE(day[0].estimated);
}

class EnergyDst : public EnergyBy {
 protected:
  // 1000 W every 10 s around the local day containing `day`, which must last `hours` hours.
  void run(const char* data_from, const char* data_to, const char* day, std::size_t hours) {
    SampleWriter w(at(data_from));
    w.constant(1000, 10 * kSecondMs, at(data_to));
    commit(w.samples());
    const TimeMs start = calendar_.floor(at(day), Period::kDay);
    const TimeMs end = calendar_.next(at(day), Period::kDay);
    auto hourly = by(start, end, Period::kHour);
    ASSERT_EQ(hourly.size(), hours);
    for (std::size_t h = 0; h < hourly.size(); ++h) {
      EXPECT_EQ(hourly[h].start, start + TimeMs(h) * kHourMs);  // distinct, even when repeated
      EXPECT_EQ(mwh(hourly[h].energy_wh), 1000000) << h;
    }
    auto daily = by(start, end, Period::kDay);
    ASSERT_EQ(daily.size(), 1u);
    EXPECT_EQ(daily[0].end - daily[0].start, TimeMs(hours) * kHourMs);
    EXPECT_EQ(mwh(daily[0].energy_wh), std::int64_t(hours) * 1000000);
    EXPECT_DOUBLE_EQ(daily[0].coverage, 1.0);
  }
};

TEST_F(EnergyDst, SpringForwardDayHas23HourlyBuckets) {
  run("2024-03-30T12:00:00Z", "2024-04-01T00:00:00Z", "2024-03-31T12:00:00Z", 23);
}

TEST_F(EnergyDst, FallBackDayHas25HourlyBuckets) {
  run("2024-10-26T12:00:00Z", "2024-10-28T00:00:00Z", "2024-10-27T12:00:00Z", 25);
}

TEST_F(EnergyBy, MonthsFollowTheLocalCalendar) {
  // 100 W from local 2024-01-01 00:00 to 2024-04-01 00:00 (Paris): Jan 744 h, Feb 696 h (leap
  // year), Mar 743 h (spring forward).
  SampleWriter w(at("2023-12-31T23:00:00Z"));
  w.constant(100, kMinuteMs, at("2024-03-31T22:00:00Z"));
  commit(w.samples());
  auto months = by(at("2024-01-20T00:00:00Z"), at("2024-03-02T00:00:00Z"), Period::kMonth);
  ASSERT_EQ(months.size(), 3u);  // every month the range touches, whole
  EXPECT_EQ(months[0].start, at("2023-12-31T23:00:00Z"));
  EXPECT_EQ(months[1].start, at("2024-01-31T23:00:00Z"));
  EXPECT_EQ(months[2].start, at("2024-02-29T23:00:00Z"));
  EXPECT_EQ(months[2].end, at("2024-03-31T22:00:00Z"));
  EXPECT_EQ(mwh(months[0].energy_wh), 74400000);
  EXPECT_EQ(mwh(months[1].energy_wh), 69600000);
  EXPECT_EQ(mwh(months[2].energy_wh), 74300000);
  for (const auto& m : months) EXPECT_DOUBLE_EQ(m.coverage, 1.0);

  auto later = by(at("2024-04-01T00:00:00Z"), at("2024-06-01T00:00:00Z"), Period::kMonth);
  ASSERT_EQ(later.size(), 3u);  // April, May, and June (1 Jun 00:00 UTC is 02:00 local)
  for (const auto& m : later) {
    EXPECT_EQ(m.energy_wh, 0);
    EXPECT_EQ(m.coverage, 0);
    EXPECT_FALSE(m.estimated);
  }
}

// Random 0.2..5 s sampling, random power and silences with register steps, across a DST night:
// the buckets add up to the register difference to the mWh at every period, and each bucket
// matches the register at its edges and the time covered, computed straight from the samples.
class EnergyRandom : public EnergyBy {
 protected:
  void run(const char* from_iso, const char* to_iso, unsigned seed) {
    std::mt19937 rng(seed);
    SampleWriter w(at(from_iso));
    std::int32_t power = 500;
    while (w.t() < at(to_iso)) {
      if (rng() % 5000 == 0) {  // a silence of 3 to 90 minutes, the register moving meanwhile
        w.after_gap(w.t() + TimeMs(3 + rng() % 88) * kMinuteMs, rng() % 3000, power);
        continue;
      }
      if (rng() % 200 == 0) power = std::int32_t(rng() % 6000);
      w.advance(TimeMs(200 + rng() % 4800), power);
    }
    const std::vector<Sample>& s = w.samples();
    commit(s);
    const TimeMs max_gap = store::Sensor{}.max_gap_ms;
    std::size_t estimated = 0;

    for (Period p : {Period::kHour, Period::kDay, Period::kMonth}) {
      auto buckets = by(s.front().t, s.back().t + 1, p);
      ASSERT_FALSE(buckets.empty());
      std::int64_t total = 0;
      for (const EnergyBucket& b : buckets) {
        const std::int64_t e = mwh(b.energy_wh);
        ASSERT_GE(e, 0) << "negative bucket at " << format_iso_utc(b.start);
        EXPECT_EQ(
            e, testing::register_mwh_clamped(s, b.end) - testing::register_mwh_clamped(s, b.start))
            << format_iso_utc(b.start);
        EXPECT_DOUBLE_EQ(b.coverage, double(testing::covered_ms(s, max_gap, b.start, b.end)) /
                                         double(b.end - b.start))
            << format_iso_utc(b.start);
        EXPECT_EQ(b.estimated, testing::gap_mwh(s, max_gap, b.start, b.end) > 0)
            << format_iso_utc(b.start);
        total += e;
      }
      EXPECT_EQ(total, (s.back().energy_wh - s.front().energy_wh) * 1000);
      estimated += std::count_if(buckets.begin(), buckets.end(),
                                 [](const EnergyBucket& b) { return b.estimated; });
    }
    EXPECT_GT(estimated, 0u) << "the random data should hold silences with energy";
  }
};

TEST_F(EnergyRandom, SpringForwardNightAddsUpToTheMwh) {
  run("2024-03-30T09:17:00Z", "2024-04-01T03:00:00Z", 1);
}

TEST_F(EnergyRandom, FallBackNightAddsUpToTheMwh) {
  run("2024-10-26T21:43:10Z", "2024-10-28T02:00:00Z", 2);
}

class EnergyKolkata : public EnergyBy {
 protected:
  EnergyKolkata() { calendar_ = *Calendar::in_zone("Asia/Kolkata"); }
};

TEST_F(EnergyKolkata, HalfHourOffsetDaysAreExactFromMinuteRollups) {
  SampleWriter w(at("2024-01-01T00:00:00Z"));
  w.constant(1000, 10 * kSecondMs, at("2024-01-03T00:00:00Z"));
  commit(w.samples());
  auto days = by(at("2024-01-01T12:00:00Z"), at("2024-01-01T18:00:00Z"), Period::kDay);
  ASSERT_EQ(days.size(), 1u);  // local 2024-01-01 runs from 18:30 UTC the day before
  EXPECT_EQ(days[0].start, at("2023-12-31T18:30:00Z"));
  EXPECT_EQ(mwh(days[0].energy_wh), 18500000);  // data starts at 05:30 local
  auto hours = by(at("2024-01-01T12:00:00Z"), at("2024-01-01T15:00:00Z"), Period::kHour);
  ASSERT_EQ(hours.size(), 4u);  // 11:30, 12:30, 13:30, 14:30 UTC
  EXPECT_EQ(hours[0].start, at("2024-01-01T11:30:00Z"));
  for (const auto& h : hours) EXPECT_EQ(mwh(h.energy_wh), 1000000);
}

TEST_F(EnergyBy, RefusesBadQueries) {
  const TimeMs t0 = at("2024-01-15T00:00:00Z");
  auto code = [&](SensorId id, TimeMs from, TimeMs to, Period p) {
    auto r = energy_by(*store_, calendar_, id, from, to, p);
    return r.is_ok() ? Code::kOk : r.status().code();
  };
  EXPECT_EQ(code(sensor_, t0, t0 + kDayMs, Period::kWeek), Code::kInvalidArgument);
  EXPECT_EQ(code(sensor_, t0, t0 + kDayMs, Period::kYear), Code::kInvalidArgument);
  EXPECT_EQ(code(sensor_, t0, t0, Period::kHour), Code::kInvalidArgument);
  EXPECT_EQ(code(sensor_, t0 + 1, t0, Period::kHour), Code::kInvalidArgument);
  EXPECT_EQ(code(sensor_, t0, t0 + 10001 * kHourMs, Period::kHour), Code::kInvalidArgument);
  EXPECT_EQ(code(sensor_, t0, t0 + 10000 * kHourMs, Period::kHour), Code::kOk);
  EXPECT_EQ(code(SensorId(sensor_ + 1), t0, t0 + kDayMs, Period::kDay), Code::kNotFound);
  EXPECT_EQ(code(sensor_, std::numeric_limits<TimeMs>::min(), t0, Period::kMonth),
            Code::kInvalidArgument);
  EXPECT_EQ(code(sensor_, t0, std::numeric_limits<TimeMs>::max(), Period::kMonth),
            Code::kInvalidArgument);
}

}  // namespace
}  // namespace cw::analytics
