// The reference the analytics results are checked against, computed straight from the samples:
// the register interpolated linearly between samples and rounded to the mWh (the definition in
// core/sample.h), and the time covered by samples (intervals no longer than max_gap_ms).
#pragma once

#include <algorithm>
#include <vector>

#include "core/int128.h"
#include "core/sample.h"

namespace cw::analytics::testing {

// Register at t in mWh; t must lie within [samples.front().t, samples.back().t].
inline std::int64_t register_mwh(const std::vector<Sample>& samples, TimeMs t) {
  auto it = std::lower_bound(samples.begin(), samples.end(), t,
                             [](const Sample& s, TimeMs v) { return s.t < v; });
  if (it->t == t) return it->energy_wh * 1000;
  const Sample& b = *it;
  const Sample& a = *(it - 1);
  const Int128 num = Int128(b.energy_wh - a.energy_wh) * 1000 * (t - a.t);
  const Int128 den = b.t - a.t;
  return a.energy_wh * 1000 + std::int64_t((num + den / 2) / den);
}

// Register at t, clamped to the first/last sample outside the data.
inline std::int64_t register_mwh_clamped(const std::vector<Sample>& samples, TimeMs t) {
  t = std::clamp(t, samples.front().t, samples.back().t);
  return register_mwh(samples, t);
}

// Time in [start, end) covered by samples: (t_prev, t] when t - t_prev <= max_gap_ms.
inline TimeMs covered_ms(const std::vector<Sample>& samples, TimeMs max_gap_ms, TimeMs start,
                         TimeMs end) {
  TimeMs covered = 0;
  for (std::size_t i = 1; i < samples.size(); ++i) {
    const Sample& a = samples[i - 1];
    const Sample& b = samples[i];
    if (b.t - a.t > max_gap_ms) continue;
    const TimeMs lo = std::max(a.t, start);
    const TimeMs hi = std::min(b.t, end);
    if (hi > lo) covered += hi - lo;
  }
  return covered;
}

// Energy in [start, end) that was spread across silences longer than max_gap_ms, in mWh.
inline std::int64_t gap_mwh(const std::vector<Sample>& samples, TimeMs max_gap_ms, TimeMs start,
                            TimeMs end) {
  std::int64_t gap = 0;
  for (std::size_t i = 1; i < samples.size(); ++i) {
    const Sample& a = samples[i - 1];
    const Sample& b = samples[i];
    if (b.t - a.t <= max_gap_ms) continue;
    const TimeMs lo = std::max(a.t, start);
    const TimeMs hi = std::min(b.t, end);
    if (hi > lo) gap += register_mwh(samples, hi) - register_mwh(samples, lo);
  }
  return gap;
}

}  // namespace cw::analytics::testing
