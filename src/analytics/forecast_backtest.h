// Rolling-origin backtest of the forecast against the seasonal-naive forecast (the same local
// hour one week before): origins every local midnight after a warm-up, 24 hours ahead each.
// Both are scored on the same hours: measured (coverage >= min_coverage) and with a naive value.
#pragma once

#include <cstddef>
#include <vector>

#include "analytics/forecast.h"

namespace cw::analytics {

struct BacktestOptions {
  int warmup_days = 28;  // first origin: this many days after the first usable hour
  ForecastOptions model;
};

struct MethodScore {
  double mae_kwh = 0;
  double mape_pct = 0;        // over hours with a non-zero actual
  double interval_cover = 0;  // share of actual hours inside [low, high] (model only)
  std::size_t points = 0;
};

struct BacktestResult {
  TimeMs first_origin = 0;
  TimeMs last_origin = 0;
  std::size_t origins = 0;
  MethodScore model, naive;
  double improvement_pct = 0;  // 100 * (1 - model MAE / naive MAE)
};

// history: hourly buckets in time order. invalid_argument when there is no origin to test
// (history shorter than the warm-up plus a day), or from forecast() on a malformed history.
Result<BacktestResult> backtest(const std::vector<EnergyBucket>& history, const Calendar& calendar,
                                const BacktestOptions& options = {});

}  // namespace cw::analytics
