#include "analytics/raw_points.h"

#include <algorithm>

#include "analytics/raw_buckets.h"

namespace cw::analytics::detail {

RawPoints::RawPoints(TimeMs from, TimeMs to, TimeMs max_gap_ms, std::size_t max_points)
    : from_(from), to_(to), max_gap_ms_(max_gap_ms), max_points_(max_points) {}

void RawPoints::push(const SeriesPoint& p) {
  if (overflowed_) return;
  if (points_.size() == max_points_) {
    overflowed_ = true;
    points_.clear();
    points_.shrink_to_fit();
    return;
  }
  points_.push_back(p);
}

void RawPoints::gap(TimeMs start, TimeMs end, const std::optional<Sample>& before,
                    const std::optional<Sample>& after) {
  start = std::max(start, from_);
  end = std::min(end, to_);
  if (start >= end) return;
  SeriesPoint p;
  p.start = start;
  p.end = end;
  if (before && after) {  // else the register is unknown on one side: no energy to spread
    const std::int64_t mwh =
        interpolate_mwh(*before, *after, end) - interpolate_mwh(*before, *after, start);
    p.energy_wh = double(mwh) / 1000.0;
    p.estimated = mwh > 0;
  }
  push(p);
}

void RawPoints::add(const Sample& s) {
  if (!first_in_range_) first_in_range_ = s;
  ++in_range_;
  SeriesPoint p;
  p.start = s.t;
  p.end = s.t;
  p.has_data = true;
  p.mean_w = s.power_w;
  p.min_w = p.max_w = s.power_w;
  p.count = 1;
  if (!last_) {
    gap(from_, s.t, std::nullopt, s);  // nothing known before: whatever precedes is a gap
  } else if (s.t - last_->t > max_gap_ms_) {
    gap(last_->t, s.t, last_, s);
  } else {
    p.start = last_->t;
    p.energy_wh = double(s.energy_wh - last_->energy_wh);
    p.coverage = 1;
  }
  push(p);
  last_ = s;
}

void RawPoints::finish(const std::optional<Sample>& next) {
  const TimeMs silence_end = next ? next->t : to_;
  if (!last_ || silence_end - last_->t > max_gap_ms_) {
    gap(last_ ? last_->t : from_, silence_end, last_, next);
  }
}

TimeMs RawPoints::mean_interval_ms() const {
  if (in_range_ < 2 || !first_in_range_ || !last_) return 0;
  return (last_->t - first_in_range_->t) / TimeMs(in_range_ - 1);
}

}  // namespace cw::analytics::detail
