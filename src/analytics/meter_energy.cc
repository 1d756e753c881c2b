#include "analytics/meter_energy.h"

#include <algorithm>
#include <cmath>

namespace cw::analytics {

double register_at(const std::vector<store::RegisterReading>& r, TimeMs t, bool* inside) {
  *inside = false;
  if (t <= r.front().t) {
    *inside = t == r.front().t;
    return double(r.front().wh);
  }
  if (t >= r.back().t) {
    *inside = t == r.back().t;
    return double(r.back().wh);
  }
  std::size_t hi = 1;
  while (r[hi].t < t) ++hi;
  const auto& a = r[hi - 1];
  const auto& b = r[hi];
  *inside = true;
  return double(a.wh) + double(b.wh - a.wh) * double(t - a.t) / double(b.t - a.t);
}

Result<MeterEnergy> meter_energy(store::InputStore& inputs, SensorId sensor, TimeMs from,
                                 TimeMs to) {
  if (from >= to) return invalid_argument("from must be before to");
  // The readings of [from, to) plus each register's last reading before `from` (left edge) and
  // its first at or after `to` (right edge).
  auto before = inputs.readings_before(sensor, from);
  if (!before) return before.status();
  auto within = inputs.readings(sensor, from, to);
  if (!within) return within.status();
  auto after = inputs.readings_at_or_after(sensor, to);
  if (!after) return after.status();
  std::map<std::string, std::vector<store::RegisterReading>> by_name;
  for (auto* list : {&*before, &*within, &*after})
    for (auto& x : *list) by_name[x.name].push_back(x);
  MeterEnergy out;
  for (auto& [name, list] : by_name) {
    std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.t < b.t; });
    RegisterEnergy e;
    e.name = name;
    for (const auto& x : list)
      if (!x.period.empty()) e.period = x.period;
    bool in_a = false, in_b = false;
    e.start_wh = register_at(list, from, &in_a);
    e.end_wh = register_at(list, to, &in_b);
    e.covered = in_a && in_b;
    e.energy_mwh = std::llround((e.end_wh - e.start_wh) * 1000.0);
    out.total_mwh += e.energy_mwh;
    if (!e.period.empty()) out.by_period_mwh[e.period] += e.energy_mwh;
    out.registers.push_back(std::move(e));
  }
  return out;
}

Result<std::map<std::string, std::int64_t>> meter_energy_by_period(store::InputStore& inputs,
                                                                   SensorId sensor, TimeMs from,
                                                                   TimeMs to) {
  auto e = meter_energy(inputs, sensor, from, to);
  if (!e) return e.status();
  return e->by_period_mwh;
}

}  // namespace cw::analytics
