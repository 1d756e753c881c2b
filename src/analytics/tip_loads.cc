#include "analytics/tip_loads.h"

#include <map>

#include "analytics/tariff_periods.h"

namespace cw::analytics {

namespace {

bool usable(const Rollup& r, double min_coverage) {
  return r.covered_ms > 0 && r.coverage() >= min_coverage;
}

}  // namespace

std::vector<LoadRun> load_runs(const std::vector<Rollup>& m, const LoadRunOptions& o) {
  std::vector<LoadRun> out;
  std::size_t i = 1;
  while (i < m.size()) {
    const Rollup& before = m[i - 1];
    const bool joined = before.end == m[i].start;
    if (!joined || !usable(before, o.min_minute_coverage) || !usable(m[i], o.min_minute_coverage) ||
        m[i].mean_w() - before.mean_w() < o.min_step_w) {
      ++i;
      continue;
    }
    const double level = before.mean_w();
    std::size_t j = i;
    double sum = 0;
    while (j < m.size() && int(j - i) < o.max_minutes && usable(m[j], o.min_minute_coverage) &&
           (j == i || m[j].start == m[j - 1].end) && m[j].mean_w() >= level + o.min_step_w / 2) {
      sum += m[j].mean_w();
      ++j;
    }
    const int minutes = int(j - i);
    if (minutes >= o.min_minutes) {
      const double step = sum / minutes - level;
      out.push_back({m[i].start, m[j - 1].end, step, step * minutes / 60.0 / 1000.0});
    }
    i = j + 1;
  }
  return out;
}

UsualStart usual_start(const std::vector<LoadRun>& runs, const Calendar& calendar) {
  struct Acc {
    std::map<LocalDay, const LoadRun*> by_day;
  };
  std::map<int, Acc> by_hour;
  for (const LoadRun& r : runs) {
    const LocalClock c = local_clock(calendar, r.start);
    by_hour[c.minute / 60].by_day.emplace(c.day, &r);  // the first start of that hour, each day
  }
  UsualStart best;
  for (const auto& [hour, acc] : by_hour) {
    if (int(acc.by_day.size()) <= best.days) continue;
    best = {hour, int(acc.by_day.size())};
    for (const auto& [day, r] : acc.by_day) {
      best.kwh += r->kwh / double(acc.by_day.size());
      best.step_w += r->step_w / double(acc.by_day.size());
      best.example = r->start;
    }
  }
  return best;
}

std::vector<SustainedHour> sustained_hours(const std::vector<Rollup>& hours, double baseload_w,
                                           const SustainedOptions& o) {
  std::vector<SustainedHour> out;
  std::vector<SustainedHour> run;
  auto flush = [&] {
    if (int(run.size()) >= o.min_hours) out.insert(out.end(), run.begin(), run.end());
    run.clear();
  };
  for (std::size_t k = 0; k < hours.size(); ++k) {
    const Rollup& h = hours[k];
    const bool high = h.covered_ms > 0 && h.coverage() >= o.min_hour_coverage &&
                      h.mean_w() - baseload_w >= o.min_excess_w;
    const bool joined = !run.empty() && k > 0 && hours[k - 1].end == h.start;
    if (!high || (!run.empty() && !joined)) flush();
    if (high) run.push_back({h.start, (h.mean_w() - baseload_w) * double(h.end - h.start) / 3.6e9});
  }
  flush();
  return out;
}

}  // namespace cw::analytics
