#include "analytics/raw_buckets.h"

#include <algorithm>

#include "core/int128.h"

namespace cw::analytics::detail {

std::int64_t interpolate_mwh(const Sample& a, const Sample& b, TimeMs t) {
  const Int128 e0 = Int128(a.energy_wh) * 1000;
  if (t <= a.t || b.t <= a.t) return std::int64_t(e0);
  if (t >= b.t) return b.energy_wh * 1000;
  // 128-bit: a large register step times a long gap overflows 64 bits.
  const Int128 num = Int128(b.energy_wh - a.energy_wh) * 1000 * (t - a.t);
  const Int128 den = b.t - a.t;
  return std::int64_t(e0 + (2 * num + den) / (2 * den));  // non-negative: half up
}

RawBuckets::RawBuckets(std::vector<TimeMs> edges, TimeMs max_gap_ms)
    : edges_(std::move(edges)), max_gap_ms_(max_gap_ms) {
  buckets_.resize(edges_.size() - 1);
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    buckets_[i].start = edges_[i];
    buckets_[i].end = edges_[i + 1];
  }
}

std::size_t RawBuckets::bucket_of(TimeMs t) const {
  if (t < edges_.front() || t >= edges_.back()) return buckets_.size();
  auto it = std::upper_bound(edges_.begin(), edges_.end(), t);
  return std::size_t(it - edges_.begin()) - 1;
}

void RawBuckets::add(const Sample& s) {
  if (last_) add_interval(*last_, s);
  if (std::size_t i = bucket_of(s.t); i < buckets_.size()) {
    Rollup one{s.t, s.t, 1, s.power_w, s.power_w, 0, 0, 0, 0};
    merge_into(buckets_[i], one);
  }
  last_ = s;
}

void RawBuckets::add_interval(const Sample& a, const Sample& b) {
  const TimeMs lo = std::max(a.t, edges_.front());
  const TimeMs hi = std::min(b.t, edges_.back());
  if (lo >= hi) return;
  const bool gap = b.t - a.t > max_gap_ms_;
  for (std::size_t i = bucket_of(lo); i < buckets_.size() && edges_[i] < hi; ++i) {
    const TimeMs s = std::max(lo, edges_[i]);
    const TimeMs e = std::min(hi, edges_[i + 1]);
    Rollup& r = buckets_[i];
    const std::int64_t energy = interpolate_mwh(a, b, e) - interpolate_mwh(a, b, s);
    r.energy_mwh += energy;
    if (gap) {
      r.gap_energy_mwh += energy;
    } else {
      r.covered_ms += e - s;
      r.sum_wms += std::int64_t(b.power_w) * (e - s);
    }
  }
}

}  // namespace cw::analytics::detail
