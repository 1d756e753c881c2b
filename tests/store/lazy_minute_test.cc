// Minute rollups are folded from raw samples while those exist and stored when retention drops
// them (docs/storage.md, "Minute rollups"): reads must equal a reference fold of every sample.
#include <gtest/gtest.h>

#include <random>

#include "store/rollup_engine.h"
#include "store/store.h"
#include "store_test_util.h"

namespace cw::store {
namespace {

using testing::TempDir;

constexpr TimeMs kT0 = 1711749600000;  // 2024-03-29T22:00:00Z: Paris springs forward on 03-31
constexpr TimeMs kMaxGap = 120 * kSecondMs;

// Irregular samples over ~4 days: steps of 1..90 s, sometimes a silence of up to 5 hours,
// energy jumping across silences as a meter that kept counting would.
std::vector<Sample> random_samples(std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<Sample> out;
  TimeMs t = kT0 + rng() % 60000;
  std::int64_t e = 1000;
  std::int32_t p = 400;
  for (std::uint32_t c = 1; t < kT0 + 4 * kDayMs; ++c) {
    out.push_back({t, c, p, e});
    const TimeMs step = rng() % 200 == 0 ? TimeMs(rng() % (5 * kHourMs)) + 1 : 1000 + rng() % 90000;
    p = std::max(0, p + std::int32_t(rng() % 201) - 100);
    e += std::int64_t(p) * step / 3600000 + (rng() % 3 == 0 ? 1 : 0);
    t += step;
  }
  return out;
}

// The reference: every minute bucket a single RollupEngine fold of all samples produces.
std::vector<Rollup> reference_minutes(const Calendar& cal, const std::vector<Sample>& samples) {
  RollupEngine engine(cal);
  RollupState st;
  std::vector<LevelRollup> closed;
  for (const Sample& s : samples) engine.add(st, kMaxGap, s, &closed);
  std::vector<Rollup> out;
  for (const LevelRollup& c : closed) {
    if (c.level == Level::kMinute) out.push_back(c.bucket);
  }
  out.push_back(st.open[level_index(Level::kMinute)]);
  return out;
}

std::vector<Rollup> window(const std::vector<Rollup>& all, TimeMs from, TimeMs to) {
  std::vector<Rollup> out;
  for (const Rollup& r : all) {
    if (r.start >= from && r.start < to) out.push_back(r);
  }
  return out;
}

class LazyMinuteTest : public ::testing::Test {
 protected:
  std::unique_ptr<Store> open() {
    SqliteOptions o;
    o.block_samples = 128;  // many blocks, so seeds and cuts fall inside and between blocks
    auto st = open_sqlite_store(dir_.file("store.db"), cal_, o);
    EXPECT_TRUE(st) << st.status().message();
    return std::move(*st);
  }

  // Commits samples in random batches (so heads, flushes and compactions all happen).
  void ingest(Store& st, std::span<const Sample> samples, std::mt19937& rng) {
    while (!samples.empty()) {
      const std::size_t n = std::min<std::size_t>(samples.size(), 1 + rng() % 700);
      CommitBatch b;
      b.sensors.push_back({1, {samples.begin(), samples.begin() + n}, {}});
      ASSERT_TRUE(st.commit(b).is_ok());
      samples = samples.subspan(n);
    }
  }

  // Many random windows, and the whole range, read from the store equal the reference.
  void expect_windows(Store& st, const std::vector<Rollup>& ref, std::mt19937& rng) {
    auto all = st.rollups(1, Level::kMinute, INT64_MIN, INT64_MAX);
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), ref.size());
    EXPECT_EQ(*all, ref);
    for (int k = 0; k < 150; ++k) {
      const TimeMs a = kT0 - kHourMs + TimeMs(rng() % (5 * kDayMs));
      const TimeMs b = a + TimeMs(rng() % (k % 3 == 0 ? 2 * kDayMs : 3 * kHourMs));
      auto got = st.rollups(1, Level::kMinute, a, b);
      ASSERT_TRUE(got);
      ASSERT_EQ(*got, window(ref, a, b)) << "window [" << a << ", " << b << ")";
    }
  }

