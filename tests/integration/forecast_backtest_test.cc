// The forecast against seasonal-naive on the real datasets (whole files: two months at most, a
// few milliseconds): it must keep beating it by >= 15 % MAE (docs/performance.md).
#include "analytics/forecast_backtest.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "simulate/hourly_energy.h"
#include "simulate/recording.h"

namespace cw {
namespace {

std::vector<analytics::EnergyBucket> load_hours(const std::string& path, const Calendar& c) {
  auto rec = simulate::load_recording(path);
  EXPECT_TRUE(rec.is_ok()) << rec.status().to_string();
  std::vector<analytics::EnergyBucket> out;
  if (!rec.is_ok()) return out;
  for (const auto& h : simulate::hourly_energy(rec->samples, c, 2 * rec->nominal_step_ms)) {
    out.push_back({h.start, h.end, h.energy_wh, false, h.coverage});
  }
  return out;
}

class ForecastBacktestReal : public ::testing::TestWithParam<const char*> {};

TEST_P(ForecastBacktestReal, BeatsSeasonalNaiveBy15PercentMae) {
  const std::string path = std::string(CW_SHARED_DATA) + "/" + GetParam();
  if (!std::filesystem::is_directory(path)) GTEST_SKIP() << path << " is absent";
  const Calendar c = *Calendar::in_zone("Europe/Paris");
  const auto hours = load_hours(path, c);
  ASSERT_GT(hours.size(), 24u * 33);
  auto r = analytics::backtest(hours, c);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_GE(r->origins, 5u);
  EXPECT_EQ(r->model.points, r->naive.points);
  EXPECT_GE(r->improvement_pct, 15)
      << "model MAE " << r->model.mae_kwh << " kWh, naive " << r->naive.mae_kwh << " kWh";
  // The p10-p90 interval should hold about 80 % of the hours: far off means it lies.
  EXPECT_GT(r->model.interval_cover, 0.65);
  EXPECT_LT(r->model.interval_cover, 0.95);
}

INSTANTIATE_TEST_SUITE_P(Datasets, ForecastBacktestReal,
                         ::testing::Values("uci_household_power", "sebgeek_teleinfo_30s"));

}  // namespace
}  // namespace cw
