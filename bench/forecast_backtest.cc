// cw_forecast_backtest: the consumption forecast against seasonal-naive (same local hour a week
// before), by rolling-origin backtest on the real datasets (docs/performance.md, "Forecast
// backtest"). Exits 1 when the model does not beat seasonal-naive by >= 15 % MAE on each.
//
// Usage: cw_forecast_backtest [--data DIR] [--warmup DAYS] [name=value ...]
//   name=value overrides a ForecastOptions field (profile_weeks, week_decay, profile_days,
//   day_decay, week_shrink, level_hours, level_strength, min_coverage, residual_days, offset_wh)
//   to explore; the defaults are what the product uses.
#include "analytics/forecast_backtest.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

#include "simulate/hourly_energy.h"
#include "simulate/recording.h"

namespace {

using namespace cw;

constexpr double kRequiredImprovementPct = 15;

struct Dataset {
  const char* name;
  const char* folder;
};
constexpr Dataset kDatasets[] = {{"UCI Sceaux (1 min, W)", "uci_household_power"},
                                 {"SebGeek teleinfo (30 s, VA)", "sebgeek_teleinfo_30s"}};

bool set_option(analytics::ForecastOptions& o, const std::string& arg) {
  const auto eq = arg.find('=');
  if (eq == std::string::npos) return false;
  const std::string name = arg.substr(0, eq);
  const double v = std::atof(arg.c_str() + eq + 1);
  std::map<std::string, double*> doubles = {
      {"week_decay", &o.week_decay},     {"day_decay", &o.day_decay},
      {"week_shrink", &o.week_shrink},   {"level_strength", &o.level_strength},
      {"min_coverage", &o.min_coverage}, {"offset_wh", &o.offset_wh}};
  if (name == "median") return o.median = v != 0, true;
  std::map<std::string, int*> ints = {{"profile_weeks", &o.profile_weeks},
                                      {"profile_days", &o.profile_days},
                                      {"level_hours", &o.level_hours},
                                      {"residual_days", &o.residual_days}};
  if (auto it = doubles.find(name); it != doubles.end()) return *it->second = v, true;
  if (auto it = ints.find(name); it != ints.end()) return *it->second = int(v), true;
  return false;
}

Result<std::vector<analytics::EnergyBucket>> load_hours(const std::string& path,
                                                        const Calendar& calendar) {
  auto rec = simulate::load_recording(path);
  if (!rec) return rec.status();
  std::vector<analytics::EnergyBucket> out;
  for (const auto& h : simulate::hourly_energy(rec->samples, calendar, 2 * rec->nominal_step_ms)) {
    out.push_back({h.start, h.end, h.energy_wh, false, h.coverage});
  }
  return out;
}

std::string day(const Calendar& c, TimeMs t) {
  return c.format_local(t).substr(0, 10);
}

}  // namespace

int main(int argc, char** argv) {
  std::string data = CW_SHARED_DATA;
  analytics::BacktestOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--data" && i + 1 < argc) {
      data = argv[++i];
    } else if (a == "--warmup" && i + 1 < argc) {
      options.warmup_days = std::atoi(argv[++i]);
    } else if (!set_option(options.model, a)) {
      std::fprintf(stderr, "usage: %s [--data DIR] [--warmup DAYS] [option=value ...]\n", argv[0]);
      return 2;
    }
  }
  auto calendar = Calendar::in_zone("Europe/Paris");
  if (!calendar) return std::fprintf(stderr, "%s\n", calendar.status().to_string().c_str()), 2;

  std::printf("%-28s %-23s %7s %6s | %9s %7s | %9s %7s | %7s %8s\n", "dataset",
              "origins (local days)", "origins", "hours", "model MAE", "MAPE", "naive MAE", "MAPE",
              "better", "p10-p90");
  bool ok = true;
  for (const Dataset& d : kDatasets) {
    auto hours = load_hours(data + "/" + d.folder, *calendar);
    if (!hours)
      return std::fprintf(stderr, "%s: %s\n", d.folder, hours.status().to_string().c_str()), 2;
    const auto t0 = std::chrono::steady_clock::now();
    auto r = analytics::backtest(*hours, *calendar, options);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (!r) return std::fprintf(stderr, "%s: %s\n", d.folder, r.status().to_string().c_str()), 2;
    const std::string span =
        day(*calendar, r->first_origin) + ".." + day(*calendar, r->last_origin);
    std::printf("%-28s %-23s %7zu %6zu | %5.3f kWh %6.1f%% | %5.3f kWh %6.1f%% | %6.1f%% %7.1f%%\n",
                d.name, span.c_str(), r->origins, r->model.points, r->model.mae_kwh,
                r->model.mape_pct, r->naive.mae_kwh, r->naive.mape_pct, r->improvement_pct,
                100 * r->model.interval_cover);
    std::printf("%-28s %zu hours of history, backtest %.1f ms (%.2f ms per forecast)\n", "",
                hours->size(), ms, ms / double(r->origins));
    ok = ok && r->improvement_pct >= kRequiredImprovementPct;
  }
  if (!ok)
    std::printf("FAIL: the model must beat seasonal-naive by >= %.0f %% MAE on each dataset\n",
                kRequiredImprovementPct);
  return ok ? 0 : 1;
}
