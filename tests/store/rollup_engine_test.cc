#include "store/rollup_engine.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "core/time.h"

namespace cw::store {
namespace {

constexpr TimeMs kT0 = 1704067200000;  // 2024-01-01T00:00:00Z, a Monday, a minute/hour/day edge

// Runs samples through the engine; returns every bucket (closed, then the open ones) by level.
std::map<Level, std::vector<Rollup>> fold(const RollupEngine& e, const std::vector<Sample>& ss,
                                          TimeMs max_gap = 120000) {
  RollupState st;
  std::vector<LevelRollup> out;
  for (const Sample& s : ss) e.add(st, max_gap, s, &out);
  for (const auto& o : e.open_buckets(st)) out.push_back(o);
  std::map<Level, std::vector<Rollup>> by;
  for (const auto& lr : out) by[lr.level].push_back(lr.bucket);
  return by;
}

TEST(RollupEngine, SplitsCoverageAndEnergyAtMinuteEdge) {
  RollupEngine e(Calendar::utc());
  // 30 s before the edge at 100 W, then a sample 30 s after it at 200 W: that 60 s interval is
  // covered and held at 200 W; energy rises 10 Wh over it, 5 Wh each side of the edge.
  auto by = fold(e, {{kT0 + 30000, 1, 100, 1000}, {kT0 + 90000, 2, 200, 1010}});
  const auto& m = by[Level::kMinute];
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0], (Rollup{kT0, kT0 + 60000, 1, 100, 100, 200 * 30000, 30000, 5000, 0}));
  EXPECT_EQ(m[1], (Rollup{kT0 + 60000, kT0 + 120000, 1, 200, 200, 200 * 30000, 30000, 5000, 0}));
  const auto& h = by[Level::kHour];
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0], (Rollup{kT0, kT0 + kHourMs, 2, 100, 200, 200 * 60000, 60000, 10000, 0}));
  EXPECT_DOUBLE_EQ(h[0].mean_w(), 200.0);
}

TEST(RollupEngine, SampleOnAnEdgeBelongsToTheNextBucket) {
  RollupEngine e(Calendar::utc());
  auto by = fold(e, {{kT0 + 40000, 1, 10, 0}, {kT0 + 60000, 2, 20, 3}});
  const auto& m = by[Level::kMinute];
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0], (Rollup{kT0, kT0 + 60000, 1, 10, 10, 20 * 20000, 20000, 3000, 0}));
  EXPECT_EQ(m[1], (Rollup{kT0 + 60000, kT0 + 120000, 1, 20, 20, 0, 0, 0, 0}));
}

TEST(RollupEngine, GapSpreadsEnergyWithoutCoverage) {
  RollupEngine e(Calendar::utc());
  // 5 minutes of silence (max gap 2 min) during which the register rose 50 Wh: 10 Wh a minute.
  auto by = fold(e, {{kT0, 1, 100, 0}, {kT0 + 300000, 2, 100, 50}});
  const auto& m = by[Level::kMinute];
  ASSERT_EQ(m.size(), 6u);  // 5 gap minutes (first with the first sample) + the open one
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(m[i].energy_mwh, 10000) << i;
    EXPECT_EQ(m[i].gap_energy_mwh, 10000) << i;
    EXPECT_EQ(m[i].covered_ms, 0) << i;
    EXPECT_EQ(m[i].count, i == 0 ? 1u : 0u) << i;
  }
  EXPECT_EQ(m[5].count, 1u);
  EXPECT_EQ(m[5].energy_mwh, 0);
  // With no energy across the gap, the empty minutes get no record at all.
  auto flat = fold(e, {{kT0, 1, 0, 7}, {kT0 + 300000, 2, 0, 7}});
  EXPECT_EQ(flat[Level::kMinute].size(), 2u);
}

TEST(RollupEngine, InterpolationRoundsAndTelescopes) {
  // 1 Wh over 3 minutes: edges at 333.33 and 666.67 mWh round to 333 and 667.
  Sample p{kT0, 1, 20, 0}, s{kT0 + 180000, 2, 20, 1};
  EXPECT_EQ(interpolate_mwh(p, s, kT0 + 60000), 333);
  EXPECT_EQ(interpolate_mwh(p, s, kT0 + 120000), 667);
  RollupEngine e(Calendar::utc());
  auto by = fold(e, {p, s}, 600000);
  const auto& m = by[Level::kMinute];
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(m[0].energy_mwh, 333);
  EXPECT_EQ(m[1].energy_mwh, 334);
  EXPECT_EQ(m[2].energy_mwh, 333);
  EXPECT_EQ(m[0].gap_energy_mwh, 0);  // within max_gap: covered, not a gap
}

