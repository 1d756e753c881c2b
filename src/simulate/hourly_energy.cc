#include "simulate/hourly_energy.h"

#include <algorithm>

namespace cw::simulate {

std::vector<HourEnergy> hourly_energy(const std::vector<PowerSample>& samples,
                                      const Calendar& calendar, TimeMs max_hold_ms) {
  std::vector<HourEnergy> out;
  if (samples.empty()) return out;
  std::vector<double> wms;  // W·ms per hour
  std::vector<TimeMs> covered;
  auto open_hour = [&](TimeMs t) {
    const TimeMs start = out.empty() ? calendar.floor(t, Period::kHour) : out.back().end;
    out.push_back({start, calendar.next(start, Period::kHour), 0, 0});
    wms.push_back(0);
    covered.push_back(0);
  };
  open_hour(samples.front().t);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const TimeMs next = i + 1 < samples.size() ? samples[i + 1].t : samples[i].t;
    TimeMs t = samples[i].t;
    const TimeMs until = std::min(next, t + max_hold_ms);
    while (out.back().end <= t) open_hour(t);
    while (t < until) {  // split the held power across hour edges
      const TimeMs piece_end = std::min(until, out.back().end);
      wms.back() += samples[i].power_w * double(piece_end - t);
      covered.back() += piece_end - t;
      t = piece_end;
      if (t < until) open_hour(t);
    }
  }
  for (std::size_t k = 0; k < out.size(); ++k) {
    HourEnergy& h = out[k];
    h.coverage = double(covered[k]) / double(h.end - h.start);
    h.energy_wh = covered[k] ? wms[k] / double(kHourMs) / h.coverage : 0;
  }
  return out;
}

}  // namespace cw::simulate
