// Figures, not asserts on time: ingest rate, bytes per sample, chart read latency. The year-long
// runs are DISABLED_ (minutes of work); run them by hand with --gtest_also_run_disabled_tests.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <random>

#include "store/store.h"
#include "store_test_util.h"

namespace cw::store {
namespace {

using Clock = std::chrono::steady_clock;
constexpr TimeMs kT0 = 1704067200000;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// A household-like 1 Hz signal: a baseload with small noise, a fridge cycling, occasional big
// loads; the register integrates it. Deterministic for a seed.
class Household {
 public:
  explicit Household(std::uint32_t seed) : rng_(seed) {}
  Sample next() {
    const TimeMs t = kT0 + i_ * 1000;
    const int noise = int(rng_() % 7) - 3;
    const bool fridge = (i_ / 600) % 3 == 0;
    if (load_left_ == 0 && rng_() % 5000 == 0) {
      load_left_ = 300 + rng_() % 3000;
      load_w_ = 1000 + int(rng_() % 2000);
    }
    int p = 150 + noise + (fridge ? 90 : 0) + (load_left_ > 0 ? load_w_ : 0);
    if (load_left_ > 0) --load_left_;
    carry_ += std::int64_t(p) * 1000;
    e_ += carry_ / 3600000;
    carry_ %= 3600000;
    return {t, std::uint32_t(i_++), p, e_};
  }

 private:
  std::mt19937 rng_;
  std::int64_t i_ = 0, e_ = 0, carry_ = 0;
  std::uint32_t load_left_ = 0;
  int load_w_ = 0;
};

void print_breakdown(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  for (const char* sql : {"SELECT 'raw blocks', count(*), sum(length(data)) FROM raw_block",
                          "SELECT 'rollup blocks', count(*), sum(length(data)) FROM rollup_block",
                          "SELECT 'raw head rows', count(*), 0 FROM raw_head",
                          "SELECT 'rollup head rows', count(*), 0 FROM rollup_head"}) {
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &s, nullptr);
    if (sqlite3_step(s) == SQLITE_ROW) {
      std::printf("[ measure ]   %s: %lld rows, %lld blob bytes\n", sqlite3_column_text(s, 0),
                  sqlite3_column_int64(s, 1), sqlite3_column_int64(s, 2));
    }
    sqlite3_finalize(s);
  }
  sqlite3_close(db);
}

// Ingests `seconds` of 1 Hz data for `sensors` sensors, one commit per `batch_s` seconds of data.
void ingest(Store& st, int sensors, std::int64_t seconds, std::int64_t batch_s) {
  std::vector<Household> hh;
  for (int s = 0; s < sensors; ++s) hh.emplace_back(s + 1);
  auto t0 = Clock::now();
  for (std::int64_t done = 0; done < seconds; done += batch_s) {
    CommitBatch b;
    for (int s = 0; s < sensors; ++s) {
      SensorBatch sb{SensorId(s + 1), {}, {}};
      for (std::int64_t k = 0; k < std::min(batch_s, seconds - done); ++k) {
        sb.samples.push_back(hh[s].next());
      }
      b.sensors.push_back(std::move(sb));
    }
    ASSERT_TRUE(st.commit(b).is_ok());
  }
  const double secs = seconds_since(t0);
  std::printf(
      "[ measure ] ingest %d sensors x %lld s, commits of %lld s: %.0f samples/s (%.0f "
      "commits/s)\n",
      sensors, (long long)seconds, (long long)batch_s, double(sensors * seconds) / secs,
      double(seconds / batch_s) / secs);
}

void measure(int sensors, std::int64_t seconds, std::int64_t batch_s) {
  testing::TempDir dir;
  const std::string path = dir.file("m.db");
  SqliteOptions o;
  if (const char* bs = std::getenv("CW_BLOCK_SAMPLES"))
    o.block_samples = std::uint32_t(std::atoi(bs));
  {
    auto st = open_sqlite_store(path, *Calendar::in_zone("Europe/Paris"), o);
    ASSERT_TRUE(st);
    for (int s = 0; s < sensors; ++s) ASSERT_TRUE((*st)->add_sensor({.name = "s"}));
    ingest(**st, sensors, seconds, batch_s);
  }
  auto st = open_sqlite_store(path, *Calendar::in_zone("Europe/Paris"), o);
  ASSERT_TRUE(st);
  auto stats = (*st)->stats();
  const double n = double(sensors) * double(seconds);
  std::printf("[ measure ] file %llu bytes: %.3f B/sample (whole file)\n",
              (unsigned long long)stats->file_bytes, double(stats->file_bytes) / n);
  print_breakdown(path);
  for (Level l : {Level::kHour, Level::kMinute}) {
    auto t0 = Clock::now();
    auto rs = (*st)->rollups(1, l, kT0, kT0 + seconds * 1000);
    std::printf("[ measure ] read %zu %s rollups of one sensor: %.2f ms\n", rs->size(),
                level_name(l), seconds_since(t0) * 1000);
  }
  auto t0 = Clock::now();
  std::size_t got = 0;
  ASSERT_TRUE((*st)
                  ->scan_raw(1, kT0, kT0 + 86400000,
                             [&](auto c) {
                               got += c.size();
                               return true;
                             })
                  .is_ok());
  std::printf("[ measure ] scan one day of raw (%zu samples): %.2f ms\n", got,
              seconds_since(t0) * 1000);
}

// A year of one sample a minute: enough for a year of every rollup level, quick to build.
TEST(StoreMeasure, DISABLED_ChartOfAYearOfHours) {
  testing::TempDir dir;
  auto st = open_sqlite_store(dir.file("c.db"), *Calendar::in_zone("Europe/Paris"));
  ASSERT_TRUE(st);
  ASSERT_TRUE((*st)->add_sensor({.name = "s"}));
  Household hh(3);
  for (int day = 0; day < 365; ++day) {
    CommitBatch b;
    b.sensors.push_back({1, {}, {}});
    for (int m = 0; m < 1440; ++m) {
      Sample s = hh.next();
      s.t = kT0 + (std::int64_t(day) * 1440 + m) * kMinuteMs;
      b.sensors[0].samples.push_back(s);
    }
    ASSERT_TRUE((*st)->commit(b).is_ok());
  }
  for (int rep = 0; rep < 3; ++rep) {
    for (Level l : {Level::kDay, Level::kHour, Level::kMinute}) {
      auto t0 = Clock::now();
      auto rs = (*st)->rollups(1, l, kT0, kT0 + 366 * kDayMs);
      std::printf("[ measure ] read a year of %s rollups (%zu): %.2f ms\n", level_name(l),
                  rs->size(), seconds_since(t0) * 1000);
    }
  }
}

TEST(StoreMeasure, TenSensorsOneHourInBulkCommits) {
  measure(10, 3600, 360);
}

TEST(StoreMeasure, DISABLED_TenSensorsOneDayOfOneSecondCommits) {
  measure(10, 86400, 1);
}
TEST(StoreMeasure, DISABLED_TenSensorsBulkThroughput) {
  measure(10, 7 * 86400, 2000);
}
TEST(StoreMeasure, DISABLED_OneSensorOneYearOneHertz) {
  measure(1, 365 * 86400, 3600);
}

}  // namespace
}  // namespace cw::store
