#include "analytics/forecast_backtest.h"

#include <cmath>
#include <unordered_map>

namespace cw::analytics {

namespace {

struct Sums {
  double abs_err = 0, pct_err = 0;
  std::size_t n = 0, n_pct = 0, inside = 0;

  void add(double actual, double predicted) {
    abs_err += std::abs(actual - predicted);
    ++n;
    if (actual > 0) {
      pct_err += std::abs(actual - predicted) / actual;
      ++n_pct;
    }
  }
  MethodScore score() const {
    MethodScore s;
    s.points = n;
    if (n) s.mae_kwh = abs_err / double(n);
    if (n_pct) s.mape_pct = 100 * pct_err / double(n_pct);
    if (n) s.interval_cover = double(inside) / double(n);
    return s;
  }
};

// Usable hours by their local start, so "the same local hour a week before" survives DST.
class Actuals {
 public:
  Actuals(const std::vector<EnergyBucket>& history, const Calendar& calendar, double min_coverage)
      : calendar_(calendar) {
    for (const EnergyBucket& b : history) {
      if (b.coverage >= min_coverage) by_local_[local(b.start)] = b.energy_wh / 1000;
    }
  }
  const double* at_local(TimeMs local_start) const {
    auto it = by_local_.find(local_start);
    return it == by_local_.end() ? nullptr : &it->second;
  }
  TimeMs local(TimeMs t) const { return t + calendar_.utc_offset(t); }

 private:
  const Calendar& calendar_;
  std::unordered_map<TimeMs, double> by_local_;
};

}  // namespace

Result<BacktestResult> backtest(const std::vector<EnergyBucket>& history, const Calendar& calendar,
                                const BacktestOptions& options) {
  const double min_cov = options.model.min_coverage;
  TimeMs first = 0;
  for (const EnergyBucket& b : history) {
    if (b.coverage >= min_cov) {
      first = b.start;
      break;
    }
  }
  if (history.empty() || first == 0) return invalid_argument("backtest: no usable hour");
  const TimeMs data_end = history.back().end;
  TimeMs origin = calendar.floor(first + options.warmup_days * kDayMs, Period::kDay);
  if (origin < first + options.warmup_days * kDayMs) origin = calendar.next(origin, Period::kDay);

  const Actuals actuals(history, calendar, min_cov);
  BacktestResult out;
  Sums model, naive;
  for (; calendar.next(origin, Period::kDay) <= data_end;
       origin = calendar.next(origin, Period::kDay)) {
    auto f = forecast(history, calendar, origin, options.model);
    if (!f) return f.status();
    for (const ForecastPoint& p : f->hours) {
      const TimeMs local = actuals.local(p.start);
      const double* actual = actuals.at_local(local);
      const double* week_ago = actuals.at_local(local - 7 * kDayMs);
      if (!actual || !week_ago) continue;
      model.add(*actual, p.kwh);
      naive.add(*actual, *week_ago);
      if (*actual >= p.low_kwh && *actual <= p.high_kwh) ++model.inside;
    }
    if (out.origins++ == 0) out.first_origin = origin;
    out.last_origin = origin;
  }
  if (out.origins == 0) return invalid_argument("backtest: history shorter than warm-up + 1 day");
  out.model = model.score();
  out.naive = naive.score();
  out.naive.interval_cover = 0;  // the naive forecast has no interval
  if (out.naive.mae_kwh > 0)
    out.improvement_pct = 100 * (1 - out.model.mae_kwh / out.naive.mae_kwh);
  return out;
}

}  // namespace cw::analytics