  TempDir dir_;
  Calendar cal_ = *Calendar::in_zone("Europe/Paris");
};

TEST_F(LazyMinuteTest, ReadsEqualReferenceAcrossRetentionAndRestart) {
  for (std::uint32_t seed : {1u, 2u, 3u}) {
    SCOPED_TRACE(seed);
    std::filesystem::remove_all(dir_.path());
    std::filesystem::create_directories(dir_.path());
    std::mt19937 rng(seed);
    const auto samples = random_samples(seed);
    const auto ref = reference_minutes(cal_, samples);
    const std::size_t half = samples.size() / 2;
    auto st = open();
    ASSERT_TRUE(st->add_sensor({.name = "a", .id = 1, .max_gap_ms = kMaxGap}));
    ingest(*st, std::span(samples).first(half), rng);
    auto hours = st->rollups(1, Level::kHour, INT64_MIN, INT64_MAX);
    // Retention cut in the middle of what is stored, then more data and a restart.
    RetentionPolicy keep{.raw_keep_ms = kDayMs};
    ASSERT_TRUE(st->enforce_retention(samples[half / 2].t + kDayMs, keep).is_ok());
    ASSERT_LT(samples.front().t, st->stats()->oldest_raw)
        << samples.size() << " samples, " << st->stats()->raw_blocks << " blocks";
    ingest(*st, std::span(samples).subspan(half), rng);
    expect_windows(*st, ref, rng);
    EXPECT_EQ(*st->rollups(1, Level::kHour, INT64_MIN, samples[half - 1].t - kHourMs),
              window(*hours, INT64_MIN, samples[half - 1].t - kHourMs));
    st.reset();
    st = open();
    ASSERT_TRUE(st->enforce_retention(samples[3 * half / 2].t + kDayMs, keep).is_ok());
    expect_windows(*st, ref, rng);
    // Everything raw goes; every minute is then stored, and ingest continues after it.
    ASSERT_TRUE(st->enforce_retention(samples.back().t + 10 * kDayMs, keep).is_ok());
    ASSERT_EQ(st->stats()->raw_samples, 0u);
    expect_windows(*st, ref, rng);
  }
}

TEST_F(LazyMinuteTest, IngestAfterAllRawDroppedKeepsGapBuckets) {
  std::mt19937 rng(7);
  auto samples = random_samples(7);
  const std::size_t cut = samples.size() / 3;
  auto st = open();
  ASSERT_TRUE(st->add_sensor({.name = "a", .id = 1, .max_gap_ms = kMaxGap}));
  ingest(*st, std::span(samples).first(cut), rng);
  RetentionPolicy none{.raw_keep_ms = 0};
  ASSERT_TRUE(st->enforce_retention(samples[cut - 1].t + 1, none).is_ok());
  ASSERT_EQ(st->stats()->raw_samples, 0u);
  ingest(*st, std::span(samples).subspan(cut), rng);
  const auto ref = reference_minutes(cal_, samples);
  expect_windows(*st, ref, rng);
  st.reset();
  st = open();
  expect_windows(*st, ref, rng);
}

TEST_F(LazyMinuteTest, ClosedMinutesAreNotStoredWhileRawExists) {
  std::mt19937 rng(9);
  auto samples = random_samples(9);
  auto st = open();
  ASSERT_TRUE(st->add_sensor({.name = "a", .id = 1, .max_gap_ms = kMaxGap}));
  ingest(*st, samples, rng);
  auto stats = st->stats();
  auto minutes = st->rollups(1, Level::kMinute, INT64_MIN, INT64_MAX);
  auto hours = st->rollups(1, Level::kHour, INT64_MIN, INT64_MAX);
  auto days = st->rollups(1, Level::kDay, INT64_MIN, INT64_MAX);
  // Stored: hours, days, the first minute bucket (before the boundary) and the open minute.
  EXPECT_EQ(stats->rollup_records, hours->size() + days->size() + 2);
  EXPECT_GT(minutes->size(), 1000u);
}

}  // namespace
}  // namespace cw::store