TEST(RollupEngine, ParisDaysLast23And25HoursAcrossDst) {
  auto paris = Calendar::in_zone("Europe/Paris");
  ASSERT_TRUE(paris);
  RollupEngine e(*paris);
  auto at = [](const char* iso) { return *parse_instant(iso); };
  Rollup spring = e.bucket_at(Level::kDay, at("2024-03-31T12:00:00Z"));
  EXPECT_EQ(spring.start, at("2024-03-30T23:00:00Z"));
  EXPECT_EQ(spring.end - spring.start, 23 * kHourMs);
  Rollup autumn = e.bucket_at(Level::kDay, at("2024-10-27T12:00:00Z"));
  EXPECT_EQ(autumn.start, at("2024-10-26T22:00:00Z"));
  EXPECT_EQ(autumn.end - autumn.start, 25 * kHourMs);

  // A steady 1 kW load, one sample a minute for three days around the autumn change: 1 kWh per
  // hour, so each local day holds 24, 25 and 24 kWh and is fully covered.
  std::vector<Sample> ss;
  const TimeMs from = at("2024-10-25T22:00:00Z");  // local midnight, 26 Oct
  for (TimeMs t = from, i = 0; t <= from + 73 * kHourMs; t += kMinuteMs, ++i) {
    ss.push_back({t, std::uint32_t(i), 1000, 1000 * i / 60});
  }
  auto by = fold(e, ss);
  const auto& d = by[Level::kDay];
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d[0].start, from);
  EXPECT_EQ(d[0].energy_mwh, 24000000);
  EXPECT_EQ(d[1].energy_mwh, 25000000);
  EXPECT_EQ(d[1].covered_ms, 25 * kHourMs);
  EXPECT_EQ(d[1].count, 25u * 60);
  EXPECT_EQ(d[2].energy_mwh, 24000000);
  EXPECT_EQ(by[Level::kHour].size(), 74u);
}

TEST(RollupEngine, BucketsTelescopeToRegisterDifferenceOnRandomData) {
  auto paris = Calendar::in_zone("Europe/Paris");
  ASSERT_TRUE(paris);
  RollupEngine e(*paris);
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 8; ++trial) {
    std::vector<Sample> ss;
    TimeMs t = kT0 + TimeMs(rng() % (400 * kDayMs));
    std::int64_t en = std::int64_t(rng() % 100000);
    for (int i = 0; i < 3000; ++i) {
      // Mostly short steps, sometimes long gaps (up to two days).
      t += rng() % 10 == 0 ? 1 + TimeMs(rng() % (2 * kDayMs)) : 1 + TimeMs(rng() % 90000);
      en += std::int64_t(rng() % 50);
      ss.push_back({t, std::uint32_t(i), std::int32_t(rng() % 5000), en});
    }
    auto by = fold(e, ss);
    for (Level l : kRollupLevels) {
      std::int64_t sum = 0, covered = 0;
      std::uint64_t count = 0;
      TimeMs prev_end = INT64_MIN;
      for (const Rollup& r : by[l]) {
        sum += r.energy_mwh;
        covered += r.covered_ms;
        count += r.count;
        EXPECT_GE(r.start, prev_end);  // in order, disjoint
        EXPECT_LE(r.covered_ms, r.end - r.start);
        EXPECT_LE(r.gap_energy_mwh, r.energy_mwh);
        prev_end = r.end;
      }
      EXPECT_EQ(sum, (ss.back().energy_wh - ss.front().energy_wh) * 1000) << level_name(l);
      EXPECT_EQ(count, ss.size()) << level_name(l);
      TimeMs want_covered = 0;
      for (std::size_t i = 1; i < ss.size(); ++i) {
        if (ss[i].t - ss[i - 1].t <= 120000) want_covered += ss[i].t - ss[i - 1].t;
      }
      EXPECT_EQ(covered, want_covered) << level_name(l);
    }
  }
}

}  // namespace
}  // namespace cw::store
