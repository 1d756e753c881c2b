#include "analytics/cost.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "analytics/meter_cost.h"

namespace cw::analytics {

void add_period(std::vector<PeriodCost>& list, const PeriodCost& p) {
  for (auto& x : list) {
    if (x.period == p.period) {
      x.energy_mwh += p.energy_mwh;
      x.cost += p.cost;
      x.price = p.price;
      return;
    }
  }
  list.push_back(p);
}

namespace {

// Energy of [a, b) from the rollups: the hour rollup when [a, b) is one aligned UTC hour, else
// the minute rollups (a price boundary at a non-hour minute, or a store whose hours are local).
class EnergySource {
 public:
  EnergySource(store::Store& store, SensorId sensor) : store_(store), sensor_(sensor) {}

  Status load_hours(TimeMs from, TimeMs to) {
    auto hours = store_.rollups(sensor_, Level::kHour, floor_to(from, kHourMs), to);
    if (!hours) return hours.status();
    for (const Rollup& r : *hours) {
      if (floor_to(r.start, kHourMs) != r.start || r.end - r.start != kHourMs) {
        hours_aligned_ = false;
        hours_.clear();
        return Status::ok();
      }
      hours_[r.start] = r;
    }
    return Status::ok();
  }

  Result<Rollup> energy(const PriceSegment& s) {
    if (s.whole_utc_hour && hours_aligned_) {
      auto it = hours_.find(s.start);
      return it == hours_.end() ? Rollup{s.start, s.end} : it->second;
    }
    auto minutes = store_.rollups(sensor_, Level::kMinute, s.start, s.end);
    if (!minutes) return minutes.status();
    Rollup sum{s.start, s.end};
    for (const Rollup& r : *minutes)
      if (r.start >= s.start && r.end <= s.end) merge_into(sum, r);
    ++minute_queries_;
    return sum;
  }

 private:
  store::Store& store_;
  SensorId sensor_;
  bool hours_aligned_ = true;
  std::unordered_map<TimeMs, Rollup> hours_;
  int minute_queries_ = 0;
};

std::vector<TimeMs> bucket_edges(const Calendar& cal, TimeMs from, TimeMs to, Period by) {
  std::vector<TimeMs> edges{from};
  for (TimeMs t = cal.next(from, by); t < to; t = cal.next(t, by)) edges.push_back(t);
  edges.push_back(to);
  return edges;
}

}  // namespace

Result<Picos> subscription_cost(const Calendar& cal, const Tariff& tariff, TimeMs from, TimeMs to) {
  Picos total = 0;
  for (TimeMs a = from; a < to;) {
    const TimeMs b = std::min(cal.next(a, Period::kDay), to);
    const LocalDay day = local_clock(cal, a).day;
    const PriceVersion* v = version_on(tariff, day);
    if (!v) {
      return invalid_argument(std::string("no ") + option_name(tariff.option) +
                              " subscription on " + format_local_day(day));
    }
    const Period p = v->yearly_subscription ? Period::kYear : Period::kMonth;
    const TimeMs len = cal.next(a, p) - cal.floor(a, p);
    const Picos num = Picos(v->subscription) * 1000000 * (b - a);
    total += (num + len / 2) / len;
    a = b;
  }
  return total;
}

Result<CostBreakdown> cost_of(store::Store& store, const Calendar& calendar, const Tariff& tariff,
                              const TempoCalendar& tempo, SensorId sensor, TimeMs from, TimeMs to,
                              Period by, store::InputStore* meter) {
  if (by != Period::kHour && by != Period::kDay && by != Period::kMonth) {
    return invalid_argument("cost is given per hour, day or month");
  }
  if (auto s = store.sensor(sensor); !s) return s.status();
  auto segments = split_periods(calendar, tariff, tempo, from, to);
  if (!segments) return segments.status();
  EnergySource source(store, sensor);
  CW_RETURN_IF_ERROR(source.load_hours(from, to));

  CostBreakdown out;
  out.from = from;
  out.to = to;
  const std::vector<TimeMs> edges = bucket_edges(calendar, from, to, by);
  if (edges.size() > 10001) return invalid_argument("too many buckets (at most 10000)");
  std::size_t k = 0;
  std::int64_t covered = 0;
  for (std::size_t i = 0; i + 1 < edges.size(); ++i) {
    CostBucket b{edges[i], edges[i + 1]};
    std::int64_t b_covered = 0;
    for (; k < segments->size() && (*segments)[k].start < b.end; ++k) {
      const PriceSegment& s = (*segments)[k];  // segments never cross a UTC hour, nor a bucket
      auto e = source.energy(s);               // edge (local periods start on whole minutes)
      if (!e) return e.status();
      const PeriodCost pc{s.period, s.price, e->energy_mwh, energy_cost(s.price, e->energy_mwh)};
      add_period(b.periods, pc);
      b.energy_mwh += pc.energy_mwh;
      b.energy_cost += pc.cost;
      b.estimated = b.estimated || e->gap_energy_mwh > 0;
      b.colour_assumed = b.colour_assumed || s.colour_assumed;
      b_covered += e->covered_ms;
    }
    auto sub = subscription_cost(calendar, tariff, b.start, b.end);
    if (!sub) return sub.status();
    b.subscription = *sub;
    b.coverage = double(b_covered) / double(b.end - b.start);
    covered += b_covered;
    for (const auto& p : b.periods) add_period(out.periods, p);
    out.energy_mwh += b.energy_mwh;
    out.energy_cost += b.energy_cost;
    out.subscription += b.subscription;
    out.estimated = out.estimated || b.estimated;
    out.colour_assumed = out.colour_assumed || b.colour_assumed;
    out.buckets.push_back(std::move(b));
  }
  out.coverage = double(covered) / double(to - from);
  if (meter) CW_RETURN_IF_ERROR(reprice_from_meter(*meter, calendar, tariff, sensor, out));
  return out;
}

Result<std::vector<PricedInterval>> price_intervals(const Calendar& calendar, const Tariff& tariff,
                                                    const TempoCalendar& tempo,
                                                    const std::vector<EnergyInterval>& intervals) {
  std::vector<PricedInterval> out;
  for (const EnergyInterval& in : intervals) {
    if (!(in.energy_wh >= 0) || !std::isfinite(in.energy_wh)) {
      return invalid_argument("interval energy must be a finite number >= 0");
    }
    auto segments = split_periods(calendar, tariff, tempo, in.start, in.end);
    if (!segments) return segments.status();
    PricedInterval p{in.start, in.end};
    const double total_mwh = in.energy_wh * 1000.0;
    const double span = double(in.end - in.start);
    double done_mwh = 0;  // cumulative rounding, so the parts add up to the rounded whole
    for (const PriceSegment& s : *segments) {
      const double upto = total_mwh * double(s.end - in.start) / span;
      const std::int64_t mwh = std::llround(upto) - std::llround(done_mwh);
      done_mwh = upto;
      add_period(p.periods, {s.period, s.price, mwh, energy_cost(s.price, mwh)});
      p.energy_mwh += mwh;
      p.cost += energy_cost(s.price, mwh);
      p.colour_assumed = p.colour_assumed || s.colour_assumed;
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace cw::analytics
