#include "analytics/meter_cost.h"

#include "analytics/meter_energy.h"

namespace cw::analytics {

namespace {

// The price version in force over all of [start, end), or null when it changes inside.
const PriceVersion* single_version(const Calendar& cal, const Tariff& tariff, TimeMs start,
                                   TimeMs end) {
  const PriceVersion* first = version_on(tariff, local_clock(cal, start).day);
  const PriceVersion* last = version_on(tariff, local_clock(cal, end - 1).day);
  return first == last ? first : nullptr;
}

// The bucket's periods from the registers; false (bucket untouched) when they do not cover it
// or name a period the version does not price (a meter on HP/HC, a household priced as Tempo).
bool reprice_bucket(const MeterEnergy& m, const PriceVersion& v, CostBucket& b) {
  if (m.by_period_mwh.empty()) return false;
  for (const RegisterEnergy& r : m.registers)
    if (!r.period.empty() && !r.covered) return false;
  std::vector<PeriodCost> periods;
  for (const auto& [period, mwh] : m.by_period_mwh) {
    auto price = v.kwh.find(period);
    if (price == v.kwh.end()) return false;
    periods.push_back({period, price->second, mwh, energy_cost(price->second, mwh)});
  }
  b.periods = std::move(periods);
  b.energy_mwh = 0;
  b.energy_cost = 0;
  for (const PeriodCost& p : b.periods) {
    b.energy_mwh += p.energy_mwh;
    b.energy_cost += p.cost;
  }
  b.estimated = false;       // the registers count every Wh, gaps in the sensor's data included
  b.colour_assumed = false;  // a Tempo register names its colour
  b.from_meter = true;
  return true;
}

void sum_again(CostBreakdown& c) {
  c.periods.clear();
  c.energy_mwh = 0;
  c.energy_cost = 0;
  c.estimated = false;
  c.colour_assumed = false;
  c.meter_buckets = 0;
  for (const CostBucket& b : c.buckets) {
    for (const PeriodCost& p : b.periods) add_period(c.periods, p);
    c.energy_mwh += b.energy_mwh;
    c.energy_cost += b.energy_cost;
    c.estimated = c.estimated || b.estimated;
    c.colour_assumed = c.colour_assumed || b.colour_assumed;
    c.meter_buckets += b.from_meter ? 1 : 0;
  }
}

}  // namespace

Status reprice_from_meter(store::InputStore& inputs, const Calendar& calendar, const Tariff& tariff,
                          SensorId sensor, CostBreakdown& c) {
  auto last = inputs.last_readings(sensor);
  if (!last) return last.status();
  if (last->empty()) return Status::ok();  // no meter behind this sensor: nothing to do
  bool changed = false;
  for (CostBucket& b : c.buckets) {
    const PriceVersion* v = single_version(calendar, tariff, b.start, b.end);
    if (!v) continue;
    auto m = meter_energy(inputs, sensor, b.start, b.end);
    if (!m) return m.status();
    changed = reprice_bucket(*m, *v, b) || changed;
  }
  if (changed) sum_again(c);
  return Status::ok();
}

}  // namespace cw::analytics
