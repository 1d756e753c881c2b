// Replays the UCI household power data (1-minute averages, Sceaux, Dec 2006 - Jan 2007) into a
// store: checks totals at every level and prints bytes per sample.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "store/store.h"
#include "store_test_util.h"

namespace cw::store {
namespace {

// kW with 3 decimals ("4.216") as integer watts.
bool parse_kw(const std::string& f, std::int32_t* w) {
  auto dot = f.find('.');
  if (f.empty() || f == "?" || dot == std::string::npos) return false;
  std::string frac = f.substr(dot + 1) + "000";
  *w = std::stoi(f.substr(0, dot)) * 1000 + std::stoi(frac.substr(0, 3));
  return true;
}

std::vector<Sample> load_uci() {
  std::ifstream in(std::string(CW_SHARED_DATA) +
                   "/uci_household_power/household_power_consumption_2006-12-16_2007-01-19.txt");
  std::vector<Sample> out;
  std::string line;
  std::getline(in, line);  // header
  std::int64_t energy = 0, carry_wms = 0;
  TimeMs prev_t = 0;
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string date, time, gap;
    std::getline(ss, date, ';');
    std::getline(ss, time, ';');
    std::getline(ss, gap, ';');
    std::int32_t w = 0;
    if (!parse_kw(gap, &w)) continue;  // a missing minute
    int d = 0, m = 0, y = 0, hh = 0, mm = 0, sec = 0;
    std::sscanf(date.c_str(), "%d/%d/%d", &d, &m, &y);
    std::sscanf(time.c_str(), "%d:%d:%d", &hh, &mm, &sec);
    char iso[32];
    std::snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, hh, mm, sec);
    TimeMs t = *parse_instant(iso) - kHourMs;  // Paris winter time (UTC+1) to UTC
    // Integrate the minute's average power into a Wh register (the meter a sensor would have).
    if (prev_t != 0) carry_wms += std::int64_t(w) * (t - prev_t);
    energy += carry_wms / 3600000;
    carry_wms %= 3600000;
    prev_t = t;
    out.push_back({t, std::uint32_t(out.size()), w, energy});
  }
  return out;
}

TEST(UciReplay, TotalsAndBytesPerSample) {
  const auto samples = load_uci();
  ASSERT_EQ(samples.size(), 48424u - 5);
  testing::TempDir dir;
  auto paris = Calendar::in_zone("Europe/Paris");
  ASSERT_TRUE(paris);
  auto opened = open_sqlite_store(dir.file("uci.db"), *paris);
  ASSERT_TRUE(opened);
  Store& st = **opened;
  ASSERT_TRUE(st.add_sensor({.name = "sceaux"}));
  // Replay as a base would receive it: an hour of data per commit.
  for (std::size_t pos = 0; pos < samples.size(); pos += 60) {
    CommitBatch b;
    auto end = std::min(samples.size(), pos + 60);
    b.sensors.push_back({1, {samples.begin() + pos, samples.begin() + end}, {}});
    ASSERT_TRUE(st.commit(b).is_ok());
  }
  const std::int64_t total_mwh = (samples.back().energy_wh - samples.front().energy_wh) * 1000;
  for (Level l : {Level::kMinute, Level::kHour, Level::kDay}) {
    auto rs = st.rollups(1, l, 0, INT64_MAX);
    ASSERT_TRUE(rs);
    std::int64_t e = 0, gap_e = 0;
    std::uint64_t n = 0;
    for (const Rollup& r : *rs) {
      e += r.energy_mwh;
      gap_e += r.gap_energy_mwh;
      n += r.count;
    }
    EXPECT_EQ(e, total_mwh) << level_name(l);
    EXPECT_EQ(n, samples.size()) << level_name(l);
    // Three holes of 2-3 minutes exceed the 120 s max gap; the 1-minute one does not.
    EXPECT_GT(gap_e, 0) << level_name(l);
  }
  auto days = st.rollups(1, Level::kDay, 0, INT64_MAX);
  EXPECT_EQ(days->size(), 35u);  // 16 Dec .. 19 Jan, local days
  // Mean power over the covered time matches the source's 1.691 kW mean.
  std::int64_t sum_wms = 0, covered = 0;
  for (const Rollup& r : *days) sum_wms += r.sum_wms, covered += r.covered_ms;
  EXPECT_NEAR(double(sum_wms) / double(covered), 1691.0, 5.0);

  std::vector<Sample> back;
  ASSERT_TRUE(st.scan_raw(1, 0, INT64_MAX, [&](auto c) {
                  back.insert(back.end(), c.begin(), c.end());
                  return true;
                }).is_ok());
  EXPECT_EQ(back, samples);
  auto stats = st.stats();
  ASSERT_TRUE(stats);
  opened = Status{Code::kInternal, "closed"};  // close: checkpoint, WAL gone
  auto reopened = open_sqlite_store(dir.file("uci.db"), *paris);
  auto stats2 = (*reopened)->stats();
  std::printf("[ measure ] UCI 1-min: %zu samples, file %llu bytes (%.2f B/sample incl. rollups)\n",
              samples.size(), (unsigned long long)stats2->file_bytes,
              double(stats2->file_bytes) / double(samples.size()));
}

}  // namespace
}  // namespace cw::store
