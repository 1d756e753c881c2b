// Exact energy per local hour, day or month, from the counter-based rollups.
#pragma once

#include <vector>

#include "core/calendar.h"
#include "core/sample.h"
#include "store/store.h"

namespace cw::analytics {

struct EnergyBucket {
  TimeMs start = 0;  // local period start, in UTC
  TimeMs end = 0;
  double energy_wh = 0;
  bool estimated = false;  // some of it was spread across a gap in the data
  double coverage = 0;     // covered fraction of the bucket (0..1)
};

// One bucket per local period that intersects [from, to): by must be kHour, kDay or kMonth
// (a day lasts 23 or 25 hours on DST changes). Periods without data have energy 0 and
// coverage 0. At most 10000 buckets, else invalid_argument (also when from >= to or the range
// leaves the years 1900..9999); not_found when the sensor is unknown.
Result<std::vector<EnergyBucket>> energy_by(store::Store& store, const Calendar& calendar,
                                            SensorId sensor, TimeMs from, TimeMs to, Period by);

}  // namespace cw::analytics
