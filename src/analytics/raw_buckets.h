// Groups raw samples into time buckets with the rollup rules of the store (core/sample.h,
// docs/storage.md), for charts finer than the minute rollups. Internal to the analytics layer.
//
// Rules, as in the store's rollups: a sample's power holds over (t_prev, t] when that interval
// is at most max_gap_ms, else the interval is a gap (no coverage, no power statistics);
// count/min/max come from samples whose t falls in the bucket; energy is the cumulative register
// interpolated linearly at bucket edges and rounded to the mWh there, so buckets telescope
// exactly to the register difference; energy spread over a gap also counts as gap energy.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "core/sample.h"

namespace cw::analytics::detail {

// The register between samples a and b (a.t <= t <= b.t), in mWh, linearly interpolated and
// rounded half up. Exact (a.energy_wh * 1000, b.energy_wh * 1000) at the ends.
std::int64_t interpolate_mwh(const Sample& a, const Sample& b, TimeMs t);

class RawBuckets {
 public:
  // Buckets [edges[i], edges[i+1]); edges strictly increasing, at least 2.
  RawBuckets(std::vector<TimeMs> edges, TimeMs max_gap_ms);

  // Samples in time order. Samples outside the edges only bring the interval that ends or
  // starts at them (pass the samples just before and just after the range).
  void add(const Sample& s);

  const std::vector<Rollup>& buckets() const { return buckets_; }

 private:
  std::size_t bucket_of(TimeMs t) const;  // index of the bucket containing t, or size()
  void add_interval(const Sample& a, const Sample& b);

  std::vector<TimeMs> edges_;
  TimeMs max_gap_ms_;
  std::vector<Rollup> buckets_;
  std::optional<Sample> last_;
};

}  // namespace cw::analytics::detail
