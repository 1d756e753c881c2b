// Hand-made households for the insight tests: samples whose power follows a function of local
// time, with an exact integer Wh register. Header-only, shared with the web tests.
#pragma once

#include <functional>
#include <vector>

#include "core/calendar.h"
#include "core/sample.h"

namespace cw::analytics::testing {

// Samples every step_ms over (from, to], the first at from. A sample's power is held over the
// interval before it (store/rollup_engine.h), so it is power_at(the start of that interval):
// the minute rollups then show exactly power_at. skip(t) leaves out the sample at t (a gap).
inline std::vector<Sample> samples_of(TimeMs from, TimeMs to, TimeMs step_ms,
                                      const std::function<double(TimeMs)>& power_at,
                                      const std::function<bool(TimeMs)>& skip = nullptr,
                                      std::uint32_t first_counter = 1) {
  std::vector<Sample> out;
  std::int64_t wms = 0;  // W·ms of the register
  std::uint32_t counter = first_counter;
  out.push_back({from, counter++, std::int32_t(power_at(from)), 0});
  TimeMs prev = from;
  for (TimeMs t = from + step_ms; t <= to; t += step_ms) {
    if (skip && skip(t)) continue;
    const auto w = std::int32_t(power_at(t - step_ms));
    wms += std::int64_t(w) * (t - prev);
    prev = t;
    out.push_back({t, counter++, w, wms / kHourMs});
  }
  return out;
}

}  // namespace cw::analytics::testing
