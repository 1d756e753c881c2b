// The insights over a year of one sensor at 10 s (3.15 M raw samples, all kept raw as the
// default retention does): what each route and a pass of the alert evaluator cost. The
// household is the simulator's (simulate::HouseholdModel, seed 1), on HP/HC 22:00-06:00, 9 kVA.
// Run by `make bench` (cw_insights_bench); setup (generating and storing the year) is not timed.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <memory>

#include "analytics/alert_evaluator.h"
#include "analytics/baseload.h"
#include "analytics/challenges.h"
#include "analytics/targets.h"
#include "analytics/tariff_catalogue.h"
#include "analytics/tips.h"
#include "simulate/household_model.h"
#include "store/insights.h"
#include "store/store.h"

namespace cw {
namespace {

namespace an = analytics;
namespace fs = std::filesystem;

constexpr TimeMs kStep = 10 * kSecondMs;
constexpr TimeMs kStart = 1704063600000;  // 2024-01-01T00:00 in Paris
constexpr TimeMs kNow = kStart + 365 * kDayMs;

struct Year {
  fs::path dir;
  Calendar cal = *Calendar::in_zone("Europe/Paris");
  std::unique_ptr<store::Store> store;
  std::unique_ptr<store::InsightStore> insights;
  an::Household household;

  Year() {
    std::string tmpl = (fs::temp_directory_path() / "cw_insights_bench_XXXXXX").string();
    dir = mkdtemp(tmpl.data());
    const std::string db = (dir / "cw.db").string();
    store = std::move(*store::open_sqlite_store(db, cal));
    insights = std::move(*store::open_sqlite_insights(db));
    (void)store->add_sensor({.name = "home"});
    simulate::HouseholdOptions o;
    o.start = kStart;
    o.step_ms = kStep;
    simulate::HouseholdModel home(o, cal);
    store::SensorBatch b;
    b.sensor = 1;
    std::int64_t wms = 0;
    std::uint32_t counter = 0;
    for (TimeMs t = kStart; t < kNow; t += kStep) {
      const auto w = std::int32_t(std::lround(home.next_power()));
      wms += std::int64_t(w) * kStep;
      b.samples.push_back({t, ++counter, w, wms / kHourMs});
      if (b.samples.size() == 100000 || t + kStep >= kNow) {
        b.state.has_counter = true;
        b.state.last_counter = counter;
        b.state.last_seen = t;
        b.state.last_power_w = w;
        b.state.last_raw_energy_wh = wms / kHourMs;
        (void)store->commit({.sensors = {b}});
        b.samples.clear();
      }
    }
    an::TariffSettings s;
    s.option = an::TariffOption::kHpHc;
    s.kva = 9;
    s.offpeak = {an::OffPeakWindow{22 * 60, 6 * 60}};
    household = an::Household{s, *an::resolve(s, an::builtin_catalogue()), an::builtin_tempo()};
  }
  ~Year() {
    insights.reset();
    store.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

Year& year() {
  static Year y;
  return y;
}

void BM_Baseload(benchmark::State& state) {
  Year& y = year();
  for (auto _ : state) benchmark::DoNotOptimize(an::baseload(*y.store, y.cal, 1, kNow));
}

void BM_Tips(benchmark::State& state) {
  Year& y = year();
  for (auto _ : state)
    benchmark::DoNotOptimize(an::compute_tips(*y.store, y.cal, y.household, 1, kNow));
}

void BM_TargetMonthProgress(benchmark::State& state) {
  Year& y = year();
  for (auto _ : state)
    benchmark::DoNotOptimize(an::month_progress(*y.store, y.cal, y.household, 1, kNow));
}

void BM_ChallengeOfTheWeek(benchmark::State& state) {  // what GET /challenges computes
  Year& y = year();
  const TimeMs ws = y.cal.floor(kNow, Period::kWeek);
  for (auto _ : state) {
    auto b = an::week_baseline(*y.store, y.cal, y.household, 1, ws);
    auto plan = an::choose_challenge(*b, y.cal, y.household.tariff.option);
    auto m = an::measure_week(*y.store, y.cal, y.household, 1, ws, kNow);
    benchmark::DoNotOptimize(an::challenge_progress(*plan, *m, kNow));
  }
}

// A pass of the alert rules as serve runs it every few seconds: the first one of a night also
// reads the nights; the steady ones read the sensor rows (and the target row).
void BM_AlertPassFirst(benchmark::State& state) {
  Year& y = year();
  for (auto _ : state) {
    an::AlertEvaluator e(*y.store, *y.insights, y.cal, "");
    benchmark::DoNotOptimize(e.run(kNow));
  }
}

void BM_AlertPassSteady(benchmark::State& state) {
  Year& y = year();
  an::AlertEvaluator e(*y.store, *y.insights, y.cal, "");
  (void)e.run(kNow);
  TimeMs now = kNow;
  for (auto _ : state) benchmark::DoNotOptimize(e.run(now += kSecondMs));
}

BENCHMARK(BM_Baseload)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Tips)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TargetMonthProgress)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ChallengeOfTheWeek)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AlertPassFirst)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AlertPassSteady)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace cw

BENCHMARK_MAIN();
