// One chart point per raw sample, for ranges short enough that every sample fits in the points
// asked for. Internal to the analytics layer.
//
// A sample's point spans the interval since the previous sample (t_prev, t], with its power and
// the register difference as energy. A silence longer than the sensor's max_gap_ms becomes an
// explicit gap point (has_data = false), clipped to the range, whose energy is the register
// interpolated at its ends (estimated); the sample that ends the gap is then a zero-width point
// (a measurement that covers no time). Before the first and after the last sample the register
// is unknown unless the neighbouring samples are given.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "analytics/series.h"

namespace cw::analytics::detail {

class RawPoints {
 public:
  RawPoints(TimeMs from, TimeMs to, TimeMs max_gap_ms, std::size_t max_points);

  // Samples before the range, in time order (only the last one matters), before any add().
  void add_before(const Sample& s) { last_ = s; }
  // Samples in the range, in time order.
  void add(const Sample& s);
  // Ends the range; next is the first sample at or after `to`, if known.
  void finish(const std::optional<Sample>& next);

  // True once more points than max_points were needed: the caller groups samples instead.
  bool overflowed() const { return overflowed_; }
  std::vector<SeriesPoint> take() { return std::move(points_); }
  TimeMs mean_interval_ms() const;

 private:
  void push(const SeriesPoint& p);
  void gap(TimeMs start, TimeMs end, const std::optional<Sample>& before,
           const std::optional<Sample>& after);

  TimeMs from_, to_, max_gap_ms_;
  std::size_t max_points_;
  std::optional<Sample> last_;
  std::optional<Sample> first_in_range_;
  std::size_t in_range_ = 0;
  bool overflowed_ = false;
  std::vector<SeriesPoint> points_;
};

}  // namespace cw::analytics::detail
