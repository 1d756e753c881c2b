// The grid of a chart: where its points begin and end. Chosen once per query from the range and
// the number of points asked for, aligned to a stable origin so the same query (or a panned one)
// gives the same point edges. Internal to the analytics layer.
#pragma once

#include <cstddef>
#include <vector>

#include "core/calendar.h"
#include "core/sample.h"
#include "core/status.h"

namespace cw::analytics::detail {

struct Grid {
  Level level = Level::kRaw;  // level the groups are built from
  TimeMs step_ms = 0;         // nominal width of one group
  std::vector<TimeMs> edges;  // group i is [edges[i], edges[i+1]); at least 2 edges
  std::size_t size() const { return edges.size() - 1; }
};

// Picks the coarsest level whose bucket width is <= (to - from) / max_points, then merges k
// buckets per group, k the smallest giving at most max_points groups over [from, to). Groups of
// minute and hour buckets (and of seconds, at raw level) are aligned to multiples of their width
// since the epoch; groups of day buckets to multiples of k local days since 1970-01-01.
// Requires from < to and max_points >= 1.
Grid plan_grid(const Calendar& calendar, TimeMs from, TimeMs to, std::size_t max_points);

// Checks a query's range: from < to, both within years 1900..9999 (beyond, the calendar's
// arithmetic would overflow; no meter reading lives there).
Status check_range(TimeMs from, TimeMs to);

// Index of the local day containing t (days since the local 1970-01-01), and back.
std::int64_t local_day_index(const Calendar& calendar, TimeMs t);
TimeMs local_day_start(const Calendar& calendar, std::int64_t index);

}  // namespace cw::analytics::detail
